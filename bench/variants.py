"""Gatehouse alone, one server start per variant of JVM options and heap (bench/journal/2026-12-06-issue-17.md):
start-to-ready, RSS after start, requests/s and JVM CPU per request for the trivial request and who-am-I
(16 connections, 100 users' tokens), rotating refresh (16 connections, chains of 100 users' sessions from fresh
logins), a 16-connection login run, optionally the 10,000-connection scenario, RSS after, and the JVM's own heap
summary. The first variant seeds the data set; the others reuse it (the
schema is present).

    python3 bench/variants.py 'g1=768m|-XX:-UseSerialGC -XX:+UseG1GC' 'serial=384m|'      NAME=HEAP|OPTIONS ...

OPTIONS go after server-config/jvm.options (GATEHOUSE_JAVA_OPTS), so they can override it; ENV:NAME=VALUE sets
an environment variable of the server instead. Environment: WARM (seconds, 40), SECS (15), ONLY (scenarios,
"trivial whoami refresh login"), LOGIN_CONNS (16), CONNS (connections of the many-connections runs, 0: none),
DELAY_MS (5000), JFR (1: a JFR recording with profile settings of each measured run, results/tmp/NAME-SCENARIO.jfr,
for jfr_profile.py and jfr_children.py).
Results: results/<timestamp>-variants.json. Each row is one start: compare variants over several starts,
a single start's figures scatter by 10-25 %.
"""
import concurrent.futures
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gatehouse_bench as gb  # noqa: E402
import peer  # noqa: E402

HZ = os.sysconf("SC_CLK_TCK")
JCMD = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jcmd")  # as gatehouse_bench.py finds it
# Without the run command's AOT cache: each option set would record one on its first start, and a recording
# JVM is not the one to measure.
os.environ["GATEHOUSE_AOT_CACHE_DIR"] = "off"


def wrk_row(url, env, threads, conns, seconds, pid, jfr=None):
    if jfr:
        subprocess.run([JCMD, str(pid), "JFR.start", "name=variant", "settings=profile", f"filename={jfr}"],
                       capture_output=True, check=True)
    cpu_before = gb.cpu_ticks(pid)
    r, _ = gb.run_wrk(url, env, threads, conns, seconds, timeout_s=10)
    cpu = (gb.cpu_ticks(pid) - cpu_before) / HZ
    if jfr:
        subprocess.run([JCMD, str(pid), "JFR.stop", "name=variant"], capture_output=True, check=True)
    n = r["requests"]
    return {"rps": round(n / (r["duration_us"] / 1e6), 1), "cpu_ms": round(cpu * 1000 / n, 3) if n else None,
            "p50_ms": r["latency_us"]["p50"] / 1000, "p99_ms": r["latency_us"]["p99"] / 1000,
            "errors": r["errors"], "non2xx": r["lua_non2xx"]}


def refresh_chains(api, users):
    """Two sets of refresh tokens, one per user each, from password logins: the Lua script chains each one."""
    def login(u):
        status, body = api.call("POST", "/api/v1/auth/login", {"email": u["email"], "password": gb.PASSWORD,
                                                                "tenant": u["slug"]})
        if status != 200:
            raise RuntimeError(f"login of {u['email']} failed: {status} {body}")
        return body["refresh_token"]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        tokens = list(pool.map(login, users + users))
    return [{"BENCH_MODE": "refresh", "BENCH_INPUT": gb.write_lines(f"variants-refresh-{i}.tokens", part)}
            for i, part in enumerate((tokens[:len(users)], tokens[len(users):]))]


