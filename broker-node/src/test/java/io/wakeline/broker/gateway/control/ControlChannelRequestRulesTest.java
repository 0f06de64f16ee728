package io.wakeline.broker.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ChannelTokenSealer;
import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.channel.ControlChannelTokenSealer;
import io.wakeline.broker.device.control.ControlChannelSettings;
import io.wakeline.broker.gateway.control.ControlChannelRequestRules.Decision;
import io.wakeline.broker.gateway.http.Rejection.Kind;
import io.wakeline.broker.gateway.http.RequestHead;
import io.wakeline.broker.gateway.oauth.AccessToken;
import io.wakeline.broker.gateway.oauth.AccessTokenSealer;
import io.wakeline.broker.gateway.oauth.BearerAuthentication;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ControlChannelRequestRulesTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final String APP = "ms-app://S-1-15-2-100";
    private static final byte[] CHANNEL_KEY = key();

    private final ControlChannelTokenSealer channels = new ControlChannelTokenSealer(CHANNEL_KEY);
    private final AccessTokenSealer accessTokens = new AccessTokenSealer(key());
    private final ControlChannelRequestRules rules = new ControlChannelRequestRules(channels,
            new BearerAuthentication(accessTokens), ControlChannelSettings.DEFAULTS);
    private final String channel = channels.seal(new ControlChannelToken("device-1", APP, "chat", NOW));
    private final String token = accessTokens.seal(new AccessToken(APP, NOW, NOW + 60_000));

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private Decision send(String sealed, Map<String, String> extra, String contentType, long length) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("authorization", List.of("Bearer " + token));
        extra.forEach((k, v) -> headers.put(k, List.of(v)));
        return rules.check(RequestHead.of("POST", headers).withBody(Optional.ofNullable(contentType), OptionalLong.of(length)),
                sealed, Optional.empty(), NOW);
    }

    private static Kind kindOf(Decision decision) {
        return assertInstanceOf(Decision.Rejected.class, decision).rejection().kind();
    }

    @Test
    void aWellFormedSendIsAcceptedWithDefaults() {
        Decision.Send send = assertInstanceOf(Decision.Send.class, send(channel, Map.of(), "application/octet-stream", 10));
        assertEquals("chat", send.channel().controlChannelId());
        assertEquals("", send.clientMessageId());
        assertEquals(ControlChannelSettings.DEFAULTS.defaultTtl().toSeconds(), send.ttlSeconds());
    }

    @Test
    void clientMessageIdAndTtlAreChecked() {
        Decision.Send send = assertInstanceOf(Decision.Send.class, send(channel,
                Map.of("x-wakeline-message-id", "order-7", "x-wakeline-ttl", "60"), "application/octet-stream", 10));
        assertEquals("order-7", send.clientMessageId());
        assertEquals(NOW + 60_000, send.expiresAtMillis(NOW));
        assertEquals(Kind.BAD_REQUEST, kindOf(send(channel, Map.of("x-wakeline-message-id", "x".repeat(65)), "application/octet-stream", 1)));
        assertEquals(Kind.BAD_REQUEST, kindOf(send(channel, Map.of("x-wakeline-ttl", "0"), "application/octet-stream", 1)));
        assertEquals(Kind.BAD_REQUEST, kindOf(send(channel, Map.of("x-wakeline-ttl", "-5"), "application/octet-stream", 1)));
        assertEquals(Kind.BAD_REQUEST, kindOf(send(channel, Map.of("x-wakeline-ttl", String.valueOf(31L * 86400)), "application/octet-stream", 1)));
    }

    @Test
    void bodySizeAndTypeAreChecked() {
        assertEquals(Kind.BAD_REQUEST, kindOf(send(channel, Map.of(), "application/octet-stream", 0)));
        assertEquals(Kind.PAYLOAD_TOO_LARGE, kindOf(send(channel, Map.of(), "application/octet-stream", 4097)));
        assertEquals(Kind.UNSUPPORTED_MEDIA_TYPE, kindOf(send(channel, Map.of(), "text/plain", 1)));
    }

    @Test
    void tokensAreCheckedLikeWnsSends() {
        char last = channel.charAt(channel.length() - 1);
        String tampered = channel.substring(0, channel.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertEquals(Kind.NOT_FOUND, kindOf(send(tampered, Map.of(), "application/octet-stream", 1)));
        // a WNS channel token sealed under the same key does not open as a control channel
        String wnsChannel = new ChannelTokenSealer(CHANNEL_KEY).seal(new ChannelToken("device-1", APP, "chat", NOW + 1));
        assertEquals(Kind.NOT_FOUND, kindOf(send(wnsChannel, Map.of(), "application/octet-stream", 1)));
        String other = channels.seal(new ControlChannelToken("device-1", "ms-app://S-1-15-2-999", "chat", NOW));
        assertEquals(Kind.FORBIDDEN, kindOf(send(other, Map.of(), "application/octet-stream", 1)));
        Decision noAuth = rules.check(RequestHead.of("POST", Map.of())
                .withBody(Optional.of("application/octet-stream"), OptionalLong.of(1)), channel, Optional.empty(), NOW);
        assertEquals(Kind.UNAUTHORIZED, kindOf(noAuth));
    }

    @Test
    void theStatusResourceIsGetOnly() {
        Map<String, List<String>> headers = Map.of("authorization", List.of("Bearer " + token));
        Optional<String> messageId = Optional.of("0b6c4a52-7a9e-4d1c-9b41-2f1f7c0f8e11");
        Decision status = rules.check(RequestHead.of("GET", headers), channel, messageId, NOW);
        assertTrue(status instanceof Decision.Status);
        Decision post = rules.check(RequestHead.of("POST", headers), channel, messageId, NOW);
        assertEquals(Kind.METHOD_NOT_ALLOWED, kindOf(post));
    }
}
