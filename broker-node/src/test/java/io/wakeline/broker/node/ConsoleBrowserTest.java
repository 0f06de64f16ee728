package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static io.wakeline.broker.node.TestNodeConfig.ADMIN_TOKEN;
import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.FLEET_SECRET;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.TestDatabase;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.PowerState;
import io.wakeline.simulator.DeviceModelMode;
import io.wakeline.simulator.DeviceSimulator;
import io.wakeline.simulator.SimulatorConfig;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (Debian's chromium and chromium-driver, driven by Selenium) against a cluster
 * of three real nodes: refused without the admin token, logged in with it, three members Up, a device and a
 * control message looked up, a device's backlog on the board. Screenshots go to
 * target/surefire-reports/console/. Without chromium the test is skipped, except under CI=true, where it fails.
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("WAKELINE_CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("WAKELINE_CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "surefire-reports", "console");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;
    @TempDir
    Path dirC;
    @TempDir
    Path browserProfile;

    @Test
    void anOperatorLogsInSeesThreeMembersAndLooksUpADeviceAControlMessageAndTheBacklog() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: .ci/run installs Debian's chromium and chromium-driver");
        }
        Assumptions.assumeTrue(present, "chromium and chromium-driver are not installed");

        // Entities of one type must share a journal: on PostgreSQL (CI) all three nodes host them; on H2 (one file
        // per node) only node A does, and B and C run the gateways only.
        PersistenceBackend backend = TestDatabase.isAvailable(PersistenceBackend.POSTGRES)
                ? PersistenceBackend.POSTGRES : PersistenceBackend.H2;
        String entityRole = backend == PersistenceBackend.H2 ? "wakeline.entity-role = \"entities\"\n" : "";
        int remotingA = TestNodeConfig.freePort();
        String formation = entityRole + """
                wakeline.cluster.formation = seed-nodes
                wakeline.cluster.seed-nodes = "akka://wakeline@127.0.0.1:%d"
                wakeline.console.sample-interval = 500ms
                wakeline.metrics.sharding-poll-interval = 500ms
                """.formatted(remotingA);
        try (TestDatabase database = TestDatabase.create(backend, "console");
             BrokerNode nodeA = BrokerNode.start(TestNodeConfig.node(dirA, TestNodeConfig.freePort(), TestNodeConfig.freePort(),
                     remotingA, database, formation + "akka.cluster.roles = [\"entities\"]"));
             BrokerNode nodeB = BrokerNode.start(TestNodeConfig.node(dirB, TestNodeConfig.freePort(), TestNodeConfig.freePort(),
                     TestNodeConfig.freePort(), database, formation));
             BrokerNode nodeC = BrokerNode.start(TestNodeConfig.node(dirC, TestNodeConfig.freePort(), TestNodeConfig.freePort(),
                     TestNodeConfig.freePort(), database, formation));
             DeviceSimulator simulator = DeviceSimulator.start(SimulatorConfig.builder()
                     .host("127.0.0.1").port(nodeB.deviceGatewayPort()).deviceCount(2).deviceIdPrefix("console-")
                     .fleetSecret(FLEET_SECRET).appIds(List.of(APP_A)).deviceModel(DeviceModelMode.OFF).build())) {
            awaitUntil(WAIT, () -> upMembers(nodeA) == 3 && upMembers(nodeB) == 3 && upMembers(nodeC) == 3);
            assertTrue(simulator.awaitChannels(WAIT), () -> simulator.stats().summaryLine());

            // traffic: one control message acked by console-0, two held by console-1, which sleeps
            AppServerClient appServer = new AppServerClient(nodeA.appGatewayUrl(), nodeA.certificatePem());
            String token = appServer.token(APP_A, SECRET_A);
            String acked = sendControl(appServer, token,
                    viaNodeA(nodeA, ControlChannelSetup.create(simulator, "console-0", APP_A, "chat")));
            String sleepy = viaNodeA(nodeA, ControlChannelSetup.create(simulator, "console-1", APP_A, "chat"));
            simulator.reportPower("console-1", PowerReport.newBuilder().setPowerState(PowerState.SLEEP).build());
            awaitUntil(WAIT, () -> {
                String held = sendControl(appServer, token, sleepy);
                return !held.isEmpty() && !deliveredYet(appServer, token, sleepy, held);
            });
            sendControl(appServer, token, sleepy);

            String console = nodeA.appGatewayUrl() + "/console/";
            HttpResponse<String> refused = appServer.http().send(HttpRequest.newBuilder(URI.create(console + "api/overview"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode(), "the console's API without the admin token");
            HttpResponse<String> login = appServer.http().send(HttpRequest.newBuilder(URI.create(console + "api/session"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"token\":\"" + ADMIN_TOKEN + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, login.statusCode(), login::body);
            String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("Secure") && setCookie.contains("SameSite=Strict"),
                    setCookie);
            HttpResponse<String> overview = appServer.http().send(HttpRequest.newBuilder(URI.create(console + "api/overview"))
                    .header("Cookie", setCookie.substring(0, setCookie.indexOf(';'))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, overview.statusCode(), overview::body);

            Files.createDirectories(SCREENSHOTS);
            WebDriver browser = chromium();
            try {
                WebDriverWait wait = new WebDriverWait(browser, WAIT);
                browser.get(console);
                wait.until(b -> b.findElement(By.id("login")).isDisplayed());
                assertFalse(browser.findElement(By.id("app")).isDisplayed(), "nothing shown before logging in");
                logIn(browser, "not-the-admin-token");
                wait.until(b -> b.findElement(By.id("login-error")).getText().contains("Wrong admin token"));
                assertFalse(browser.findElement(By.id("app")).isDisplayed());
                screenshot(browser, "console-refused.png");

                logIn(browser, ADMIN_TOKEN);
                wait.until(b -> b.findElement(By.id("app")).isDisplayed());
                wait.until(b -> b.findElements(By.cssSelector("#members tbody tr[data-status='Up']")).size() == 3);
                wait.until(b -> b.findElements(By.cssSelector("#members tbody td")).stream()
                        .noneMatch(td -> td.getText().equals("no answer")));
                Cookie session = browser.manage().getCookieNamed("wakeline_console");
                assertNotNull(session, "logged in with a session cookie");
                assertTrue(session.isHttpOnly() && session.isSecure(), "the page cannot read the session");
                assertFalse(String.valueOf(((JavascriptExecutor) browser).executeScript("return document.cookie"))
                        .contains("wakeline_console"));
                assertFalse(browser.getCurrentUrl().contains(ADMIN_TOKEN), "the token is not in the URL");

                type(browser, "device-id", "console-0");
                browser.findElement(By.cssSelector("#device-form button")).click();
                wait.until(b -> "console-0".equals(b.findElement(By.id("device-result")).getAttribute("data-device-id")));
                assertTrue(browser.findElement(By.id("device-result")).getText().contains("Attached\nyes"),
                        browser.findElement(By.id("device-result")).getText());

                type(browser, "message-id", acked);
                WebElement lookUp = browser.findElement(By.cssSelector("#message-form > button"));
                wait.until(b -> {
                    lookUp.click();
                    return "ACKED".equals(b.findElement(By.id("message-result")).getAttribute("data-state"));
                });
                assertTrue(browser.findElement(By.id("message-timeline")).getText().contains("acked"));

                wait.until(b -> b.findElements(By.cssSelector("#backlog tbody tr")).stream()
                        .anyMatch(tr -> tr.getText().startsWith("console-1 2 ")));
                wait.until(b -> b.findElement(By.id("apps")).getText().contains(APP_A));
                wait.until(b -> !b.findElement(By.id("rates-now")).getText().contains("collecting"));
                screenshot(browser, "console.png");

                browser.findElement(By.id("logout")).click();
                wait.until(b -> b.findElement(By.id("login")).isDisplayed());
                browser.navigate().refresh();
                wait.until(b -> b.findElement(By.id("login")).isDisplayed());
                assertFalse(browser.findElement(By.id("app")).isDisplayed(), "logged out for good");
            } catch (Exception | AssertionError failure) {
                screenshot(browser, "console-failure.png");
                Files.writeString(SCREENSHOTS.resolve("console-failure.html"), browser.getPageSource());
                throw failure;
            } finally {
                browser.quit();
            }
        }
    }

    private WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + browserProfile, "--window-size=1400,1900");
        options.setAcceptInsecureCerts(true); // the node's self-signed test certificate
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void logIn(WebDriver browser, String token) {
        type(browser, "token", token);
        browser.findElement(By.cssSelector("#login-form button")).click();
    }

    private static void type(WebDriver browser, String id, String text) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    private static void screenshot(WebDriver browser, String name) throws Exception {
        Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The accepted message's id, or "" when the send was not accepted. */
    private static String sendControl(AppServerClient appServer, String token, String uri) {
        try {
            HttpResponse<String> sent = appServer.http().send(HttpRequest.newBuilder(URI.create(uri))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("console")).build(), HttpResponse.BodyHandlers.ofString());
            return sent.statusCode() == 201 ? sent.headers().firstValue("X-Wakeline-Message-Id").orElse("") : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** Whether a message sent to a device that reported sleep went out anyway (the report had not arrived yet). */
    private static boolean deliveredYet(AppServerClient appServer, String token, String uri, String messageId) {
        try {
            Thread.sleep(300);
            String fate = appServer.http().send(HttpRequest.newBuilder(URI.create(uri + "/messages/" + messageId))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            return !fate.contains("\"state\":\"ACCEPTED\"");
        } catch (Exception e) {
            return true;
        }
    }

    /** The same channel URI on node A's app gateway (any node serves any channel; the client trusts A's certificate). */
    private static String viaNodeA(BrokerNode nodeA, String uri) {
        return nodeA.appGatewayUrl() + uri.substring(uri.indexOf("/cc/"));
    }

    private static long upMembers(BrokerNode node) {
        List<akka.cluster.Member> members = new ArrayList<>();
        akka.cluster.typed.Cluster.get(node.system()).state().getMembers().forEach(members::add);
        return members.stream().filter(m -> m.status() == akka.cluster.MemberStatus.up()).count();
    }
}
