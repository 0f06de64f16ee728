package io.wakeline.broker.gateway.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.wakeline.broker.TestClusters;
import io.wakeline.broker.app.AppRegistry;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.DeviceInspector;
import io.wakeline.broker.device.policy.DevicePolicyState;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.CachePolicy;
import io.wakeline.broker.device.WnsPush;
import io.wakeline.broker.gateway.oauth.AccessToken;
import io.wakeline.broker.gateway.oauth.AccessTokenSealer;
import io.wakeline.broker.gateway.wns.ChannelUris;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway over real HTTPS (HTTP/2 by ALPN, and HTTP/1.1), a client trusting only the generated
 * certificate's PEM, a one-node cluster holding the app registry, and a fake device side.
 */
class AppGatewayHttpsTest {
    private static final String APP_A = "ms-app://S-1-15-2-1000000001";
    private static final String SECRET_A = "Vex8L9WOFZuj95euaLrvSH7XyoDhLJc7";
    private static final String APP_B = "ms-app://S-1-15-2-2000000002";
    private static final String SECRET_B = "another-apps-secret-0000";
    private static final String ADMIN_TOKEN = "admin-token-for-the-https-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ActorTestKit testKit;
    private static BrokerKeys keys;
    private static ServerBinding binding;
    private static String base;
    private static HttpClient http2;
    private static HttpClient http11;
    private static SSLContext clientTls;
    private static String tokenA;
    private static String tokenB;
    private static final FakeDevices devices = new FakeDevices();

    /** Answers by channel id, and remembers what it was given. */
    static final class FakeDevices implements DeviceDirectory, DeviceInspector {
        final Map<String, WnsPush> lastPushByChannel = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<Optional<DeviceEntity.DeviceView>> inspect(String deviceId) {
            return switch (deviceId) {
                case "known-1" -> CompletableFuture.completedFuture(Optional.of(new DeviceEntity.DeviceView(deviceId, true,
                        Map.of("ms-app://S-1-15-2-1", Map.of("ch-1", 1L)), DevicePolicyState.INITIAL)));
                case "broken-1" -> CompletableFuture.failedFuture(new IllegalStateException("node down"));
                default -> CompletableFuture.completedFuture(Optional.empty());
            };
        }


        @Override
        public CompletionStage<PushOutcome> deliver(Push push) {
            WnsPush wns = (WnsPush) push;
            lastPushByChannel.put(wns.channelId(), wns);
            return switch (wns.channelId()) {
                case "delivered" -> CompletableFuture.completedFuture(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED));
                case "cached" -> CompletableFuture.completedFuture(
                        new PushOutcome.Stored(DeviceConnectionStatus.DISCONNECTED, PushOutcome.StoreReason.OFFLINE));
                case "dropped" -> CompletableFuture.completedFuture(
                        new PushOutcome.Dropped(DeviceConnectionStatus.TEMP_DISCONNECTED, PushOutcome.DropReason.NotOnLockScreen));
                case "unknown" -> CompletableFuture.completedFuture(new PushOutcome.TargetUnknown());
                case "closed" -> CompletableFuture.completedFuture(new PushOutcome.TargetClosed());
                case "hang" -> FakeDeviceSide.noAnswer();
                default -> CompletableFuture.failedFuture(new IllegalStateException("device side broke"));
            };
        }

