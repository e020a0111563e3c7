// The account pages' little script: reads the token from the link's fragment (never sent to a server),
// posts the form to the API and shows the answer. No build step, no library.
"use strict";

const Account = (() => {
    const params = new URLSearchParams(window.location.hash.substring(1));
    const token = params.get("token");
    // the token leaves the address bar and the history once read
    if (token) {
        history.replaceState(null, "", window.location.pathname);
    }

    function status(message, ok) {
        const box = document.getElementById("status");
        box.textContent = message;
        box.className = ok ? "ok" : "error";
        box.focus();
    }

    async function post(path, body) {
        const response = await fetch("/api/v1" + path, {
            method: "POST",
            headers: {"Content-Type": "application/json", "Accept": "application/json, application/problem+json"},
            body: JSON.stringify(body)
        });
        const text = await response.text();
        const json = text ? JSON.parse(text) : null;
        if (!response.ok) {
            const fields = json && json.errors ? " " + json.errors.map(e => e.field + " " + e.message).join("; ") : "";
            throw new Error((json && json.detail ? json.detail : "Something went wrong (" + response.status + ").") + fields);
        }
        return json;
    }

    /** Wires the page's form: collect(form) gives the body, done(answer) the success message. */
    function wire(path, collect, done) {
        const form = document.getElementById("form");
        if (!token) {
            form.hidden = true;
            status("This link is incomplete: open the link from your mail again.", false);
            return;
        }
        form.addEventListener("submit", async event => {
            event.preventDefault();
            const button = form.querySelector("button");
            let body;
            try {
                body = collect(form);
            } catch (problem) {
                status(problem.message, false);
                return;
            }
            button.disabled = true;
            try {
                const answer = await post(path, Object.assign({token: token}, body));
                form.hidden = true;
                status(done(answer), true);
            } catch (problem) {
                status(problem.message, false);
                button.disabled = false;
            }
        });
    }

    return {wire};
})();