def run_variant(name, heap, options, data_dir, seed):
    java_options, env_keys = [], []
    for o in options.split():
        if o.startswith("ENV:"):
            key, value = o[4:].split("=", 1)
            os.environ[key] = value
            env_keys.append(key)
        else:
            java_options.append(o)
    os.environ["GATEHOUSE_HEAP"] = heap
    os.environ["GATEHOUSE_JAVA_OPTS"] = " ".join(java_options)
    server = gb.Server(peer.GH_PORT, data_dir)
    open(server.log_path, "w").close()  # the server's stdout carries every request's log line
    row = {"name": name, "heap": heap, "options": options}
    try:
        row["ready_s"] = peer.boot_gatehouse(server)
        pid = server.payara_pid()
        time.sleep(3)
        row["rss_after_start_mb"] = peer.mb(pid)
        url = f"http://127.0.0.1:{peer.GH_PORT}"
        state = os.path.join(gb.TMP, "variants-users.json")
        if seed or not os.path.exists(state):
            db = gb.Db("127.0.0.1", server.db_port, "postgres", "postgres", "embedded")
            api = gb.Api(url)
            gb.clear_bench_data(db)
            ds = gb.Dataset()
            gb.seed(db, ds, gb.reference_hash(api, db), 0, 1, 100, 4)
            gb.take_access_tokens(api, ds, ds.users, workers=4)
            with open(state, "w") as f:
                json.dump(ds.users, f)
        with open(state) as f:
            users = json.load(f)
        envs = {
            "trivial": {"BENCH_MODE": "plain", "BENCH_PATH": "/.well-known/jwks.json"},
            "whoami": {"BENCH_MODE": "bearer", "BENCH_PATH": "/api/v1/users/me",
                       "BENCH_INPUT": gb.write_lines("variants-me.tokens", [u["access"] for u in users[:100]])},
            "login": {"BENCH_MODE": "login", "BENCH_PASSWORD": gb.PASSWORD, "BENCH_INPUT": gb.write_lines(
                "variants-login.users", [f"{u['email']}\t{u['slug']}" for u in users])},
        }
        warm, seconds = int(os.environ.get("WARM", 40)), int(os.environ.get("SECS", 15))
        for key in os.environ.get("ONLY", "trivial whoami refresh login").split():
            conns = int(os.environ.get("LOGIN_CONNS", 16)) if key == "login" else 16
            if key == "refresh":  # a rotated token is dead: fresh sessions for the warm-up's chains and the run's
                chains = refresh_chains(gb.Api(url), users[:100])
                gb.run_wrk(url, chains[0], 1, conns, warm, timeout_s=10)
                measured = chains[1]
            else:
                gb.run_wrk(url, envs[key], 1, conns, warm if key != "login" else 5, timeout_s=10)
                measured = envs[key]
            jfr = os.path.join(gb.TMP, f"{name}-{key}.jfr") if os.environ.get("JFR") == "1" else None
            row[key] = wrk_row(url, measured, 1, conns, seconds, pid, jfr)
            print(name, key, row[key], flush=True)
        conns = int(os.environ.get("CONNS", "0"))
        if conns:
            many = dict(envs["whoami"], BENCH_DELAY_MS=os.environ.get("DELAY_MS", "5000"))
            for phase in ("first contact", "steady"):
                row[f"{conns} conns, {phase}"] = wrk_row(url, many, 2, conns, 45, pid)
                print(name, conns, phase, row[f"{conns} conns, {phase}"], flush=True)
        row["rss_after_runs_mb"], row["rss_peak_mb"] = peer.mb(pid), peer.mb(pid, "VmHWM")
        row["threads"] = len(os.listdir(f"/proc/{pid}/task"))
        row["heap_info"] = subprocess.run([JCMD, str(pid), "GC.heap_info"], capture_output=True, text=True).stdout
        if "NativeMemoryTracking" in options:
            row["native_memory"] = subprocess.run([JCMD, str(pid), "VM.native_memory", "summary"],
                                                  capture_output=True, text=True).stdout
    finally:
        server.stop()
        for key in env_keys:  # this variant's only
            os.environ.pop(key)
    return row


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    data_dir = os.path.join(gb.TMP, "variants-data")
    out = os.path.join(gb.RESULTS, time.strftime("%Y%m%d-%H%M%S") + "-variants.json")
    rows = []
    for i, arg in enumerate(sys.argv[1:]):
        name, rest = arg.split("=", 1)
        heap, options = rest.split("|", 1)
        rows.append(run_variant(name, heap, options, data_dir, seed=(i == 0)))
        with open(out, "w") as f:
            json.dump(rows, f, indent=1)
    print("results:", out)


if __name__ == "__main__":
    main()
