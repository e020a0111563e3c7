package dev.gatehouse.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gatehouse.launcher.EmbeddedDatabase;
import dev.gatehouse.testing.Polling;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Gatehouse on a real Payara Server 7.2025.1 domain, prepared by server-config/payara-server-domain.sh as the
 * docs/operations.md, "Deploy to Payara Server", says, against an embedded PostgreSQL: a smoke subset of the integration
 * suite, the JSON server log, pool figures, the admin console changing the JDBC pool in headless Chromium, and
 * restart and redeploy. The figures (prepare, deploy, restart to ready, RSS) go to target/payara-server/figures.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraServerIT {

    private static final Path PAYARA_DIR = Path.of(System.getProperty("it.payara.server.dir"));
    private static final Path WORK_DIR = PAYARA_DIR.getParent();
    private static final Path SCREENSHOTS = Path.of(System.getProperty("it.payara.server.screenshots"));
    private static final Path WAR = Path.of(System.getProperty("it.war"));
    private static final String PASSWORD = "correct horse battery staple";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10); // a start on a busy 2-core machine took over 5

    private static EmbeddedDatabase database;
    private static GreenMail mailServer;
    private static PayaraDomain domain;

    @BeforeAll
    static void prepareDomainAndDeploy() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.deleteIfExists(WORK_DIR.resolve("figures.txt"));
        database = EmbeddedDatabase.start(WORK_DIR.resolve("postgres"), 0, true);
        int smtpPort = freePort();
        mailServer = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("gatehouse", "server-mail-secret"));
        mailServer.start();
        Map<String, String> domainEnvironment = new HashMap<>(Map.of(
                "GATEHOUSE_DB_HOST", "localhost",
                "GATEHOUSE_DB_PORT", Integer.toString(database.port()),
                "GATEHOUSE_DB_NAME", EmbeddedDatabase.DATABASE,
                "GATEHOUSE_DB_USER", EmbeddedDatabase.USER,
                "GATEHOUSE_DB_PASSWORD", "embedded")); // trust authentication: any password
        domainEnvironment.putAll(Map.of(
                "GATEHOUSE_MAIL_HOST", "127.0.0.1",
                "GATEHOUSE_MAIL_PORT", Integer.toString(smtpPort),
                "GATEHOUSE_MAIL_USER", "gatehouse",
                "GATEHOUSE_MAIL_PASSWORD", "server-mail-secret",
                "GATEHOUSE_MAIL_FROM", "no-reply@gatehouse.test",
                "GATEHOUSE_MAIL_STARTTLS", "false"));

        long start = System.nanoTime();
        domain = PayaraDomain.prepare(PAYARA_DIR, Path.of(System.getProperty("it.payara.server.script")),
                Path.of(System.getProperty("it.postgresql.jar")), domainEnvironment, WORK_DIR.resolve("asadmin.out"));
        figure("prepare the domain (payara-server-domain.sh: create, start, configure, restart)", start);

        start = System.nanoTime();
        domain.asadmin("deploy", "--name", "gatehouse", WAR.toString());
        figure("asadmin deploy", start);
        domain.awaitGatehouseReady(READY_TIMEOUT);
        figure("deploy to ready", start);
        Files.writeString(WORK_DIR.resolve("figures.txt"), "RSS after deploy: " + domain.residentMegabytes() + " MB\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (domain != null) {
                domain.stop();
            }
        } finally {
            if (mailServer != null) {
                mailServer.stop();
            }
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    @Order(1)
    void registerLoginRefreshAndMe() {
        String email = "ops-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        JsonPath registered = json(Map.of("email", email, "password", PASSWORD, "full_name", "Ops", "tenant_name", "Ops Ltd"))
                .post("/api/v1/auth/register").then().statusCode(201).extract().jsonPath();
        String tenant = registered.getString("user.tenant_id");

        JsonPath login = json(Map.of("email", email, "password", PASSWORD, "tenant", tenant))
                .post("/api/v1/auth/login").then().statusCode(200).extract().jsonPath();
        JsonPath refreshed = json(Map.of("refresh_token", login.getString("refresh_token")))
                .post("/api/v1/auth/refresh").then().statusCode(200).extract().jsonPath();

        given().baseUri(domain.baseUri()).header("Authorization", "Bearer " + refreshed.getString("access_token"))
                .get("/api/v1/users/me").then().statusCode(200)
                .body("email", org.hamcrest.Matchers.equalTo(email))
                .body("tenant_id", org.hamcrest.Matchers.equalTo(tenant));
        // the rotated refresh token is spent once its successor is used (before that, a retry within the reuse
        // interval gets the same successor: docs/concepts.md, "Tokens")
        json(Map.of("refresh_token", refreshed.getString("refresh_token"))).post("/api/v1/auth/refresh").then().statusCode(200);
        json(Map.of("refresh_token", login.getString("refresh_token"))).post("/api/v1/auth/refresh").then().statusCode(401);
    }

    /** The mail session the script made from GATEHOUSE_MAIL_* (signing in to the SMTP server) sends a reset mail. */
    @Test
    @Order(2)
    void theMailSessionSendsMail() {
        String email = "mail-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        json(Map.of("email", email, "password", PASSWORD, "full_name", "Mail", "tenant_name", "Mail Ltd"))
                .post("/api/v1/auth/register").then().statusCode(201);
        json(Map.of("email", email)).post("/api/v1/auth/forgot-password").then().statusCode(202);
        Polling.awaitTrue(Duration.ofSeconds(60), Duration.ofMillis(250), "a reset mail to " + email + "; see " + domain.serverLog(),
                () -> Arrays.stream(mailServer.getReceivedMessages()).anyMatch(message -> {
                    try {
                        return message.getAllRecipients()[0].toString().equalsIgnoreCase(email)
                                && message.getSubject().contains("Set a new password");
                    } catch (jakarta.mail.MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }

    @Test
    @Order(3)
    void readinessNamesTheDatabaseCheck() {
        given().baseUri(domain.baseUri()).get("/health/ready").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem("database"));
        given().baseUri(domain.baseUri()).get("/health/live").then().statusCode(200);
    }

    /** The pool's monitoring figures are real numbers (docs/operations.md, "Pool figures": asadmin get -m); /metrics serves MP Metrics. */
    @Test
    @Order(4)
    void poolFiguresAndMetrics() throws IOException {
        String monitor = domain.asadmin("get", "-m", "server.resources.gatehouse-pool.*");
        long used = monitorValue(monitor, "numconnused-current");
        long free = monitorValue(monitor, "numconnfree-current");
        assertTrue(used >= 1, "the caller cache's LISTEN holds one connection for good: " + used);
        assertTrue(used + free >= 4, "the pool keeps its steady size of 4: used " + used + ", free " + free);
        monitorValue(monitor, "waitqueuelength-count");

        String metrics = given().baseUri(domain.baseUri()).accept("text/plain").get("/metrics")
                .then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("connection_pool_gatehouse_pool_usedConnection_total"), "Payara's pool metrics are listed");
        // Gatehouse's gauges (platform/persistence/PoolMetrics): the same monitoring, real numbers
        metrics.lines().filter(l -> l.startsWith("gatehouse_pool_")).forEach(System.out::println);
        double inUse = metricValue(metrics, "gatehouse_pool_in_use");
        double idle = metricValue(metrics, "gatehouse_pool_free");
        assertTrue(inUse >= 1, "the LISTEN connection is in use: " + inUse + "\n" + metrics);
        assertTrue(inUse + idle >= 4, "the pool keeps its steady size of 4: in use " + inUse + ", free " + idle);
        assertEquals(0, metricValue(metrics, "gatehouse_pool_wait_queue"), "no request waits for a connection");
        assertTrue(metricValue(metrics, "gatehouse_pool_wait_time_ms") >= 0, "the latest wait is a number");
    }

    /** The value of the one sample of this metric in Prometheus text; NaN fails the test. */
    private static double metricValue(String metrics, String name) {
        String line = metrics.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in /metrics:\n" + metrics));
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        assertFalse(Double.isNaN(value), line);
        return value;
    }

    /** The server log is one JSON object per line; the request log line and the security event carry their JSON. */
    @Test
    @Order(5)
    void serverLogIsOneJsonObjectPerLine() throws IOException {
        String requestId = "ops-" + UUID.randomUUID();
        given().baseUri(domain.baseUri()).header("X-Request-ID", requestId).get("/health/live").then().statusCode(200);

        JsonObject requestLine = Polling.awaitPresent(Duration.ofSeconds(20), Duration.ofMillis(200),
                "the request log line of " + requestId + " in " + domain.serverLog(),
                () -> logRecords().stream()
                        .filter(r -> "gatehouse.request".equals(r.getString("LoggerName", "")))
                        .filter(r -> r.getString("LogMessage", "").contains(requestId))
                        .findFirst());
        JsonObject request = Json.createReader(new StringReader(requestLine.getString("LogMessage"))).readObject();
        assertEquals(requestId, request.getString("request_id"));
        assertEquals(200, request.getInt("status"));
        assertEquals("/health/live", request.getString("path"));

        String loginId = "ops-" + UUID.randomUUID();
        json(Map.of("email", "nobody-" + UUID.randomUUID() + "@example.com", "password", "not the password"))
                .header("X-Request-ID", loginId).post("/api/v1/auth/login").then().statusCode(401);
        JsonObject eventLine = Polling.awaitPresent(Duration.ofSeconds(20), Duration.ofMillis(200),
                "the security event of " + loginId + " in " + domain.serverLog(),
                () -> logRecords().stream()
                        .filter(r -> "gatehouse.security".equals(r.getString("LoggerName", "")))
                        .filter(r -> r.getString("LogMessage", "").contains(loginId))
                        .findFirst());
        assertEquals("login.failed", Json.createReader(new StringReader(eventLine.getString("LogMessage"))).readObject().getString("type"));
    }

    /**
     * The operator's task of the issue: Resources › JDBC › JDBC Connection Pools › gatehouse-pool, Maximum Pool
     * Size 8 → 12, Save; asadmin reads 12, and Gatehouse answers every request meanwhile.
     */
    @Test
    @Order(6)
    void adminConsoleChangesTheMaximumPoolSize() throws Exception {
        assertEquals("8", poolSetting("max-pool-size"));
        AtomicBoolean browsing = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        List<Integer> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread traffic = Thread.ofPlatform().start(() -> {
            while (browsing.get()) {
                int status = given().baseUri(domain.baseUri()).get("/health/ready").statusCode();
                if (status == 200) {
                    served.incrementAndGet();
                } else {
                    failures.add(status);
                }
                Polling.sleep(200);
            }
        });

        WebDriver browser = headlessChromium();
        try {
            String poolPage = "http://127.0.0.1:" + domain.adminPort() + "/jdbc/jdbcConnectionPoolEdit.jsf?name=gatehouse-pool";
            // the first request deploys the console (a "starting" page until then)
            By maxPoolSize = By.id("propertyForm:sheet:poolSettingsPropertySheet:maxProp:ds2");
            Polling.awaitTrue(Duration.ofMinutes(5), Duration.ofSeconds(2), "the admin console's pool page", () -> {
                browser.get(poolPage);
                return !browser.findElements(maxPoolSize).isEmpty();
            });
            WebElement field = browser.findElement(maxPoolSize);
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", field);
            screenshot(browser, "admin-console-pool-before.png");
            assertEquals("8", field.getAttribute("value"));

            field.clear();
            field.sendKeys("12");
            browser.findElement(By.xpath("(//input[@type='submit' and normalize-space(@value)='Save'])[1]")).click();
            new WebDriverWait(browser, Duration.ofMinutes(2)).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.tagName("body"), "New values successfully saved"));
            WebElement saved = browser.findElement(maxPoolSize);
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", saved);
            screenshot(browser, "admin-console-pool-after.png");
            assertEquals("12", saved.getAttribute("value"));
        } finally {
            browser.quit();
        }

        assertEquals("12", poolSetting("max-pool-size"));
        browsing.set(false);
        traffic.join();
        assertTrue(failures.isEmpty(), "Gatehouse answered every request while the pool changed: " + failures);
        assertTrue(served.get() > 0, "requests were made while the console was used");
        given().baseUri(domain.baseUri()).get("/health/ready").then().statusCode(200);
    }

    /** docs/operations.md, "Deploy to Payara Server": restart the domain; update and roll back are a deploy of the WAR; readiness without Gatehouse. */
    @Test
    @Order(7)
    void restartUndeployAndDeployAgain() throws IOException {
        domain.stop();
        long start = System.nanoTime();
        domain.asadminLocal("start-domain");
        figure("asadmin start-domain (with Gatehouse deployed)", start);
        domain.awaitGatehouseReady(READY_TIMEOUT);
        figure("start-domain to ready", start);
        assertEquals("12", poolSetting("max-pool-size"), "the console's change is in domain.xml");

        domain.asadmin("undeploy", "gatehouse");
        String withoutGatehouse = given().baseUri(domain.baseUri()).get("/health/ready").then().extract().asString();
        assertFalse(withoutGatehouse.contains("\"name\":\"database\""),
                "without Gatehouse no database check answers (docs/operations.md: what to probe): " + withoutGatehouse);

        start = System.nanoTime();
        domain.asadmin("deploy", "--name", "gatehouse", WAR.toString());
        domain.awaitGatehouseReady(READY_TIMEOUT);
        figure("deploy again (update or roll back) to ready", start);
        start = System.nanoTime();
        domain.asadmin("redeploy", "--name", "gatehouse", WAR.toString());
        domain.awaitGatehouseReady(READY_TIMEOUT);
        figure("redeploy to ready", start);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static RequestSpecification json(Object body) {
        return given().baseUri(domain.baseUri()).contentType(ContentType.JSON).body(body);
    }

    private static String poolSetting(String attribute) throws IOException {
        String line = domain.asadmin("get", "resources.jdbc-connection-pool.gatehouse-pool." + attribute).lines()
                .filter(l -> l.startsWith("resources.jdbc-connection-pool.gatehouse-pool." + attribute + "="))
                .findFirst().orElseThrow();
        return line.substring(line.indexOf('=') + 1).strip();
    }

    private static long monitorValue(String monitorOutput, String name) {
        return monitorOutput.lines()
                .filter(l -> l.startsWith("server.resources.gatehouse-pool." + name + " = "))
                .map(l -> Long.parseLong(l.substring(l.indexOf('=') + 1).strip()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in:\n" + monitorOutput));
    }

    /**
     * The records of server.log; a record that is not one JSON object fails the test. Lines that do not start
     * with '{' are the launcher's: asadmin start-domain writes the JVM's command line in Payara's old format
     * before the server's logging starts (docs/operations.md, "Logs").
     */
    private static List<JsonObject> logRecords() {
        try {
            return Files.readAllLines(domain.serverLog()).stream().filter(l -> l.startsWith("{")).map(line -> {
                try {
                    return Json.createReader(new StringReader(line)).readObject();
                } catch (JsonParsingException e) {
                    throw new AssertionError("not one JSON object: " + line, e);
                }
            }).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static WebDriver headlessChromium() {
        // the Debian packages' browser and driver, not ones Selenium Manager would download
        System.setProperty("webdriver.chrome.driver", Optional.ofNullable(System.getenv("CHROMEDRIVER")).orElse("/usr/bin/chromedriver"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Optional.ofNullable(System.getenv("CHROMIUM")).orElse("/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        WebDriver browser = new ChromeDriver(options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofMinutes(3));
        return browser;
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static void figure(String what, long startNanos) throws IOException {
        String line = String.format("%s: %.1f s%n", what, (System.nanoTime() - startNanos) / 1e9);
        System.out.print(line);
        Files.writeString(WORK_DIR.resolve("figures.txt"), line, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }
}
