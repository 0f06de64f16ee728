package io.wakeline.broker.gateway.wns;

import static io.wakeline.broker.gateway.app.GatewayFixture.APP_A;
import static io.wakeline.broker.gateway.app.GatewayFixture.APP_B;
import static io.wakeline.broker.gateway.app.GatewayFixture.SECRET_A;
import static io.wakeline.broker.gateway.app.GatewayFixture.SECRET_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import io.wakeline.broker.TestWaits;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushPriority;
import io.wakeline.broker.device.CachePolicy;
import io.wakeline.broker.device.WnsPush;
import io.wakeline.broker.device.ShardedDeviceDirectory;
import io.wakeline.broker.device.WnsType;
import io.wakeline.broker.gateway.app.AppGatewaySettings;
import io.wakeline.broker.gateway.app.FakeDeviceSide;
import io.wakeline.broker.gateway.app.GatewayFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every WNS request-header rule (wns-spec 2.1) and the statuses AppGatewayHttpsTest does not cover (406,
 * channelthrottled, 503 when overloaded), plus malformed input, over real HTTPS against a fake device side; and the
 * one timeout between a send and the device's entity, against device entities in cluster sharding that never answer.
 */
class WnsSendHttpsTest {
    private static final String TOAST = "<toast><visual><binding template=\"ToastText01\"><text id=\"1\">hi</text></binding></visual></toast>";

    private static GatewayFixture fixture;
    private static final FakeDeviceSide devices = new FakeDeviceSide();
    private static final FakeDeviceSide tightDevices = new FakeDeviceSide();
    private static GatewayFixture.Gateway gateway;
    /** Tight limits: app B gets 5 sends, a channel 1, the node 1 send in flight; bodies must arrive within 1 s. */
    private static GatewayFixture.Gateway tight;
    /** In front of the sharded device directory, whose entities take every command and answer none. */
    private static GatewayFixture.Gateway unanswered;
    private static final Duration DEVICE_ASK_TIMEOUT = Duration.ofSeconds(1);
    private static String tokenA;
    private static String tokenB;

