package io.wakeline.broker.gateway.webpush;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.channel.WebPushSubscriptionSealer;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.WebPushUrgency;
import io.wakeline.broker.gateway.webpush.WebPushRequestRules.Decision;
import io.wakeline.broker.gateway.http.Rejection.Kind;
import io.wakeline.broker.gateway.http.RequestHeadBuilder;
import java.security.SecureRandom;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WebPushRequestRulesTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final String ORIGIN = "https://push.example.com";
    private static final long MAX_TTL = 28L * 24 * 3600;

    private final WebPushSubscriptionSealer sealer = new WebPushSubscriptionSealer(key());
    private final ReceiptSubscriptionSealer receiptSealer = new ReceiptSubscriptionSealer(key());
    private final WebPushRequestRules rules = new WebPushRequestRules(sealer, receiptSealer, ORIGIN, MAX_TTL);
    private final String receipts = receiptSealer.seal(new ReceiptSubscriptionToken("r-1", NOW + 60_000));
    private final String expiredReceipts = receiptSealer.seal(new ReceiptSubscriptionToken("r-0", NOW));
    private final VapidKeys server = VapidKeys.generate();
    private final String open = sealer.seal(new WebPushSubscriptionToken("dev-1", "app", "sub-1", NOW + 60_000, new byte[0]));
    private final String restricted = sealer.seal(new WebPushSubscriptionToken("dev-1", "app", "sub-2", NOW + 60_000,
            server.publicKey()));

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** A valid send to the unrestricted subscription; tests change one thing at a time. */
    private final class Request extends RequestHeadBuilder<Request> {
        String sealed = open;

        Request() {
            header("ttl", "60");
            header("content-encoding", "aes128gcm");
            contentLength = OptionalLong.of(100);
        }

        Decision check() {
            return rules.checkHead(head(), sealed, NOW);
        }
    }

    private static WebPushRequestRules.Accepted accepted(Decision decision) {
        return assertInstanceOf(Decision.Send.class, decision).accepted();
    }

    private static void assertRejected(Kind kind, Decision decision) {
        var rejected = assertInstanceOf(Decision.Rejected.class, decision);
        assertEquals(kind, rejected.rejection().kind(), rejected.rejection().description());
    }

    @Test
    void aMinimalSendIsAcceptedWithNormalUrgency() {
        var accepted = accepted(new Request().check());
        assertEquals("sub-1", accepted.subscription().subscriptionId());
        assertEquals(60, accepted.ttlSeconds());
        assertEquals(WebPushUrgency.NORMAL, accepted.urgency());
        assertEquals("", accepted.topic());
        assertEquals("aes128gcm", accepted.contentEncoding());
        assertFalse(accepted.respondAsync());
        assertFalse(accepted.hasSenderKey());
    }

    @Test
    void onlyPostIsAllowed() {
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            Request request = new Request();
            request.method = method;
            assertRejected(Kind.METHOD_NOT_ALLOWED, request.check());
        }
    }

    @Test
    void aForeignOrTamperedEndpointIsNotFoundAndAnExpiredOneIsGone() {
        Request foreign = new Request();
        foreign.sealed = new WebPushSubscriptionSealer(key()).seal(new WebPushSubscriptionToken("d", "a", "s", NOW + 1, new byte[0]));
        assertRejected(Kind.NOT_FOUND, foreign.check());
        Request garbage = new Request();
        garbage.sealed = "garbage";
        assertRejected(Kind.NOT_FOUND, garbage.check());
        Request expired = new Request();
        expired.sealed = sealer.seal(new WebPushSubscriptionToken("dev-1", "app", "sub-1", NOW, new byte[0]));
        assertRejected(Kind.GONE, expired.check());
    }

    @Test
    void ttlIsRequiredDigitsOnlyAndClampedToTheMaximum() {
        assertRejected(Kind.BAD_REQUEST, new Request().without("ttl").check());
        for (String bad : List.of("-1", "1.5", "soon", "", "0x10")) {
            assertRejected(Kind.BAD_REQUEST, new Request().header("ttl", bad).check());
        }
        assertRejected(Kind.BAD_REQUEST, new Request().header("ttl", "60", "60").check());
        assertEquals(0, accepted(new Request().header("ttl", "0").check()).ttlSeconds());
        assertEquals(MAX_TTL, accepted(new Request().header("ttl", "99999999999999999999999").check()).ttlSeconds());
        assertEquals(MAX_TTL, accepted(new Request().header("ttl", String.valueOf(MAX_TTL + 1)).check()).ttlSeconds());
    }

    @Test
    void urgencyIsOneOfFourValues() {
        assertEquals(WebPushUrgency.VERY_LOW, accepted(new Request().header("urgency", "very-low").check()).urgency());
        assertEquals(WebPushUrgency.HIGH, accepted(new Request().header("urgency", "HIGH").check()).urgency());
        assertRejected(Kind.BAD_REQUEST, new Request().header("urgency", "urgent").check());
        assertRejected(Kind.BAD_REQUEST, new Request().header("urgency", "low, high").check());
        assertRejected(Kind.BAD_REQUEST, new Request().header("urgency", "low", "high").check());
    }

    @Test
    void topicIsAtMost32Base64UrlCharacters() {
        assertEquals("score_1-0", accepted(new Request().header("topic", "score_1-0").check()).topic());
        assertEquals("x".repeat(32), accepted(new Request().header("topic", "x".repeat(32)).check()).topic());
        assertRejected(Kind.BAD_REQUEST, new Request().header("topic", "x".repeat(33)).check());
        assertRejected(Kind.BAD_REQUEST, new Request().header("topic", "has space").check());
        assertRejected(Kind.BAD_REQUEST, new Request().header("topic", "a+b/c=").check());
    }

    @Test
    void preferRespondAsyncAsksForAReceipt() {
        assertTrue(accepted(new Request().header("prefer", "respond-async").check()).respondAsync());
        assertTrue(accepted(new Request().header("prefer", "wait=5, Respond-Async").check()).respondAsync());
        assertFalse(accepted(new Request().header("prefer", "return=minimal").check()).respondAsync());
    }

    @Test
    void respondAsyncWithoutAReceiptSubscriptionGetsAFreshOne() {
        assertInstanceOf(WebPushRequestRules.ReceiptChoice.Fresh.class,
                accepted(new Request().header("prefer", "respond-async").check()).receipt());
        assertInstanceOf(WebPushRequestRules.ReceiptChoice.None.class, accepted(new Request().check()).receipt());
    }

    @Test
    void aReceiptSubscriptionHandedBackAsALinkOrPushReceiptIsReused() {
        String ours = ORIGIN + "/wp/r/" + receipts;
        for (Request request : List.of(
                new Request().header("link", "<" + ours + ">; rel=\"urn:ietf:params:push:receipt\""),
                new Request().header("link", "</wp/r/" + receipts + ">;rel=urn:ietf:params:push:receipt"),
                new Request().header("link", "<https://x.example/a>; rel=\"next\", <" + ours + ">; rel=\"urn:ietf:params:push:receipt\""),
                new Request().header("push-receipt", ours),
                new Request().header("push-receipt", ours).header("link", "<" + ours + ">; rel=\"urn:ietf:params:push:receipt\""))) {
            var reuse = assertInstanceOf(WebPushRequestRules.ReceiptChoice.Reuse.class,
                    accepted(request.header("prefer", "respond-async").check()).receipt());
            assertEquals("r-1", reuse.token().receiptSubscriptionId());
            assertEquals(receipts, reuse.sealed());
        }
        // other relations are not receipt subscriptions
        assertInstanceOf(WebPushRequestRules.ReceiptChoice.Fresh.class, accepted(new Request().header("prefer", "respond-async")
                .header("link", "<https://x.example/wp/r/zzz>; rel=\"next\"").check()).receipt());
    }

    @Test
    void anExpiredReceiptSubscriptionHandedBackIsReplacedByAFreshOne() {
        assertInstanceOf(WebPushRequestRules.ReceiptChoice.Fresh.class, accepted(new Request().header("prefer", "respond-async")
                .header("push-receipt", ORIGIN + "/wp/r/" + expiredReceipts).check()).receipt());
    }

    @Test
    void anInvalidReceiptSubscriptionIsABadRequest() {
        assertRejected(Kind.BAD_REQUEST, new Request().header("push-receipt", "https://other.example/wp/r/" + receipts).check());
        assertRejected(Kind.BAD_REQUEST, new Request().header("push-receipt", ORIGIN + "/wp/r/" + open).check());
        assertRejected(Kind.BAD_REQUEST, new Request().header("push-receipt", ORIGIN + "/wp/m/" + receipts).check());
        assertRejected(Kind.BAD_REQUEST, new Request().header("push-receipt", "not a uri").check());
        assertRejected(Kind.BAD_REQUEST, new Request().header("prefer", "respond-async")
                .header("link", "<" + ORIGIN + "/wp/r/forged>; rel=\"urn:ietf:params:push:receipt\"").check());
        String other = receiptSealer.seal(new ReceiptSubscriptionToken("r-2", NOW + 60_000));
        assertRejected(Kind.BAD_REQUEST, new Request().header("push-receipt", ORIGIN + "/wp/r/" + receipts)
                .header("link", "<" + ORIGIN + "/wp/r/" + other + ">; rel=\"urn:ietf:params:push:receipt\"").check());
    }

    @Test
    void aPayloadNeedsExactlyAes128gcm() {
        assertRejected(Kind.BAD_REQUEST, new Request().without("content-encoding").check());
        assertRejected(Kind.BAD_REQUEST, new Request().header("content-encoding", "aesgcm").check());
        assertRejected(Kind.BAD_REQUEST, new Request().header("content-encoding", "gzip").check());
        assertRejected(Kind.BAD_REQUEST, new Request().header("content-encoding", "aes128gcm", "aes128gcm").check());
        Request empty = new Request().without("content-encoding");
        empty.contentLength = OptionalLong.of(0);
        assertEquals("", accepted(empty.check()).contentEncoding(), "a push without payload needs no encoding");
    }

    @Test
    void upTo4096BytesAreAcceptedAndMoreIs413() {
        Request exact = new Request();
        exact.contentLength = OptionalLong.of(4096);
        accepted(exact.check());
        Request big = new Request();
        big.contentLength = OptionalLong.of(4097);
        assertRejected(Kind.PAYLOAD_TOO_LARGE, big.check());
        var unknownLength = new Request();
        unknownLength.contentLength = OptionalLong.empty();
        var accepted = accepted(unknownLength.check());
        assertEquals(Kind.PAYLOAD_TOO_LARGE, rules.checkPayload(new byte[4097], accepted).orElseThrow().kind());
        assertTrue(rules.checkPayload(new byte[4096], accepted).isEmpty());
    }

    @Test
    void aRestrictedSubscriptionNeedsVapidWithItsKey() {
        Request none = new Request();
        none.sealed = restricted;
        assertRejected(Kind.UNAUTHORIZED, none.check());
        Request other = new Request().header("authorization", VapidKeys.generate().authorization(ORIGIN, NOW));
        other.sealed = restricted;
        assertRejected(Kind.FORBIDDEN, other.check());
        Request wrongAudience = new Request().header("authorization", server.authorization("https://elsewhere", NOW));
        wrongAudience.sealed = restricted;
        assertRejected(Kind.FORBIDDEN, wrongAudience.check());
        Request good = new Request().header("authorization", server.authorization(ORIGIN, NOW));
        good.sealed = restricted;
        assertArrayEquals(server.publicKey(), accepted(good.check()).senderKey());
    }

    @Test
    void anUnrestrictedSubscriptionTakesAnyValidVapidButNoInvalidOne() {
        assertArrayEquals(server.publicKey(),
                accepted(new Request().header("authorization", server.authorization(ORIGIN, NOW)).check()).senderKey());
        assertRejected(Kind.FORBIDDEN, new Request().header("authorization", server.authorization("https://x", NOW)).check());
    }

    @Test
    void theVapidKeyMustNotAlsoBeThePayloadsEncryptionKey() {
        var accepted = accepted(new Request().header("authorization", server.authorization(ORIGIN, NOW)).check());
        byte[] body = new byte[21 + 65 + 20];
        body[20] = 65;
        System.arraycopy(server.publicKey(), 0, body, 21, 65);
        assertEquals(Kind.BAD_REQUEST, rules.checkPayload(body, accepted).orElseThrow().kind());
        body[21 + 10] ^= 1;
        assertTrue(rules.checkPayload(body, accepted).isEmpty());
    }
}
