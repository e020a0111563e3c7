package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.TestDatabase;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The account pages in a real browser (headless Chromium driven by Selenium, the Debian packages chromium and
 * chromium-driver): each test opens the link of a mail the SMTP server received, fills the form, and sees
 * the result; a screenshot of each page before and after goes to target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccountPagesChecks {

    private ChromeDriver browser;

    @BeforeAll
    void startBrowser() throws IOException {
        browser = Chromium.start();
    }

    /** A link differing from the open page only in its fragment would not load the page again. */
    @BeforeEach
    void blankPage() {
        browser.get("about:blank");
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void screenshot(String name) {
        Chromium.screenshot(browser, name);
    }

    /** Submits the page's form and waits for its status line; answers the status text. */
    private String submitAndAwaitStatus(String screenshot) {
        browser.findElement(By.id("submit")).click();
        WebElement status = new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#status.ok, #status.error")));
        screenshot(screenshot);
        return status.getText();
    }

    @Test
    void theVerificationLinkConfirmsTheAddress() {
        Api.Account account = Api.register("Pages Verify Co");
        browser.get(MailServer.awaitMail(account.email(), "Confirm your email").link());
        screenshot("verify-email");
        assertEquals("/account/verify-email.html", browser.getCurrentUrl().replaceFirst("^https?://[^/]+", ""),
                "the token leaves the address bar");
        String status = submitAndAwaitStatus("verify-email-done");
        assertTrue(status.contains("confirmed"), status);
        assertEquals(Boolean.TRUE, TestDatabase.queryValue("select email_verified from users where id = ?",
                UUID.fromString(account.userId())));
    }

    @Test
    void theResetLinkSetsANewPassword() {
        Api.Account account = Api.register("Pages Reset Co");
        Api.json(Map.of("email", account.email())).post("/api/v1/auth/forgot-password").then().statusCode(202);
        browser.get(MailServer.awaitMail(account.email(), "Set a new password").link());
        screenshot("reset-password");
        browser.findElement(By.id("password")).sendKeys("typed in a browser 123");
        browser.findElement(By.id("confirmation")).sendKeys("typed in a browser 123");
        String status = submitAndAwaitStatus("reset-password-done");
        assertTrue(status.contains("new password is set"), status);
        Api.login(account.email(), "typed in a browser 123", null);
    }

    @Test
    void theInvitationLinkMakesAMember() {
        Api.Account admin = Api.register("Pages Invite Co");
        String email = Api.uniqueEmail("pages-invitee");
        InvitationChecks.invite(admin, email, List.of());
        browser.get(MailServer.awaitMail(email, "invited you").link());
        screenshot("accept-invitation");
        browser.findElement(By.id("full_name")).sendKeys("Browser Person");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        String status = submitAndAwaitStatus("accept-invitation-done");
        assertTrue(status.contains("Welcome to Pages Invite Co"), status);
        Api.login(email, PASSWORD, admin.tenantId());
    }

    @Test
    void aBadLinkShowsTheProblem() {
        browser.get("http://localhost:" + TestServer.HTTP_PORT + "/account/verify-email.html#token=" + "C".repeat(43));
        String status = submitAndAwaitStatus("verify-email-bad-link");
        assertTrue(status.contains("not valid"), status);
        browser.get("about:blank");
        browser.get("http://localhost:" + TestServer.HTTP_PORT + "/account/reset-password.html");
        String incomplete = browser.findElement(By.id("status")).getText();
        screenshot("reset-password-no-token");
        assertTrue(incomplete.contains("incomplete"), incomplete);
    }
}