    @BeforeAll
    static void start() throws Exception {
        fixture = GatewayFixture.start("WnsSendHttpsTest", """
                wakeline.app-gateway.device-ask-timeout = %dms
                wakeline.device.ask-timeout = 30s
                """.formatted(DEVICE_ASK_TIMEOUT.toMillis()));
        gateway = fixture.bind(devices, "");
        ClusterSharding.get(fixture.system()).init(Entity.of(DeviceEntity.ENTITY_KEY,
                context -> Behaviors.receiveMessage(command -> Behaviors.same())));
        AppGatewaySettings settings = AppGatewaySettings.fromConfig(fixture.config());
        assertEquals(DEVICE_ASK_TIMEOUT, settings.deviceAskTimeout());
        unanswered = fixture.bind(new ShardedDeviceDirectory(fixture.system(), settings.deviceAskTimeout()), "");
        tight = fixture.bind(tightDevices, """
                wakeline.app-gateway.body-timeout = 1s
                wakeline.app-gateway.limits {
                  sender { per-second = 0.01, burst = 5 }
                  channel { per-second = 0.01, burst = 1 }
                  max-in-flight-sends = 1
                }
                """);
        tokenA = gateway.accessToken(APP_A, SECRET_A);
        tokenB = gateway.accessToken(APP_B, SECRET_B);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static HttpRequest.Builder wns(String uri, String token, WnsType type, String body) {
        return HttpRequest.newBuilder(URI.create(uri))
                .header("Authorization", "Bearer " + token)
                .header("X-WNS-Type", type.headerValue())
                .header("Content-Type", type.contentType())
                .POST(BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder toast(String channel) {
        return wns(gateway.channelUri(APP_A, channel), tokenA, WnsType.TOAST, TOAST);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return fixture.http2.send(request.build(), BodyHandlers.ofString());
    }

    private static WnsPush last(String channel) {
        return (WnsPush) devices.lastByTarget.get(channel);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static void assertBadRequest(HttpResponse<String> response, String descriptionPart) {
        assertEquals(400, response.statusCode(), response.headers().map().toString());
        assertEquals("dropped", header(response, "X-WNS-Status"));
        assertTrue(header(response, "X-WNS-Error-Description").contains(descriptionPart),
                header(response, "X-WNS-Error-Description"));
    }

    // ---- X-WNS-Type and Content-Type (wns-spec 2.1) ---------------------------------------------------

    @Test
    void everyTypeIsAcceptedWithItsOwnContentTypeAndRelayedByteIdentical() throws Exception {
        String badge = "<badge value=\"7\"/>";
        String tile = "<tile><visual><binding template=\"TileSquareText04\"><text id=\"1\">t</text></binding></visual></tile>";
        for (var sent : List.of(List.of(WnsType.TOAST, TOAST), List.of(WnsType.TILE, tile), List.of(WnsType.BADGE, badge),
                List.of(WnsType.RAW, "raw \u0000 bytes"))) {
            WnsType type = (WnsType) sent.get(0);
            HttpResponse<String> response = send(wns(gateway.channelUri(APP_A, "delivered"), tokenA, type, (String) sent.get(1)));
            assertEquals(200, response.statusCode());
            assertEquals("received", header(response, "X-WNS-Status"));
            assertEquals("received", header(response, "X-WNS-NotificationStatus"));
            assertEquals(type, last("delivered").type());
            assertArrayEquals(((String) sent.get(1)).getBytes(StandardCharsets.UTF_8), last("delivered").payload());
        }
    }

    @Test
    void aMissingOrUnknownTypeIs400() throws Exception {
        assertBadRequest(send(toast("delivered").setHeader("X-WNS-Type", "wns/tileflyout")), "X-WNS-Type");
        HttpRequest noType = HttpRequest.newBuilder(URI.create(gateway.channelUri(APP_A, "delivered")))
                .header("Authorization", "Bearer " + tokenA).header("Content-Type", "text/xml")
                .POST(BodyPublishers.ofString(TOAST)).build();
        assertBadRequest(fixture.http2.send(noType, BodyHandlers.ofString()), "X-WNS-Type");
    }

    @Test
    void theContentTypeMustMatchTheType() throws Exception {
        assertBadRequest(send(toast("delivered").setHeader("Content-Type", "application/octet-stream")), "text/xml");
        assertBadRequest(send(wns(gateway.channelUri(APP_A, "delivered"), tokenA, WnsType.RAW, "x")
                .setHeader("Content-Type", "text/xml")), "application/octet-stream");
        assertEquals(200, send(toast("delivered").setHeader("Content-Type", "text/xml; charset=utf-8")).statusCode());
    }

    @Test
    void malformedXmlIsRelayedNotValidatedBecauseWnsLeavesThatToTheClient() throws Exception {
        String broken = "<toast><visual><binding template=\"ToastText01\"><text>unclosed";
        HttpResponse<String> response = send(wns(gateway.channelUri(APP_A, "delivered"), tokenA, WnsType.TOAST, broken));
        assertEquals(200, response.statusCode());
        assertArrayEquals(broken.getBytes(StandardCharsets.UTF_8), last("delivered").payload());
        assertEquals(200, send(wns(gateway.channelUri(APP_A, "delivered"), tokenA, WnsType.BADGE, "not xml at all")).statusCode());
    }

    // ---- optional request headers ---------------------------------------------------------------------

    @Test
    void cachePolicyDefaultsPerTypeAndIsValidated() throws Exception {
        send(wns(gateway.channelUri(APP_A, "delivered"), tokenA, WnsType.TILE, "<tile/>"));
        assertEquals(CachePolicy.CACHE, last("delivered").cachePolicy());
        send(wns(gateway.channelUri(APP_A, "delivered"), tokenA, WnsType.RAW, "r"));
        assertEquals(CachePolicy.NO_CACHE, last("delivered").cachePolicy());
        send(wns(gateway.channelUri(APP_A, "delivered"), tokenA, WnsType.BADGE, "<badge/>").header("X-WNS-Cache-Policy", "no-cache"));
        assertEquals(CachePolicy.NO_CACHE, last("delivered").cachePolicy());
        assertBadRequest(send(toast("delivered").header("X-WNS-Cache-Policy", "always")), "X-WNS-Cache-Policy");
    }

    @Test
    void requestForStatusAddsTheDeviceConnectionStatus() throws Exception {
        HttpResponse<String> asked = send(toast("stored").header("X-WNS-RequestForStatus", "true"));
        assertEquals("disconnected", header(asked, "X-WNS-DeviceConnectionStatus"));
        HttpResponse<String> notAsked = send(toast("delivered").header("X-WNS-RequestForStatus", "false"));
        assertEquals(null, header(notAsked, "X-WNS-DeviceConnectionStatus"));
        assertBadRequest(send(toast("delivered").header("X-WNS-RequestForStatus", "yes")), "X-WNS-RequestForStatus");
    }

    @Test
    void tagIsCarriedAndMustBeShortAlphanumeric() throws Exception {
        assertEquals(200, send(wns(gateway.channelUri(APP_A, "delivered"), tokenA, WnsType.TILE, "<tile/>")
                .header("X-WNS-Tag", "stock42")).statusCode());
        assertEquals("stock42", last("delivered").tag());
        assertBadRequest(send(toast("delivered").header("X-WNS-Tag", "x".repeat(17))), "X-WNS-Tag");
        assertBadRequest(send(toast("delivered").header("X-WNS-Tag", "no-dashes")), "X-WNS-Tag");
    }

    @Test
    void ttlBecomesAnExpiryAndIsValidated() throws Exception {
        long before = System.currentTimeMillis();
        send(toast("delivered").header("X-WNS-TTL", "3600"));
        long expires = last("delivered").expiresAtMillis();
        assertTrue(expires >= before + 3_600_000 && expires <= System.currentTimeMillis() + 3_600_000);
        send(toast("delivered"));
        assertEquals(Push.NEVER, last("delivered").expiresAtMillis(), "no TTL: never expires");
        assertBadRequest(send(toast("delivered").header("X-WNS-TTL", "-5")), "X-WNS-TTL");
        assertBadRequest(send(toast("delivered").header("X-WNS-TTL", "99999999999")), "X-WNS-TTL");
    }

    @Test
    void suppressPopupFalseIsAcceptedTrueIsRefusedOnAWindowsChannel() throws Exception {
        assertEquals(200, send(toast("delivered").header("X-WNS-SuppressPopup", "false")).statusCode());
        assertBadRequest(send(toast("delivered").header("X-WNS-SuppressPopup", "true")), "Windows Phone");
        assertBadRequest(send(toast("delivered").header("X-WNS-SuppressPopup", "maybe")), "X-WNS-SuppressPopup");
    }

    @Test
    void groupIsCarriedAndValidated() throws Exception {
        assertEquals(200, send(toast("delivered").header("X-WNS-Group", "chat7")).statusCode());
        assertEquals("chat7", last("delivered").group());
        assertBadRequest(send(toast("delivered").header("X-WNS-Group", "with space")), "X-WNS-Group");
    }

    @Test
    void matchIsOnlyForWindowsPhoneDeletes() throws Exception {
        assertBadRequest(send(toast("delivered").header("X-WNS-Match", "type:wns/toast;all")), "X-WNS-Match");
    }

    @Test
    void priorityDefaultsPerTypeAndIsValidated() throws Exception {
        send(toast("delivered"));
        assertEquals(PushPriority.HIGH, last("delivered").priority());
        send(wns(gateway.channelUri(APP_A, "delivered"), tokenA, WnsType.BADGE, "<badge/>"));
        assertEquals(PushPriority.MEDIUM, last("delivered").priority());
        send(wns(gateway.channelUri(APP_A, "delivered"), tokenA, WnsType.RAW, "r"));
        assertEquals(PushPriority.LOW, last("delivered").priority());
        send(toast("delivered").header("X-WNS-PRIORITY", "4"));
        assertEquals(PushPriority.VERY_LOW, last("delivered").priority());
        assertBadRequest(send(toast("delivered").header("X-WNS-PRIORITY", "0")), "X-WNS-PRIORITY");
        assertBadRequest(send(toast("delivered").header("X-WNS-PRIORITY", "high")), "X-WNS-PRIORITY");
    }

    @Test
    void msCvIsEchoedWhenPlausibleAndReplacedOtherwise() throws Exception {
        assertEquals("tul5lFEVRsqNanU/.7", header(send(toast("delivered").header("MS-CV", "tul5lFEVRsqNanU/.7")), "MS-CV"));
        String replaced = header(send(toast("delivered").header("MS-CV", "<script>")), "MS-CV");
        assertNotEquals("<script>", replaced);
        assertTrue(replaced.endsWith(".0"));
    }

    @Test
    void aRepeatedWnsHeaderIs400() throws Exception {
        assertBadRequest(send(toast("delivered").header("X-WNS-TTL", "5").header("X-WNS-TTL", "6")), "more than once");
    }

    @Test
    void everyAnswerCarriesMsgIdDebugTraceAndMsCv() throws Exception {
        for (HttpResponse<String> response : List.of(send(toast("delivered")), send(toast("dropped")),
                send(toast("delivered").header("X-WNS-PRIORITY", "9")))) {
            assertTrue(header(response, "X-WNS-Msg-ID").matches("[0-9A-F]{16}"));
            assertTrue(header(response, "X-WNS-Debug-Trace").startsWith("WL-"));
            assertFalse(header(response, "MS-CV").isBlank());
            assertEquals("", response.body());
        }
    }

    // ---- statuses: 200 dropped, channelthrottled, 406, 503 overloaded ------------------------------------

    @Test
    void aNotificationTheDeviceSideDropsIs200Dropped() throws Exception {
        HttpResponse<String> response = send(toast("dropped").header("X-WNS-RequestForStatus", "true"));
        assertEquals(200, response.statusCode());
        assertEquals("dropped", header(response, "X-WNS-Status"));
        assertEquals("disconnected", header(response, "X-WNS-DeviceConnectionStatus"));
    }

    @Test
    void aChannelOverItsRateIsChannelThrottledWithContinueAfter() throws Exception {
        String uri = tight.channelUri(APP_A, "delivered");
        assertEquals("received", header(fixture.http2.send(wns(uri, tokenA, WnsType.RAW, "1").build(), BodyHandlers.ofString()),
                "X-WNS-Status"));
        HttpResponse<String> throttled = fixture.http2.send(wns(uri, tokenA, WnsType.RAW, "2").build(), BodyHandlers.ofString());
        assertEquals(200, throttled.statusCode());
        assertEquals("channelthrottled", header(throttled, "X-WNS-Status"));
        assertEquals("channelthrottled", header(throttled, "X-WNS-NotificationStatus"));
        assertTrue(Long.parseLong(header(throttled, "X-WNS-CONTINUE-AFTER")) >= 1);
    }

    @Test
    void aSenderOverItsRateIs406WithRetryAfter() throws Exception {
        HttpResponse<String> last = null;
        for (int i = 0; i < 6; i++) {
            last = fixture.http2.send(wns(tight.channelUri(APP_B, "delivered", System.currentTimeMillis() + 60_000 + i),
                    tokenB, WnsType.RAW, "x").build(), BodyHandlers.ofString());
            if (i < 5) {
                assertEquals(200, last.statusCode(), "send " + i);
            }
        }
        assertEquals(406, last.statusCode());
        assertTrue(Long.parseLong(header(last, "Retry-After")) >= 1);
        assertEquals("dropped", header(last, "X-WNS-Status"));
    }

    @Test
    void aNodeOverItsSendsInFlightIs503WithRetryAfterAtOnce() throws Exception {
        CompletableFuture<HttpResponse<String>> hanging = fixture.http2.sendAsync(
                wns(tight.channelUri(APP_A, "hang"), tokenA, WnsType.RAW, "x").build(), BodyHandlers.ofString());
        // the send reaches the device side inside its slot, and holds it until its ask times out
        TestWaits.awaitUntil(Duration.ofSeconds(10), () -> tightDevices.lastByTarget.containsKey("hang"));
        long started = System.nanoTime();
        HttpResponse<String> refused = fixture.http2.send(wns(tight.channelUri(APP_A, "dropped"), tokenA, WnsType.RAW, "x").build(),
                BodyHandlers.ofString());
        assertEquals(503, refused.statusCode());
        assertEquals("2", header(refused, "Retry-After"));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 900, "refused without waiting");
        assertEquals(503, hanging.get(10, TimeUnit.SECONDS).statusCode(), "the hanging one times out");
    }

    // ---- one timeout on the hop to the device's entity ------------------------------------------------

    private static HttpResponse<String> timed(HttpRequest request, Duration[] took) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = fixture.http2.send(request, BodyHandlers.ofString());
        took[0] = Duration.ofNanos(System.nanoTime() - started);
        return response;
    }

    /** At least the device-ask-timeout (1 s), and far from wakeline.device.ask-timeout (30 s) or any other bound. */
    private static void assertAnsweredAfterTheDeviceAskTimeoutAlone(Duration took) {
        assertTrue(took.compareTo(DEVICE_ASK_TIMEOUT.minusMillis(100)) >= 0, "waited for the ask: " + took);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "no other timer around it: " + took);
    }

    @Test
    void aSendWhoseDeviceEntityDoesNotAnswerIs503AfterTheDeviceAskTimeout() throws Exception {
        Duration[] took = new Duration[1];
        HttpResponse<String> response = timed(wns(unanswered.channelUri(APP_A, "ch-1"), tokenA, WnsType.RAW, "x").build(), took);
        assertEquals(503, response.statusCode());
        assertEquals("2", header(response, "Retry-After"));
        assertEquals(null, header(response, "X-WNS-Status"), "it may or may not have reached the device");
        assertAnsweredAfterTheDeviceAskTimeoutAlone(took[0]);
    }

    @Test
    void aWebPushSendWhoseDeviceEntityDoesNotAnswerIs503AfterTheDeviceAskTimeout() throws Exception {
        Duration[] took = new Duration[1];
        HttpResponse<String> response = timed(HttpRequest.newBuilder(URI.create(unanswered.webPushEndpoint("sub-1")))
                .header("TTL", "60").POST(BodyPublishers.noBody()).build(), took);
        assertEquals(503, response.statusCode());
        assertEquals("2", header(response, "Retry-After"));
        assertAnsweredAfterTheDeviceAskTimeoutAlone(took[0]);
    }

    // ---- malformed input ------------------------------------------------------------------------------

    private static String rawHttp(int port, String head, byte[] body, int soTimeoutMillis) throws IOException {
        try (SSLSocket socket = (SSLSocket) fixture.clientTls.getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(soTimeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static String sendHead(String uri, String token, String extraHeaders, long contentLength) {
        URI parsed = URI.create(uri);
        return "POST " + parsed.getRawPath() + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n"
                + "X-WNS-Type: wns/raw\r\nContent-Type: application/octet-stream\r\n" + extraHeaders
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    @Test
    void aHeaderOf100KilobytesIsRefusedAndOthersAreServed() throws Exception {
        String huge = "X-WNS-Tag: " + "a".repeat(100 * 1024) + "\r\n";
        String status = rawHttp(gateway.port, sendHead(gateway.channelUri(APP_A, "delivered"), tokenA, huge, 1), new byte[] {1}, 10_000);
        // refused by the HTTP layer (header values are bounded at 8 KiB) before any WNS rule runs
        assertTrue(status.startsWith("HTTP/1.1 431 "), status);
        assertEquals(200, send(toast("delivered")).statusCode());
    }

    @Test
    void aTenMegabyteBodyIs413BeforeItIsRead() throws Exception {
        String status = rawHttp(gateway.port, sendHead(gateway.channelUri(APP_A, "delivered"), tokenA, "", 10L * 1024 * 1024),
                null, 10_000);
        assertTrue(status.startsWith("HTTP/1.1 413 "), status);
        // and over HTTP/1.1 with the body actually streaming
        HttpResponse<String> streamed = fixture.http11.send(wns(gateway.channelUri(APP_A, "delivered"), tokenA, WnsType.RAW, "")
                .POST(BodyPublishers.ofByteArray(new byte[64 * 1024])).build(), BodyHandlers.ofString());
        assertEquals(413, streamed.statusCode());
        assertEquals(200, send(toast("delivered")).statusCode());
    }

    @Test
    void aSlowLorisBodyIsCutOffAfterTheBodyTimeoutWithoutSlowingOthers() throws Exception {
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> {
            try (SSLSocket socket = (SSLSocket) fixture.clientTls.getSocketFactory().createSocket("localhost", tight.port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(sendHead(tight.channelUri(APP_A, "delivered-slow"), tokenA, "", 100).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                for (int i = 0; i < 3; i++) {
                    out.write('x'); // one byte a second, never the 100 promised
                    out.flush();
                    Thread.sleep(1000);
                }
                return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            } catch (Exception e) {
                return "failed: " + e;
            }
        });
        Thread.sleep(200);
        long started = System.nanoTime();
        assertEquals(200, send(toast("delivered")).statusCode());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 2000, "other requests are not held up");
        String status = slow.get(15, TimeUnit.SECONDS);
        assertTrue(status.startsWith("HTTP/1.1 400 "), status);
    }

    @Test
    void slowHeadersDoNotHoldUpOtherRequests() throws Exception {
        List<SSLSocket> dripping = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                SSLSocket socket = (SSLSocket) fixture.clientTls.getSocketFactory().createSocket("localhost", gateway.port);
                socket.getOutputStream().write("POST /w/x HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                dripping.add(socket);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(200, fixture.http11.send(toast("delivered").build(), BodyHandlers.ofString()).statusCode());
            }
        } finally {
            for (SSLSocket socket : dripping) {
                socket.close();
            }
        }
    }
}
