package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static io.wakeline.broker.TestWaits.pollUntil;
import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.APP_B;
import static io.wakeline.broker.node.TestNodeConfig.FLEET_SECRET;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.WebPushNotification;
import io.wakeline.simulator.ChannelRecord;
import io.wakeline.simulator.DeviceSimulator;
import io.wakeline.simulator.NotificationListener;
import io.wakeline.simulator.SimulatorConfig;
import io.wakeline.simulator.WebPushSubscriptionRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client libraries nobody here wrote, against a running node over HTTPS, with the simulator as the device:
 * the npm packages {@code wns} (a Node WNS sender) and {@code web-push} (the reference Web Push sender), pinned
 * in {@code compat/package-lock.json} and installed by {@code npm ci} (.ci/run).
 *
 * <p>{@code wns} always connects to port 443 and fetches its token from {@code https://login.live.com:443/accesstoken.srf}:
 * the node's HTTPS gateway is bound to 127.0.0.1:443 (the test runs as root), its certificate also names
 * {@code login.live.com}, and the Node processes run with {@code compat/preload-hosts.js} (NODE_OPTIONS=--require),
 * which resolves {@code login.live.com} and {@code localhost} to 127.0.0.1. The library then runs its own token
 * flow against the node's token endpoint; no {@code options.accessToken} is handed to it except to provoke its
 * 401-then-refresh path. Node trusts the node's generated certificate through NODE_EXTRA_CA_CERTS.
 *
 * <p>Without {@code node} or {@code compat/node_modules} the test is skipped, unless {@code CI=true}, where it fails.
 */
class NpmClientCompatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path COMPAT = Path.of(System.getProperty("user.dir")).resolve("../compat").normalize();
    private static final String DEVICE = "npm-0";
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    private static BrokerNode node;
    private static DeviceSimulator simulator;
    private static final List<Notification> notifications = new CopyOnWriteArrayList<>();
    private static final List<WebPushNotification> webPushes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        requireNodeAndLibraries();
        node = BrokerNode.start(TestNodeConfig.node(dataDir, 443, TestNodeConfig.freePort(), 0, """
                wakeline.app-gateway.public-base-url = "https://localhost"
                wakeline.app-gateway.tls.extra-host-names = ["login.live.com"]
                """));
        simulator = DeviceSimulator.start(SimulatorConfig.builder()
                .host("127.0.0.1").port(node.deviceGatewayPort())
                .deviceCount(1).deviceIdPrefix("npm-")
                .fleetSecret(FLEET_SECRET)
                .appIds(List.of(APP_A, APP_B))
                .listener(new NotificationListener() {
                    @Override
                    public void onNotification(String deviceId, Notification notification) {
                        notifications.add(notification);
                    }

                    @Override
                    public void onWebPush(String deviceId, WebPushNotification message) {
                        webPushes.add(message);
                    }
                })
                .build());
        assertTrue(simulator.awaitChannels(Duration.ofSeconds(30)), () -> simulator.stats().summaryLine());
    }

    @AfterAll
    static void stop() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static void requireNodeAndLibraries() {
        String problem = null;
        if (!Files.isDirectory(COMPAT.resolve("node_modules/wns")) || !Files.isDirectory(COMPAT.resolve("node_modules/web-push"))) {
            problem = "compat/node_modules lacks wns or web-push: run `npm ci` in " + COMPAT;
        } else if (!nodeRuns()) {
            problem = "`node` is not on the PATH";
        }
        if (problem != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true but " + problem);
            }
            Assumptions.abort("skipped: " + problem);
        }
    }

    private static boolean nodeRuns() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a compat script and parses what it printed. */
    private static JsonNode runNode(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(COMPAT.toFile());
        builder.environment().put("NODE_EXTRA_CA_CERTS", node.certificatePem().toAbsolutePath().toString());
        builder.environment().put("NODE_OPTIONS", "--require " + COMPAT.resolve("preload-hosts.js"));
        builder.environment().put("WAKELINE_TEST_HOSTS", "login.live.com=127.0.0.1,localhost=127.0.0.1");
        Process process = builder.start();
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        if (!process.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(script + " did not finish within " + NODE_TIMEOUT + "; stderr: " + stderr.getNow(""));
        }
        String out = stdout.get(10, TimeUnit.SECONDS);
        if (process.exitValue() != 0) {
            fail(script + " exited " + process.exitValue() + "; stderr: " + stderr.get(10, TimeUnit.SECONDS));
        }
        return JSON.readTree(out);
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                return bytes.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "unreadable: " + e;
            }
        });
    }

    private static ChannelRecord channelOf(String appId) {
        return simulator.channels().stream().filter(c -> c.appId().equals(appId)).findFirst().orElseThrow();
    }

    private static ObjectNode wnsJob(String kind, String channel, String appId, String secret) {
        ObjectNode job = JSON.createObjectNode().put("kind", kind).put("channel", channel);
        job.putObject("options").put("client_id", appId).put("client_secret", secret);
        return job;
    }

    // ---- wns ------------------------------------------------------------------------------------------

    @Test
    void theWnsLibraryFetchesItsOwnTokenAndDeliversEveryType() throws Exception {
        String channel = channelOf(APP_A).channelUri();
        ArrayNode jobs = JSON.createArrayNode();
        jobs.add(wnsJob("toast", channel, APP_A, SECRET_A).put("text", "Hello from the wns package"));
        jobs.add(wnsJob("tile", channel, APP_A, SECRET_A).put("text", "Tile <&> text"));
        jobs.add(wnsJob("badge", channel, APP_A, SECRET_A).put("value", 7));
        jobs.add(wnsJob("raw", channel, APP_A, SECRET_A).put("payload", "raw payload \u00e9"));
        notifications.clear();
        JsonNode results = runNode("wns-send.js", jobs.toString());

        List<NotificationType> types = List.of(NotificationType.TOAST, NotificationType.TILE, NotificationType.BADGE,
                NotificationType.RAW);
        for (int i = 0; i < 4; i++) {
            JsonNode result = results.get(i);
            assertTrue(result.get("ok").asBoolean(), result.toString());
            assertEquals(200, result.get("statusCode").asInt());
            assertEquals("received", result.get("notificationStatus").asText());
            assertTrue(result.get("obtainedNewToken").asBoolean(), "the library ran its own token request");
        }
        awaitUntil(Duration.ofSeconds(10), () -> notifications.size() >= 4);
        for (int i = 0; i < 4; i++) {
            Notification got = notifications.get(i);
            assertEquals(types.get(i), got.getType());
            assertEquals(APP_A, got.getAppId());
            assertEquals(results.get(i).get("msgId").asText(), got.getMessageId());
            assertArrayEquals(results.get(i).get("payload").asText().getBytes(StandardCharsets.UTF_8), got.getPayload().toByteArray());
        }
    }

    @Test
    void wnsErrorsTakeTheLibrarysErrorPaths() throws Exception {
        String channel = channelOf(APP_A).channelUri();
        int i = channel.length() - 10;
        String tampered = channel.substring(0, i) + (channel.charAt(i) == 'A' ? 'B' : 'A') + channel.substring(i + 1);
        ArrayNode jobs = JSON.createArrayNode();
        jobs.add(wnsJob("toast", channel, APP_A, "wrong-secret").put("text", "never sent"));
        jobs.add(wnsJob("toast", tampered, APP_A, SECRET_A).put("text", "tampered"));
        jobs.add(wnsJob("toast", channel, APP_B, SECRET_B).put("text", "other app"));
        jobs.add(wnsJob("raw", channel, APP_A, SECRET_A).put("payload", "x".repeat(5001)));
        ObjectNode refreshed = wnsJob("badge", channel, APP_A, SECRET_A).put("value", 3);
        ((ObjectNode) refreshed.get("options")).put("accessToken", "an-expired-or-garbage-token");
        jobs.add(refreshed);
        JsonNode results = runNode("wns-send.js", jobs.toString());

        JsonNode badSecret = results.get(0);
        assertFalse(badSecret.get("ok").asBoolean());
        assertEquals(400, badSecret.get("statusCode").asInt());
        assertTrue(badSecret.get("error").asText().startsWith("Unable to obtain access token"), badSecret.toString());
        assertError(results.get(1), 404, "The channel URI is not valid");
        assertError(results.get(2), 403, "not authorized");
        assertError(results.get(3), 413, "5000 byte");
        JsonNode afterRefresh = results.get(4);
        assertTrue(afterRefresh.get("ok").asBoolean(), "401, then the library fetched a token and resent: " + afterRefresh);
        assertTrue(afterRefresh.get("obtainedNewToken").asBoolean());
    }

    @Test
    void anOfflineDeviceAndAClosedChannelTakeTheLibrarysErrorPathsToo() throws Exception {
        ChannelRecord channelOfB = channelOf(APP_B);
        simulator.disconnect(DEVICE);
        try {
            JsonNode dropped = pollUntil(Duration.ofSeconds(10), () -> runNode("wns-send.js", JSON.createArrayNode()
                            .add(wnsJob("toast", channelOfB.channelUri(), APP_B, SECRET_B).put("text", "offline"))
                            .toString()).get(0),
                    answer -> "dropped".equals(answer.path("notificationStatus").asText()));
            assertFalse(dropped.get("ok").asBoolean());
            assertEquals(200, dropped.get("statusCode").asInt(), "WNS answers 200 dropped for a toast to an offline device");
            assertEquals("dropped", dropped.get("notificationStatus").asText());
        } finally {
            simulator.connect(DEVICE);
        }
        awaitUntil(Duration.ofSeconds(10), () -> simulator.stats().summaryLine().contains("linked=1"));
        List<String> closed = simulator.closeChannel(DEVICE, APP_B, channelOfB.channelId());
        assertEquals(List.of(channelOfB.channelId()), closed);
        JsonNode gone = runNode("wns-send.js", JSON.createArrayNode()
                .add(wnsJob("toast", channelOfB.channelUri(), APP_B, SECRET_B).put("text", "closed")).toString()).get(0);
        assertError(gone, 410, "The channel expired");
    }

    private static void assertError(JsonNode result, int status, String messagePart) {
        assertFalse(result.get("ok").asBoolean(), result.toString());
        assertEquals(status, result.get("statusCode").asInt(), result.toString());
        assertTrue(result.get("error").asText().contains(messagePart), result.toString());
    }

    // ---- web-push -------------------------------------------------------------------------------------

    @Test
    void theWebPushLibraryDeliversEncryptedMessagesThatTheDeviceCanDecrypt() throws Exception {
        JsonNode keys = runNode("web-push.js", "keys");
        JsonNode otherKeys = runNode("web-push.js", "keys");
        byte[] vapidPublic = Base64.getUrlDecoder().decode(keys.at("/vapid/publicKey").asText());
        WebPushSubscriptionRecord open = simulator.subscribeWebPush(DEVICE, APP_A, new byte[0]);
        WebPushSubscriptionRecord restricted = simulator.subscribeWebPush(DEVICE, APP_A, vapidPublic);
        assertTrue(open.endpoint().startsWith("https://localhost/wp/"), open.endpoint());

        ArrayNode jobs = JSON.createArrayNode();
        jobs.add(webPushJob(open, keys, "hello through web-push", keys.get("vapid")).put("ttl", 60));
        jobs.add(webPushJob(restricted, keys, "restricted and signed", keys.get("vapid")));
        jobs.add(webPushJob(restricted, keys, "unsigned", null));
        jobs.add(webPushJob(restricted, keys, "signed by someone else", otherKeys.get("vapid")));
        jobs.add(webPushJob(open, keys, "x".repeat(4000), keys.get("vapid")));
        webPushes.clear();
        JsonNode results = runNode("web-push.js", "send", toSendJobs(jobs).toString());

        assertTrue(results.get(0).get("ok").asBoolean(), results.get(0).toString());
        assertEquals(201, results.get(0).get("statusCode").asInt());
        assertTrue(results.get(0).at("/headers/location").asText().startsWith("https://localhost/wp/m/"));
        assertEquals(201, results.get(1).get("statusCode").asInt(), results.get(1).toString());
        assertWebPushError(results.get(2), 401);
        assertWebPushError(results.get(3), 403);
        assertWebPushError(results.get(4), 413);

        awaitUntil(Duration.ofSeconds(10), () -> webPushes.size() >= 2);
        List<String> plaintexts = new ArrayList<>();
        for (WebPushNotification message : webPushes) {
            assertEquals("aes128gcm", message.getContentEncoding());
            ObjectNode decrypt = JSON.createObjectNode()
                    .put("ciphertext", Base64.getEncoder().encodeToString(message.getPayload().toByteArray()));
            decrypt.set("ua", keys.get("ua"));
            plaintexts.add(runNode("web-push.js", "decrypt", decrypt.toString()).get("plaintext").asText());
        }
        assertEquals(List.of("hello through web-push", "restricted and signed"), plaintexts);
        assertEquals(open.subscriptionId(), webPushes.get(0).getSubscriptionId());
    }

    @Test
    void aRemovedSubscriptionIsGoneForTheWebPushLibrary() throws Exception {
        JsonNode keys = runNode("web-push.js", "keys");
        WebPushSubscriptionRecord subscription = simulator.subscribeWebPush(DEVICE, APP_A, new byte[0]);
        simulator.unsubscribeWebPush(DEVICE, subscription.subscriptionId());
        JsonNode result = pollUntil(Duration.ofSeconds(10), () -> runNode("web-push.js", "send",
                        toSendJobs(JSON.createArrayNode().add(webPushJob(subscription, keys, "late", keys.get("vapid"))))
                                .toString()).get(0),
                answer -> answer.get("statusCode").asInt() == 410);
        assertWebPushError(result, 410);
    }

    private static ObjectNode webPushJob(WebPushSubscriptionRecord subscription, JsonNode keys, String payload, JsonNode vapid) {
        ObjectNode job = JSON.createObjectNode().put("endpoint", subscription.endpoint()).put("payload", payload);
        job.putObject("keys").put("p256dh", keys.at("/ua/p256dh").asText()).put("auth", keys.at("/ua/auth").asText());
        if (vapid != null) {
            job.putObject("vapid").put("subject", "mailto:ops@example.com")
                    .put("publicKey", vapid.get("publicKey").asText()).put("privateKey", vapid.get("privateKey").asText());
        }
        return job;
    }

    /** The library's own option names: TTL, urgency, topic, vapidDetails. */
    private static ArrayNode toSendJobs(ArrayNode jobs) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode job : jobs) {
            ObjectNode send = JSON.createObjectNode().put("endpoint", job.get("endpoint").asText())
                    .put("payload", job.get("payload").asText());
            send.set("keys", job.get("keys"));
            ObjectNode options = send.putObject("options").put("TTL", job.path("ttl").asInt(120))
                    .put("urgency", "high").put("topic", "compat");
            if (job.has("vapid")) {
                options.set("vapidDetails", job.get("vapid"));
            }
            out.add(send);
        }
        return out;
    }

    private static void assertWebPushError(JsonNode result, int status) {
        assertFalse(result.get("ok").asBoolean(), result.toString());
        assertEquals("WebPushError", result.at("/error/name").asText(), result.toString());
        assertEquals(status, result.get("statusCode").asInt(), result.toString());
    }
}
