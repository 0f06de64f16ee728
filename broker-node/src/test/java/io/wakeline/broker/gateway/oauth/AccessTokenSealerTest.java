package io.wakeline.broker.gateway.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ChannelTokenSealer;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class AccessTokenSealerTest {
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private final byte[] key = key();
    private final AccessTokenSealer sealer = new AccessTokenSealer(key);

    @Test
    void aSealedTokenOpensToTheSameToken() {
        AccessToken token = new AccessToken("ms-app://S-1-15-2-9", 1_000L, 86_401_000L);
        var opened = assertInstanceOf(AccessTokenSealer.Opened.Valid.class, sealer.open(sealer.seal(token)));
        assertEquals(token, opened.token());
    }

    @Test
    void expiryIsTheExpiresAtInstantAndAfter() {
        AccessToken token = new AccessToken("ms-app://a", 0, 100);
        assertFalse(token.isExpiredAt(99));
        assertTrue(token.isExpiredAt(100));
    }

    @Test
    void everySingleCharacterChangeIsInvalid() {
        for (String sid : new String[] {"ms-app://a", "ms-app://ab", "ms-app://abc"}) {
            String sealed = sealer.seal(new AccessToken(sid, 1, 2));
            for (int i = 0; i < sealed.length(); i++) {
                for (char c : BASE64URL.toCharArray()) {
                    if (c != sealed.charAt(i)) {
                        String changed = sealed.substring(0, i) + c + sealed.substring(i + 1);
                        assertInstanceOf(AccessTokenSealer.Opened.Invalid.class, sealer.open(changed));
                    }
                }
            }
        }
    }

    @Test
    void aForeignKeyOrGarbageIsInvalid() {
        String foreign = new AccessTokenSealer(key()).seal(new AccessToken("ms-app://a", 1, 2));
        assertInstanceOf(AccessTokenSealer.Opened.Invalid.class, sealer.open(foreign));
        for (String garbage : new String[] {null, "", "abc", "!!!!", "A".repeat(5000)}) {
            assertInstanceOf(AccessTokenSealer.Opened.Invalid.class, sealer.open(garbage));
        }
    }

    @Test
    void aChannelTokenNeverOpensAsAnAccessTokenEvenUnderTheSameKey() {
        String channel = new ChannelTokenSealer(key).seal(new ChannelToken("ms-app://a", "ms-app://a", "c", Long.MAX_VALUE));
        assertInstanceOf(AccessTokenSealer.Opened.Invalid.class, sealer.open(channel));
    }
}