        @Override
        public CompletionStage<DeviceEntity.StoredWebPushMessage> manageWebPushMessage(String deviceId,
                String subscriptionId, String messageId, DeviceEntity.MessageAction action) {
            return CompletableFuture.completedFuture(new DeviceEntity.StoredWebPushMessage(false));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path dataDir = Files.createTempDirectory("wakeline-gateway");
        Config config = TestClusters.config(dataDir, """
                wakeline.app-gateway {
                  host = "127.0.0.1"
                  port = 0
                  device-ask-timeout = 1s
                  retry-after = 2s
                }
                wakeline.admin.token = "%s"
                wakeline.apps = [
                  { package-sid = "%s", client-secret = "%s" },
                  { package-sid = "%s", client-secret = "%s" }
                ]
                """.formatted(ADMIN_TOKEN, APP_A, SECRET_A, APP_B, SECRET_B));
        testKit = TestClusters.startJoined("AppGatewayHttpsTest", config);
        assertTrue(testKit.system().settings().config().getBoolean("akka.actor.serialize-messages"));

        keys = BrokerKeys.loadOrCreate(config);
        AppGatewaySettings settings = AppGatewaySettings.fromConfig(config);
        TlsMaterial tls = TlsMaterial.loadOrCreate(settings.tls());
        AppRegistry registry = AppRegistry.create(testKit.system());
        registry.registerConfiguredApps(config).toCompletableFuture().get(20, TimeUnit.SECONDS);

        AppGateway gateway = new AppGateway(testKit.system(), settings, registry, devices, devices, keys);
        binding = AppGateway.bind(testKit.system(), settings, gateway.createRoute(), tls.httpsConnectionContext())
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        base = "https://localhost:" + binding.localAddress().getPort();

        clientTls = trusting(dataDir.resolve("tls").resolve("broker-cert.pem"));
        http2 = HttpClient.newBuilder().sslContext(clientTls).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10)).build();
        http11 = HttpClient.newBuilder().sslContext(clientTls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        tokenA = accessToken(APP_A, SECRET_A);
        tokenB = accessToken(APP_B, SECRET_B);
    }

    @AfterAll
    static void stop() throws Exception {
        if (binding != null) {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        testKit.shutdownTestKit();
    }

    /** A client that trusts exactly the PEM the broker wrote, as an app server would be told to. */
    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("wakeline", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static String form(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((k, v) -> out.append(out.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private static HttpResponse<String> tokenRequest(String body, String contentType) throws Exception {
        return http2.send(HttpRequest.newBuilder(URI.create(base + "/accesstoken.srf"))
                .header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
    }

    private static HttpResponse<String> tokenRequest(String sid, String secret, String grant, String scope) throws Exception {
        return tokenRequest(form(Map.of("grant_type", grant, "client_id", sid, "client_secret", secret, "scope", scope)),
                "application/x-www-form-urlencoded");
    }

    private static String accessToken(String sid, String secret) throws Exception {
        HttpResponse<String> response = tokenRequest(sid, secret, "client_credentials", "notify.windows.com");
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    private static String channelUri(String appId, String channelId) {
        return channelUri(appId, channelId, System.currentTimeMillis() + 3_600_000);
    }

    private static String channelUri(String appId, String channelId, long expiresAt) {
        return new ChannelUris(base, keys.channelTokenSealer()).uriFor(new ChannelToken("device-42", appId, channelId, expiresAt));
    }

    private static HttpRequest.Builder rawSend(String uri, String token, BodyPublisher body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri))
                .header("X-WNS-Type", "wns/raw")
                .header("Content-Type", "application/octet-stream")
                .POST(body);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return send(http2, request);
    }

    private static final Set<String> SEEN_MSG_IDS = ConcurrentHashMap.newKeySet();

    /** What every WNS answer carries (wns-spec 3.1), with an empty body. */
    private static void assertWnsHeaders(HttpResponse<String> response) {
        String msgId = response.headers().firstValue("X-WNS-Msg-ID").orElseThrow();
        assertTrue(msgId.matches("[0-9A-F]{16}"), msgId);
        assertTrue(SEEN_MSG_IDS.add(msgId), "message id repeated: " + msgId);
        assertTrue(response.headers().firstValue("X-WNS-Debug-Trace").orElseThrow().startsWith("WL-127.0.0.1-"));
        assertFalse(response.headers().firstValue("MS-CV").orElseThrow().isBlank());
        assertEquals("", response.body());
    }

    private static void assertStatus(String expected, HttpResponse<String> response) {
        assertEquals(expected, response.headers().firstValue("X-WNS-Status").orElse(null));
        assertEquals(expected, response.headers().firstValue("X-WNS-NotificationStatus").orElse(null));
    }

    private static void assertRejected(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.headers().map().toString());
        assertWnsHeaders(response);
        assertStatus("dropped", response);
        assertFalse(response.headers().firstValue("X-WNS-Error-Description").orElseThrow().isBlank());
        assertTrue(response.headers().firstValue("X-WNS-DeviceConnectionStatus").isEmpty());
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    // ---- OAuth token endpoint (wns-spec 1) -----------------------------------------------------------

    @Test
    void theTokenEndpointIssuesA24HourBearerTokenToARegisteredApp() throws Exception {
        HttpResponse<String> response = tokenRequest(APP_A, SECRET_A, "client_credentials", "notify.windows.com");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("bearer", body.get("token_type").asText());
        assertEquals(86400, body.get("expires_in").asInt());
        assertFalse(body.get("access_token").asText().isBlank());
        assertEquals(200, tokenRequest(APP_A, SECRET_A, "client_credentials", "s.notify.live.net").statusCode());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
    }

    @Test
    void theTokenEndpointAnswers400WithAnOAuthErrorOtherwise() throws Exception {
        Map<String, HttpResponse<String>> cases = Map.of(
                "invalid_client", tokenRequest(APP_A, "wrong-secret", "client_credentials", "notify.windows.com"),
                "invalid_client ", tokenRequest("ms-app://S-1-15-2-404", SECRET_A, "client_credentials", "notify.windows.com"),
                "unsupported_grant_type", tokenRequest(APP_A, SECRET_A, "password", "notify.windows.com"),
                "invalid_scope", tokenRequest(APP_A, SECRET_A, "client_credentials", "openid"),
                "invalid_request", tokenRequest("grant_type=client_credentials", "application/x-www-form-urlencoded"),
                "invalid_request ", tokenRequest("{}", "application/json"));
        for (var c : cases.entrySet()) {
            HttpResponse<String> response = c.getValue();
            assertEquals(400, response.statusCode(), c.getKey());
            JsonNode body = JSON.readTree(response.body());
            assertEquals(c.getKey().trim(), body.get("error").asText());
            assertFalse(body.get("error_description").asText().isBlank());
            assertFalse(response.body().contains(SECRET_A));
        }
        HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(base + "/accesstoken.srf")).GET().build());
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
    }

    // ---- WNS send: accepted (wns-spec 3) -------------------------------------------------------------

    @Test
    void aDeliveredRawNotificationIs200ReceivedOverHttp2() throws Exception {
        byte[] payload = "sync-now".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = send(rawSend(channelUri(APP_A, "delivered"), tokenA, BodyPublishers.ofByteArray(payload)).build());
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
        assertWnsHeaders(response);
        assertStatus("received", response);
        assertTrue(response.headers().firstValue("X-WNS-DeviceConnectionStatus").isEmpty());
        assertTrue(response.headers().firstValue("X-WNS-Error-Description").isEmpty());

        WnsPush push = devices.lastPushByChannel.get("delivered");
        assertArrayEquals(payload, push.payload());
        assertEquals("device-42", push.deviceId());
        assertEquals(APP_A, push.appId());
        assertEquals(CachePolicy.NO_CACHE, push.cachePolicy());
        assertEquals(response.headers().firstValue("X-WNS-Msg-ID").orElseThrow(), push.messageId());
    }

    @Test
    void overHttp11TheAnswerHasContentLengthZero() throws Exception {
        HttpResponse<String> response = send(http11, rawSend(channelUri(APP_A, "delivered"), tokenA, BodyPublishers.ofByteArray(bytes(5000))).build());
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
        assertEquals("0", response.headers().firstValue("Content-Length").orElseThrow());
        assertWnsHeaders(response);
        assertStatus("received", response);
    }

    @Test
    void aCachedNotificationIsReceivedAndReportsTheDeviceStatusWhenAsked() throws Exception {
        HttpResponse<String> response = send(rawSend(channelUri(APP_A, "cached"), tokenA, BodyPublishers.ofByteArray(bytes(10)))
                .header("X-WNS-Cache-Policy", "cache")
                .header("X-WNS-RequestForStatus", "true").build());
        assertEquals(200, response.statusCode());
        assertWnsHeaders(response);
        assertStatus("received", response);
        assertEquals("disconnected", response.headers().firstValue("X-WNS-DeviceConnectionStatus").orElseThrow());
        assertEquals(CachePolicy.CACHE, devices.lastPushByChannel.get("cached").cachePolicy());
    }

    @Test
    void aDroppedNotificationIs200Dropped() throws Exception {
        HttpResponse<String> plain = send(rawSend(channelUri(APP_A, "dropped"), tokenA, BodyPublishers.ofByteArray(bytes(10))).build());
        assertEquals(200, plain.statusCode());
        assertWnsHeaders(plain);
        assertStatus("dropped", plain);
        assertTrue(plain.headers().firstValue("X-WNS-DeviceConnectionStatus").isEmpty());

        HttpResponse<String> asked = send(rawSend(channelUri(APP_A, "dropped"), tokenA, BodyPublishers.ofByteArray(bytes(10)))
                .header("X-WNS-RequestForStatus", "true").build());
        assertStatus("dropped", asked);
        assertEquals("tempdisconnected", asked.headers().firstValue("X-WNS-DeviceConnectionStatus").orElseThrow());
    }

    @Test
    void theRequestsCorrelationVectorIsEchoedElseOneIsCreated() throws Exception {
        HttpResponse<String> echoed = send(rawSend(channelUri(APP_A, "delivered"), tokenA, BodyPublishers.ofByteArray(bytes(1)))
                .header("MS-CV", "tul5lFEVRsqNanU/.7").build());
        assertEquals("tul5lFEVRsqNanU/.7", echoed.headers().firstValue("MS-CV").orElseThrow());
        HttpResponse<String> first = send(rawSend(channelUri(APP_A, "delivered"), tokenA, BodyPublishers.ofByteArray(bytes(1))).build());
        HttpResponse<String> second = send(rawSend(channelUri(APP_A, "delivered"), tokenA, BodyPublishers.ofByteArray(bytes(1))).build());
        assertNotEquals(first.headers().firstValue("MS-CV"), second.headers().firstValue("MS-CV"));
        // even a refused request gets its correlation vector back
        HttpResponse<String> refused = send(rawSend(channelUri(APP_A, "delivered"), null, BodyPublishers.ofByteArray(bytes(1)))
                .header("MS-CV", "abc.1").build());
        assertEquals("abc.1", refused.headers().firstValue("MS-CV").orElseThrow());
    }

    // ---- WNS send: refused ---------------------------------------------------------------------------

    @Test
    void everyBadHeaderIs400WithADescription() throws Exception {
        String uri = channelUri(APP_A, "delivered");
        List<HttpRequest> bad = List.of(
                HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + tokenA)
                        .header("Content-Type", "application/octet-stream").POST(BodyPublishers.ofByteArray(bytes(5))).build(),
                rawSend(uri, tokenA, BodyPublishers.ofByteArray(bytes(5))).setHeader("X-WNS-Type", "wns/bogus").build(),
                rawSend(uri, tokenA, BodyPublishers.ofByteArray(bytes(5))).setHeader("Content-Type", "text/xml").build(),
                rawSend(uri, tokenA, BodyPublishers.ofByteArray(bytes(5))).header("X-WNS-Cache-Policy", "always").build(),
                rawSend(uri, tokenA, BodyPublishers.ofByteArray(bytes(5))).header("X-WNS-RequestForStatus", "yes").build(),
                rawSend(uri, tokenA, BodyPublishers.ofByteArray(bytes(5))).header("X-WNS-TTL", "soon").build(),
                rawSend(uri, tokenA, BodyPublishers.ofByteArray(bytes(5))).header("X-WNS-PRIORITY", "9").build(),
                rawSend(uri, tokenA, BodyPublishers.noBody()).build());
        for (HttpRequest request : bad) {
            assertRejected(400, send(request));
        }
    }

    @Test
    void toastTileAndBadgeAreAcceptedAsTextXml() throws Exception {
        for (String type : List.of("wns/toast", "wns/tile", "wns/badge")) {
            HttpResponse<String> response = send(rawSend(channelUri(APP_A, "delivered"), tokenA,
                    BodyPublishers.ofString("<toast/>")).setHeader("X-WNS-Type", type).setHeader("Content-Type", "text/xml").build());
            assertEquals(200, response.statusCode());
            assertStatus("received", response);
            assertEquals(type, devices.lastPushByChannel.get("delivered").type().headerValue());
        }
    }

    @Test
    void chunkedTransferEncodingIs400() throws Exception {
        // an InputStream body of unknown length goes out chunked over HTTP/1.1
        HttpResponse<String> response = send(http11, rawSend(channelUri(APP_A, "delivered"), tokenA,
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes(100)))).build());
        assertRejected(400, response);
        assertTrue(response.headers().firstValue("X-WNS-Error-Description").orElseThrow().toLowerCase().contains("chunked"));
    }

    @Test
    void aMissingGarbageForeignOrExpiredTokenIs401() throws Exception {
        String uri = channelUri(APP_A, "delivered");
        String foreign = new AccessTokenSealer(new byte[32]).seal(new AccessToken(APP_A, 0, Long.MAX_VALUE));
        String expired = keys.accessTokenSealer().seal(new AccessToken(APP_A, 0, System.currentTimeMillis() - 1));
        for (String token : new String[] {null, "garbage", foreign, expired}) {
            HttpResponse<String> response = send(rawSend(uri, token, BodyPublishers.ofByteArray(bytes(5))).build());
            assertRejected(401, response);
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
        }
        HttpResponse<String> basic = send(rawSend(uri, null, BodyPublishers.ofByteArray(bytes(5)))
                .header("Authorization", "Basic " + SECRET_A).build());
        assertRejected(401, basic);
    }

    @Test
    void anotherAppsTokenIs403ChannelUrlIncompatible() throws Exception {
        HttpResponse<String> response = send(rawSend(channelUri(APP_A, "delivered"), tokenB, BodyPublishers.ofByteArray(bytes(5))).build());
        assertRejected(403, response);
        assertEquals("Channel URL incompatible with caller app",
                response.headers().firstValue("X-WNS-Error-Description").orElseThrow());
    }

    @Test
    void aTamperedChannelUriOrAnUnknownChannelIs404() throws Exception {
        String uri = channelUri(APP_A, "delivered");
        int i = uri.length() - 10;
        String tampered = uri.substring(0, i) + (uri.charAt(i) == 'A' ? 'B' : 'A') + uri.substring(i + 1);
        assertRejected(404, send(rawSend(tampered, tokenA, BodyPublishers.ofByteArray(bytes(5))).build()));
        assertRejected(404, send(rawSend(base + "/w/", tokenA, BodyPublishers.ofByteArray(bytes(5))).build()));
        assertRejected(404, send(rawSend(channelUri(APP_A, "unknown"), tokenA, BodyPublishers.ofByteArray(bytes(5))).build()));
    }

    @Test
    void methodsOtherThanPostAre405WithAllowPost() throws Exception {
        URI uri = URI.create(channelUri(APP_A, "delivered"));
        for (HttpRequest request : List.of(
                HttpRequest.newBuilder(uri).GET().build(),
                HttpRequest.newBuilder(uri).PUT(BodyPublishers.ofByteArray(bytes(5))).build(),
                HttpRequest.newBuilder(uri).DELETE().header("Authorization", "Bearer " + tokenA).build())) {
            HttpResponse<String> response = send(request);
            assertRejected(405, response);
            assertEquals("POST", response.headers().firstValue("Allow").orElseThrow());
        }
    }

    @Test
    void anExpiredOrClosedChannelIs410() throws Exception {
        String expired = channelUri(APP_A, "delivered", System.currentTimeMillis() - 1);
        assertRejected(410, send(rawSend(expired, tokenA, BodyPublishers.ofByteArray(bytes(5))).build()));
        assertRejected(410, send(rawSend(channelUri(APP_A, "closed"), tokenA, BodyPublishers.ofByteArray(bytes(5))).build()));
    }

    @Test
    void aPayloadOf5001BytesIs413() throws Exception {
        String uri = channelUri(APP_A, "delivered");
        assertRejected(413, send(rawSend(uri, tokenA, BodyPublishers.ofByteArray(bytes(5001))).build()));
        assertRejected(413, send(http11, rawSend(uri, tokenA, BodyPublishers.ofByteArray(bytes(5001))).build()));
        // HTTP/2 stream without a declared length: bounded while reading
        assertRejected(413, send(rawSend(uri, tokenA,
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes(64 * 1024)))).build()));
    }

    @Test
    void aHugeDeclaredLengthIs413BeforeTheBodyIsSent() throws Exception {
        String path = URI.create(channelUri(APP_A, "delivered")).getRawPath();
        try (SSLSocket socket = (SSLSocket) clientTls.getSocketFactory().createSocket("localhost", binding.localAddress().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + tokenA + "\r\n"
                    + "X-WNS-Type: wns/raw\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // not one body byte sent: the answer can only come from the declared length
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertTrue(in.readLine().startsWith("HTTP/1.1 413 "));
            Set<String> headerNames = new HashSet<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headerNames.add(line.substring(0, line.indexOf(':')).toLowerCase());
            }
            assertTrue(headerNames.containsAll(Set.of("x-wns-msg-id", "x-wns-debug-trace", "ms-cv", "x-wns-status",
                    "x-wns-notificationstatus", "x-wns-error-description")), headerNames.toString());
        }
    }

    @Test
    void aDeviceAskThatTimesOutIs503WithRetryAfter() throws Exception {
        HttpResponse<String> response = send(rawSend(channelUri(APP_A, "hang"), tokenA, BodyPublishers.ofByteArray(bytes(5))).build());
        assertEquals(503, response.statusCode());
        assertWnsHeaders(response);
        assertEquals("2", response.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(response.headers().firstValue("X-WNS-Status").isEmpty());
    }

    @Test
    void aFailingDeviceSideIs500WithoutRetryAfter() throws Exception {
        HttpResponse<String> response = send(rawSend(channelUri(APP_A, "boom"), tokenA, BodyPublishers.ofByteArray(bytes(5))).build());
        assertEquals(500, response.statusCode());
        assertWnsHeaders(response);
        assertTrue(response.headers().firstValue("Retry-After").isEmpty());
    }

    @Test
    void theAdminApiShowsADevicesStateAsJson() throws Exception {
        HttpResponse<String> known = admin("GET", "/admin/devices/known-1", null, ADMIN_TOKEN);
        assertEquals(200, known.statusCode());
        assertTrue(known.body().contains("\"attached\":true"), known.body());
        assertTrue(known.body().contains("\"lockScreen\""), known.body());
        assertTrue(known.body().contains("\"powerState\":\"Off\""), known.body());
        assertEquals(404, admin("GET", "/admin/devices/never-seen", null, ADMIN_TOKEN).statusCode());
        assertEquals(400, admin("GET", "/admin/devices/bad%20id", null, ADMIN_TOKEN).statusCode());
        assertEquals(503, admin("GET", "/admin/devices/broken-1", null, ADMIN_TOKEN).statusCode());
        assertEquals(401, admin("GET", "/admin/devices/known-1", null, null).statusCode());
        assertEquals(405, admin("DELETE", "/admin/devices/known-1", null, ADMIN_TOKEN).statusCode());
    }

    // ---- admin API -----------------------------------------------------------------------------------

    private static HttpResponse<String> admin(String method, String path, String json, String token) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return send(builder.build());
    }

    private static String appPath(String sid) {
        return "/admin/apps/" + URLEncoder.encode(sid, StandardCharsets.UTF_8);
    }

    @Test
    void theAdminApiRequiresTheAdminToken() throws Exception {
        assertEquals(401, admin("GET", appPath(APP_A), null, null).statusCode());
        assertEquals(401, admin("GET", appPath(APP_A), null, ADMIN_TOKEN + "x").statusCode());
        assertEquals(401, admin("GET", appPath(APP_A), null, tokenA).statusCode());
        assertEquals(200, admin("GET", appPath(APP_A), null, ADMIN_TOKEN).statusCode());
    }

    @Test
    void appsAreRegisteredRotatedShownAndRemovedThroughTheAdminApi() throws Exception {
        String sid = "ms-app://S-1-15-2-3000000003";
        String create = "{\"packageSid\":\"" + sid + "\",\"clientSecret\":\"admin-made-secret\"}";
        HttpResponse<String> created = admin("POST", "/admin/apps", create, ADMIN_TOKEN);
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        assertEquals(200, admin("GET", location, null, ADMIN_TOKEN).statusCode(), location);
        assertEquals(200, admin("POST", "/admin/apps", create, ADMIN_TOKEN).statusCode());
        assertEquals(409, admin("POST", "/admin/apps", create.replace("admin-made-secret", "other"), ADMIN_TOKEN).statusCode());
        accessToken(sid, "admin-made-secret");

        HttpResponse<String> shown = admin("GET", appPath(sid), null, ADMIN_TOKEN);
        assertEquals(200, shown.statusCode());
        JsonNode app = JSON.readTree(shown.body());
        assertEquals(sid, app.get("packageSid").asText());
        assertTrue(app.has("registeredAt") && app.has("secretUpdatedAt"));
        assertFalse(shown.body().contains("admin-made-secret"));
        assertFalse(shown.body().toLowerCase().contains("secret\""));

        assertEquals(200, admin("PUT", appPath(sid), "{\"clientSecret\":\"rotated-secret\"}", ADMIN_TOKEN).statusCode());
        assertEquals(400, tokenRequest(sid, "admin-made-secret", "client_credentials", "notify.windows.com").statusCode());
        accessToken(sid, "rotated-secret");

        assertEquals(204, admin("DELETE", appPath(sid), null, ADMIN_TOKEN).statusCode());
        assertEquals(404, admin("GET", appPath(sid), null, ADMIN_TOKEN).statusCode());
        assertEquals(404, admin("DELETE", appPath(sid), null, ADMIN_TOKEN).statusCode());
        assertEquals(400, tokenRequest(sid, "rotated-secret", "client_credentials", "notify.windows.com").statusCode());
        assertEquals(201, admin("PUT", appPath(sid), "{\"clientSecret\":\"fresh\"}", ADMIN_TOKEN).statusCode());
    }

    @Test
    void theAdminApiRefusesBadInputWithClearJsonErrors() throws Exception {
        for (String body : List.of("{\"packageSid\":\"S-1-15-2-1\",\"clientSecret\":\"x\"}",
                "{\"packageSid\":\"ms-app://S-1-15-2-4\",\"clientSecret\":\"\"}",
                "{\"packageSid\":\"ms-app://S-1-15-2-4\"}",
                "not json", "[]")) {
            HttpResponse<String> response = admin("POST", "/admin/apps", body, ADMIN_TOKEN);
            assertEquals(400, response.statusCode(), body);
            assertEquals("invalid_request", JSON.readTree(response.body()).get("error").asText());
        }
        assertEquals(400, admin("GET", "/admin/apps/not-a-sid", null, ADMIN_TOKEN).statusCode());
        assertEquals(405, admin("GET", "/admin/apps", null, ADMIN_TOKEN).statusCode());
    }
}
