package io.wakeline.broker.gateway.webpush;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wakeline.broker.device.WebPushMessage;
import io.wakeline.broker.device.WebPushUrgency;
import io.wakeline.broker.gateway.app.FakeDeviceSide;
import io.wakeline.broker.gateway.app.GatewayFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Web Push endpoint over real HTTPS (RFC 8030 §5, RFC 8292), against a fake device side. */
class WebPushHttpsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayFixture fixture;
    private static final FakeDeviceSide devices = new FakeDeviceSide();
    private static GatewayFixture.Gateway gateway;
    private static GatewayFixture.Gateway rfcGone;
    private static GatewayFixture.Gateway tight;
    private static final VapidKeys server = VapidKeys.generate();

    @BeforeAll
    static void start() throws Exception {
        fixture = GatewayFixture.start("WebPushHttpsTest", "");
        gateway = fixture.bind(devices, "");
        rfcGone = fixture.bind(devices, "wakeline.app-gateway.web-push.gone-status = 404");
        tight = fixture.bind(devices, "wakeline.app-gateway.limits.web-push-sender { per-second = 0.01, burst = 2 }");
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static HttpRequest.Builder post(String endpoint, byte[] body) {
        return HttpRequest.newBuilder(URI.create(endpoint))
                .header("TTL", "60")
                .header("Content-Encoding", "aes128gcm")
                .POST(BodyPublishers.ofByteArray(body));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return fixture.http2.send(request.build(), BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static void assertError(int status, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(status, JSON.readTree(response.body()).get("code").asInt());
        assertTrue(!JSON.readTree(response.body()).get("message").asText().isBlank());
    }

    @Test
    void anAcceptedMessageIs201WithLocationAndTtlAndIsRelayedByteIdentical() throws Exception {
        byte[] body = payload(4096);
        HttpResponse<String> response = send(post(gateway.webPushEndpoint("delivered"), body).header("Urgency", "high")
                .header("Topic", "inbox"));
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(header(response, "Location").startsWith(gateway.base + "/wp/m/"));
        assertEquals("60", header(response, "TTL"));
        WebPushMessage message = (WebPushMessage) devices.lastByTarget.get("delivered");
        assertArrayEquals(body, message.payload());
        assertEquals("aes128gcm", message.contentEncoding());
        assertEquals(WebPushUrgency.HIGH, message.urgency());
        assertEquals("inbox", message.topic());
    }

    @Test
    void aMessageWithoutPayloadNeedsNoEncoding() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway.webPushEndpoint("delivered")))
                .header("TTL", "0").POST(BodyPublishers.noBody()));
        assertEquals(201, response.statusCode(), response.body());
        assertEquals("0", header(response, "TTL"));
    }

    @Test
    void ttlIsRequiredAndALongOneIsShortenedInTheAnswer() throws Exception {
        assertError(400, send(HttpRequest.newBuilder(URI.create(gateway.webPushEndpoint("delivered")))
                .header("Content-Encoding", "aes128gcm").POST(BodyPublishers.ofByteArray(payload(10)))));
        HttpResponse<String> shortened = send(post(gateway.webPushEndpoint("delivered"), payload(10)).setHeader("TTL", "999999999"));
        assertEquals(201, shortened.statusCode());
        assertEquals(String.valueOf(28L * 24 * 3600), header(shortened, "TTL"));
    }

    @Test
    void badUrgencyTopicOrEncodingIs400() throws Exception {
        assertError(400, send(post(gateway.webPushEndpoint("delivered"), payload(10)).header("Urgency", "asap")));
        assertError(400, send(post(gateway.webPushEndpoint("delivered"), payload(10)).header("Topic", "x".repeat(33))));
        assertError(400, send(post(gateway.webPushEndpoint("delivered"), payload(10)).setHeader("Content-Encoding", "aesgcm")));
    }

    @Test
    void upTo4096BytesAreAcceptedAndMoreIs413() throws Exception {
        assertEquals(201, send(post(gateway.webPushEndpoint("delivered"), payload(4096))).statusCode());
        assertError(413, send(post(gateway.webPushEndpoint("delivered"), payload(4097))));
    }

    @Test
    void respondAsyncIs202WithANewReceiptSubscriptionThatTheMessageCarries() throws Exception {
        HttpResponse<String> response = send(post(gateway.webPushEndpoint("delivered"), payload(10)).header("Prefer", "respond-async"));
        assertEquals(202, response.statusCode());
        String receipts = receiptLink(response);
        assertTrue(receipts.startsWith(gateway.base + "/wp/r/"), receipts);
        WebPushMessage message = (WebPushMessage) devices.lastByTarget.get("delivered");
        assertTrue(message.receiptRequested());
        assertEquals(header(response, "Location"), message.receipt().messageResource(), "the receipt names the message resource");

        HttpResponse<String> again = send(post(gateway.webPushEndpoint("delivered"), payload(10)).header("Prefer", "respond-async"));
        assertNotEquals(receipts, receiptLink(again), "without one handed back, each send gets a receipt subscription of its own");
        assertNotEquals(message.receipt().receiptSubscriptionId(),
                ((WebPushMessage) devices.lastByTarget.get("delivered")).receipt().receiptSubscriptionId());
    }

    @Test
    void aReceiptSubscriptionHandedBackIsReusedEvenForAnotherSubscription() throws Exception {
        String receipts = receiptLink(send(post(gateway.webPushEndpoint("delivered"), payload(10)).header("Prefer", "respond-async")));
        String id = ((WebPushMessage) devices.lastByTarget.get("delivered")).receipt().receiptSubscriptionId();
        // RFC 8030 §5.1: handed back as a Link with the receipt relation ...
        HttpResponse<String> viaLink = send(post(gateway.webPushEndpoint("stored"), payload(10)).header("Prefer", "respond-async")
                .header("Link", "<" + receipts + ">; rel=\"urn:ietf:params:push:receipt\""));
        assertEquals(202, viaLink.statusCode());
        assertEquals(receipts, receiptLink(viaLink));
        assertEquals(id, ((WebPushMessage) devices.lastByTarget.get("stored")).receipt().receiptSubscriptionId());
        // ... or in the drafts' Push-Receipt header
        HttpResponse<String> viaHeader = send(post(gateway.webPushEndpoint("delivered"), payload(10)).header("Prefer", "respond-async")
                .header("Push-Receipt", receipts));
        assertEquals(receipts, receiptLink(viaHeader));
        assertEquals(id, ((WebPushMessage) devices.lastByTarget.get("delivered")).receipt().receiptSubscriptionId());
    }

    @Test
    void anInvalidReceiptSubscriptionIs400() throws Exception {
        String push = gateway.webPushEndpoint("invalid-receipts");
        assertError(400, send(post(push, payload(10)).header("Prefer", "respond-async")
                .header("Link", "<" + gateway.base + "/wp/r/forged>; rel=\"urn:ietf:params:push:receipt\"")));
        assertError(400, send(post(push, payload(10)).header("Push-Receipt", gateway.base + "/wp/r/forged")));
        // a push resource is not a receipt subscription, whatever path it is put under
        assertError(400, send(post(push, payload(10)).header("Prefer", "respond-async")
                .header("Push-Receipt", gateway.base + "/wp/r/" + push.substring(push.lastIndexOf('/') + 1))));
        assertError(400, send(post(push, payload(10)).header("Prefer", "respond-async")
                .header("Push-Receipt", "https://elsewhere.example/wp/r/x")));
        assertFalse(devices.lastByTarget.containsKey("invalid-receipts"), "nothing was delivered");
    }

    @Test
    void aReceiptSubscriptionIsReadWithGetOnlyAndAnythingNotOursIs404() throws Exception {
        String receipts = receiptLink(send(post(gateway.webPushEndpoint("delivered"), payload(10)).header("Prefer", "respond-async")));
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(receipts)).POST(HttpRequest.BodyPublishers.noBody()));
        assertError(405, post);
        assertEquals("GET", header(post, "Allow"));
        String push = gateway.webPushEndpoint("delivered");
        assertError(404, send(HttpRequest.newBuilder(URI.create(gateway.base + "/wp/r/forged")).GET()));
        assertError(404, send(HttpRequest.newBuilder(URI.create(gateway.base + "/wp/r/" + push.substring(push.lastIndexOf('/') + 1))).GET()));
        String tampered = receipts.substring(0, receipts.length() - 2) + (receipts.endsWith("AA") ? "BB" : "AA");
        assertError(404, send(HttpRequest.newBuilder(URI.create(tampered)).GET()));
    }

    private static String receiptLink(HttpResponse<String> response) {
        assertEquals(202, response.statusCode(), response.body());
        String link = header(response, "Link");
        assertTrue(link.startsWith("<") && link.endsWith(">; rel=\"urn:ietf:params:push:receipt\""), link);
        return link.substring(1, link.indexOf('>'));
    }

    @Test
    void theMessageResourceAnswersWhileTheMessageIsStoredAndCanDeleteIt() throws Exception {
        HttpResponse<String> sent = send(post(gateway.webPushEndpoint("stored"), payload(10)));
        assertEquals(201, sent.statusCode());
        URI message = URI.create(header(sent, "Location"));
        HttpResponse<String> pending = send(HttpRequest.newBuilder(message).GET());
        assertEquals(200, pending.statusCode());
        assertEquals("pending", JSON.readTree(pending.body()).get("state").asText());
        assertEquals(204, send(HttpRequest.newBuilder(message).DELETE()).statusCode());
        assertError(404, send(HttpRequest.newBuilder(message).GET()));
        assertError(404, send(HttpRequest.newBuilder(message).DELETE()));
        assertError(405, send(HttpRequest.newBuilder(message).PUT(BodyPublishers.noBody())));
        assertError(404, send(HttpRequest.newBuilder(URI.create(gateway.base + "/wp/m/forged")).GET()));
    }

    @Test
    void aRestrictedSubscriptionIs401WithoutVapid403WithAnotherKeyAnd201WithItsOwn() throws Exception {
        String endpoint = gateway.webPushEndpoint("delivered", server.publicKey(), System.currentTimeMillis() + 3_600_000);
        HttpResponse<String> none = send(post(endpoint, payload(10)));
        assertError(401, none);
        assertEquals("vapid", header(none, "WWW-Authenticate"));
        long now = System.currentTimeMillis();
        assertError(403, send(post(endpoint, payload(10)).header("Authorization", VapidKeys.generate().authorization(gateway.base, now))));
        assertError(403, send(post(endpoint, payload(10)).header("Authorization", server.authorization("https://elsewhere.example", now))));
        String expired = "vapid t=" + server.jwt(gateway.base, now / 1000 - 10) + ", k=" + server.publicKeyBase64Url();
        assertError(403, send(post(endpoint, payload(10)).header("Authorization", expired)));
        assertEquals(201, send(post(endpoint, payload(10)).header("Authorization", server.authorization(gateway.base, now))).statusCode());
    }

    @Test
    void goneSubscriptionsAre410ByDefaultAnd404WhenConfigured() throws Exception {
        String expired = gateway.webPushEndpoint("delivered", new byte[0], System.currentTimeMillis() - 1);
        assertError(410, send(post(expired, payload(10))));
        assertError(410, send(post(gateway.webPushEndpoint("unknown"), payload(10))));
        assertError(410, send(post(gateway.webPushEndpoint("closed"), payload(10))));
        assertError(404, send(post(rfcGone.webPushEndpoint("delivered", new byte[0], System.currentTimeMillis() - 1), payload(10))));
        assertError(404, send(post(rfcGone.webPushEndpoint("unknown"), payload(10))));
        assertError(404, send(post(gateway.base + "/wp/not-a-token", payload(10))));
    }

    @Test
    void onlyPostIsAllowedOnAPushResource() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway.webPushEndpoint("delivered"))).GET());
        assertError(405, response);
        assertEquals("POST", header(response, "Allow"));
    }

    @Test
    void aSenderOverItsRateIs429WithRetryAfter() throws Exception {
        VapidKeys sender = VapidKeys.generate();
        String auth = sender.authorization(tight.base, System.currentTimeMillis());
        for (int i = 0; i < 2; i++) {
            assertEquals(201, send(post(tight.webPushEndpoint("delivered"), payload(10)).header("Authorization", auth)).statusCode());
        }
        HttpResponse<String> limited = send(post(tight.webPushEndpoint("delivered"), payload(10)).header("Authorization", auth));
        assertError(429, limited);
        assertTrue(Long.parseLong(header(limited, "Retry-After")) >= 1);
        // another sender is not affected
        assertEquals(201, send(post(tight.webPushEndpoint("delivered"), payload(10))
                .header("Authorization", server.authorization(tight.base, System.currentTimeMillis()))).statusCode());
    }

    @Test
    void aDeviceSideThatNeverAnswersIs503WithRetryAfterAndAFailureIs500() throws Exception {
        HttpResponse<String> hanging = send(post(gateway.webPushEndpoint("hang"), payload(10)));
        assertError(503, hanging);
        assertEquals("2", header(hanging, "Retry-After"));
        assertError(500, send(post(gateway.webPushEndpoint("boom"), payload(10))));
    }
}
