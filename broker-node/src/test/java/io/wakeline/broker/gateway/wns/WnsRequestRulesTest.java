package io.wakeline.broker.gateway.wns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ChannelTokenSealer;
import io.wakeline.broker.device.CachePolicy;
import io.wakeline.broker.device.PushPriority;
import io.wakeline.broker.device.WnsType;
import io.wakeline.broker.gateway.http.Rejection.Kind;
import io.wakeline.broker.gateway.http.RequestHeadBuilder;
import io.wakeline.broker.gateway.oauth.AccessToken;
import io.wakeline.broker.gateway.oauth.AccessTokenSealer;
import io.wakeline.broker.gateway.oauth.BearerAuthentication;
import io.wakeline.broker.gateway.wns.WnsRequestRules.Decision;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WnsRequestRulesTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final String APP = "ms-app://S-1-15-2-100";
    private static final String OTHER_APP = "ms-app://S-1-15-2-200";

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private final ChannelTokenSealer channels = new ChannelTokenSealer(key());
    private final AccessTokenSealer accessTokens = new AccessTokenSealer(key());
    private final WnsRequestRules rules = new WnsRequestRules(channels, new BearerAuthentication(accessTokens));

    private final String channel = channels.seal(new ChannelToken("device-1", APP, "ch-1", NOW + 60_000));
    private final String bearer = "Bearer " + accessTokens.seal(new AccessToken(APP, NOW - 1000, NOW + 86_400_000));

    /** A valid raw send; tests change one thing at a time. */
    private final class Request extends RequestHeadBuilder<Request> {
        String sealed = channel;

        Request() {
            header("authorization", bearer);
            header("x-wns-type", "wns/raw");
            contentType = Optional.of("application/octet-stream");
            contentLength = OptionalLong.of(10);
        }

        Decision check() {
            return rules.checkHead(head(), sealed, NOW);
        }
    }

    private static void assertRejected(Kind kind, Decision decision) {
        var rejected = assertInstanceOf(Decision.Rejected.class, decision);
        assertEquals(kind, rejected.rejection().kind());
        assertFalse(rejected.rejection().description().isBlank());
    }

    @Test
    void aWellFormedRawSendIsAcceptedWithRawDefaults() {
        var accepted = assertInstanceOf(Decision.Accepted.class, new Request().check());
        assertEquals(new ChannelToken("device-1", APP, "ch-1", NOW + 60_000), accepted.channel());
        assertEquals(CachePolicy.NO_CACHE, accepted.options().cachePolicy());
        assertEquals(WnsRequestRules.StatusRequest.NONE, accepted.options().statusRequest());
    }

    @Test
    void cachePolicyAndRequestForStatusAreRead() {
        var accepted = assertInstanceOf(Decision.Accepted.class, new Request()
                .header("x-wns-cache-policy", "cache").header("x-wns-requestforstatus", "true").check());
        assertEquals(CachePolicy.CACHE, accepted.options().cachePolicy());
        assertEquals(WnsRequestRules.StatusRequest.DEVICE_CONNECTION, accepted.options().statusRequest());
        var explicit = assertInstanceOf(Decision.Accepted.class, new Request()
                .header("x-wns-cache-policy", "no-cache").header("x-wns-requestforstatus", "false").check());
        assertEquals(CachePolicy.NO_CACHE, explicit.options().cachePolicy());
        assertEquals(WnsRequestRules.StatusRequest.NONE, explicit.options().statusRequest());
    }

    @Test
    void anyMethodButPostIs405BeforeAnythingElse() {
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")) {
            Request request = new Request().without("authorization");
            request.method = method;
            request.sealed = "garbage";
            assertRejected(Kind.METHOD_NOT_ALLOWED, request.check());
        }
    }

    @Test
    void aMissingMalformedForeignOrExpiredBearerIs401() {
        assertRejected(Kind.UNAUTHORIZED, new Request().without("authorization").check());
        assertRejected(Kind.UNAUTHORIZED, new Request().header("authorization", "Basic dXNlcjpwYXNz").check());
        assertRejected(Kind.UNAUTHORIZED, new Request().header("authorization", "Bearer").check());
        assertRejected(Kind.UNAUTHORIZED, new Request().header("authorization", "Bearer garbage").check());
        assertRejected(Kind.UNAUTHORIZED, new Request().header("authorization", bearer, bearer).check());
        String foreign = new AccessTokenSealer(key()).seal(new AccessToken(APP, NOW, NOW + 1000));
        assertRejected(Kind.UNAUTHORIZED, new Request().header("authorization", "Bearer " + foreign).check());
        String expired = accessTokens.seal(new AccessToken(APP, NOW - 2000, NOW));
        assertRejected(Kind.UNAUTHORIZED, new Request().header("authorization", "Bearer " + expired).check());
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        String token = bearer.substring("Bearer ".length());
        assertInstanceOf(Decision.Accepted.class, new Request().header("authorization", "bearer " + token).check());
    }

    @Test
    void authenticationComesBeforeTheChannelSoUnauthenticatedCallersLearnNothing() {
        Request request = new Request().without("authorization");
        request.sealed = "tampered";
        assertRejected(Kind.UNAUTHORIZED, request.check());
    }

    @Test
    void aTamperedChannelIs404() {
        Request request = new Request();
        char last = channel.charAt(channel.length() - 1);
        request.sealed = channel.substring(0, channel.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertRejected(Kind.NOT_FOUND, request.check());
        request.sealed = "";
        assertRejected(Kind.NOT_FOUND, request.check());
    }

    @Test
    void anotherAppsTokenIs403WithTheWnsDescription() {
        String otherBearer = "Bearer " + accessTokens.seal(new AccessToken(OTHER_APP, NOW, NOW + 1000));
        var rejected = assertInstanceOf(Decision.Rejected.class, new Request().header("authorization", otherBearer).check());
        assertEquals(Kind.FORBIDDEN, rejected.rejection().kind());
        assertEquals("Channel URL incompatible with caller app", rejected.rejection().description());
    }

    @Test
    void anExpiredChannelIs410() {
        Request request = new Request();
        request.sealed = channels.seal(new ChannelToken("device-1", APP, "ch-1", NOW));
        assertRejected(Kind.GONE, request.check());
    }

    @Test
    void malformedRequestsAre400() {
        List<Request> bad = new ArrayList<>();
        bad.add(new Request().without("x-wns-type"));
        bad.add(new Request().header("x-wns-type", "wns/unknown"));
        bad.add(new Request().header("x-wns-type", "WNS/RAW"));
        bad.add(new Request().header("x-wns-type", "wns/raw", "wns/raw"));
        bad.add(new Request().header("x-wns-cache-policy", "sometimes"));
        bad.add(new Request().header("x-wns-requestforstatus", "yes"));
        bad.add(new Request().header("x-wns-ttl", "-1"));
        bad.add(new Request().header("x-wns-priority", "5"));
        bad.add(new Request().header("x-wns-tag", "has space"));
        bad.add(new Request().header("x-wns-group", "x".repeat(17)));
        bad.add(new Request().header("x-wns-suppresspopup", "true"));
        bad.add(new Request().header("x-wns-suppresspopup", "maybe"));
        bad.add(new Request().header("x-wns-match", "type:wns/toast;all"));
        Request textXml = new Request();
        textXml.contentType = Optional.of("text/xml");
        bad.add(textXml);
        Request noContentType = new Request();
        noContentType.contentType = Optional.empty();
        bad.add(noContentType);
        Request chunked = new Request();
        chunked.chunked = true;
        chunked.contentLength = OptionalLong.empty();
        bad.add(chunked);
        Request empty = new Request();
        empty.contentLength = OptionalLong.of(0);
        bad.add(empty);
        for (Request request : bad) {
            assertRejected(Kind.BAD_REQUEST, request.check());
        }
    }

    @Test
    void toastTileAndBadgeAreAcceptedAsTextXmlWithTheirDefaults() {
        Map<String, WnsType> types = Map.of("wns/toast", WnsType.TOAST, "wns/tile", WnsType.TILE, "wns/badge", WnsType.BADGE);
        for (var type : types.entrySet()) {
            Request request = new Request().header("x-wns-type", type.getKey());
            request.contentType = Optional.of("text/xml");
            var accepted = assertInstanceOf(Decision.Accepted.class, request.check());
            assertEquals(type.getValue(), accepted.options().type());
            // wns-spec 2.1: toast priority 1, tile and badge 2; tile and badge cache by default
            assertEquals(type.getValue() == WnsType.TOAST ? PushPriority.HIGH : PushPriority.MEDIUM, accepted.options().priority());
            assertEquals(CachePolicy.CACHE, accepted.options().cachePolicy());
            assertTrue(accepted.options().ttlSeconds().isEmpty());
        }
    }

    @Test
    void xmlTypesRefuseOctetStreamAndRawRefusesXml() {
        for (String type : List.of("wns/toast", "wns/tile", "wns/badge")) {
            Request request = new Request().header("x-wns-type", type); // application/octet-stream
            assertRejected(Kind.BAD_REQUEST, request.check());
        }
    }

    @Test
    void rawDefaultsToPriority3AndOptionalHeadersAreCarried() {
        var raw = assertInstanceOf(Decision.Accepted.class, new Request().check());
        assertEquals(PushPriority.LOW, raw.options().priority());
        var tuned = assertInstanceOf(Decision.Accepted.class, new Request().header("x-wns-priority", "4")
                .header("x-wns-ttl", "60").header("x-wns-tag", "T1").header("x-wns-group", "G1").check());
        assertEquals(PushPriority.VERY_LOW, tuned.options().priority());
        assertEquals(60, tuned.options().ttlSeconds().getAsLong());
        assertEquals(NOW + 60_000, tuned.options().expiresAtMillis(NOW, Long.MAX_VALUE));
        assertEquals("T1", tuned.options().tag());
        assertEquals("G1", tuned.options().group());
    }

    @Test
    void absurdHeaderValuesAre400() {
        for (String[] header : new String[][] {
                {"x-wns-ttl", "99999999999"}, {"x-wns-ttl", "1e9"}, {"x-wns-ttl", ""}, {"x-wns-ttl", "+5"},
                {"x-wns-priority", "0"}, {"x-wns-priority", "01"}, {"x-wns-priority", "high"},
                {"x-wns-tag", "x".repeat(100_000)}, {"x-wns-tag", "é"}, {"x-wns-group", ""},
                {"x-wns-cache-policy", "cache, no-cache"}, {"x-wns-requestforstatus", "1"}}) {
            assertRejected(Kind.BAD_REQUEST, new Request().header(header[0], header[1]).check());
        }
    }

    @Test
    void wellFormedOptionalHeadersAreAccepted() {
        assertInstanceOf(Decision.Accepted.class, new Request()
                .header("x-wns-ttl", "3600").header("x-wns-priority", "1").header("x-wns-tag", "abc123")
                .header("x-wns-group", "G1").header("x-wns-suppresspopup", "false").check());
    }

    @Test
    void aDeclaredLengthAbove5000Is413BeforeTheBodyIsRead() {
        Request big = new Request();
        big.contentLength = OptionalLong.of(5001);
        assertRejected(Kind.PAYLOAD_TOO_LARGE, big.check());
        big.contentLength = OptionalLong.of(Long.MAX_VALUE);
        assertRejected(Kind.PAYLOAD_TOO_LARGE, big.check());
        Request exact = new Request();
        exact.contentLength = OptionalLong.of(5000);
        assertInstanceOf(Decision.Accepted.class, exact.check());
        Request unknown = new Request();
        unknown.contentLength = OptionalLong.empty(); // HTTP/2 stream: bounded while reading
        assertInstanceOf(Decision.Accepted.class, unknown.check());
    }

    @Test
    void thePayloadRuleBoundsWhatWasRead() {
        assertEquals(Kind.BAD_REQUEST, rules.checkPayload(0).orElseThrow().kind());
        assertTrue(rules.checkPayload(1).isEmpty());
        assertTrue(rules.checkPayload(5000).isEmpty());
        assertEquals(Kind.PAYLOAD_TOO_LARGE, rules.checkPayload(5001).orElseThrow().kind());
    }
}
