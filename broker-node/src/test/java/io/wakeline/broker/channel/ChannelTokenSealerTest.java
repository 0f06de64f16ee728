package io.wakeline.broker.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelTokenSealerTest {
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private final ChannelTokenSealer sealer = new ChannelTokenSealer(key());

    @Test
    void aSealedTokenOpensToTheSameToken() {
        ChannelToken token = new ChannelToken("device-1", "ms-app://S-1-15-2-1", "channel-7", 1_800_000_000_000L);
        var opened = assertInstanceOf(ChannelTokenSealer.Opened.Valid.class, sealer.open(sealer.seal(token)));
        assertEquals(token, opened.token());
    }

    @Test
    void sealingTwiceGivesDifferentStrings() {
        ChannelToken token = new ChannelToken("d", "ms-app://a", "c", 1L);
        assertNotEquals(sealer.seal(token), sealer.seal(token));
    }

    @Test
    void everySingleCharacterChangeIsInvalid() {
        // several lengths, so that every remainder of the base64 tail (spare low bits) is exercised
        List<ChannelToken> tokens = new ArrayList<>();
        for (String device : List.of("d", "de", "dev", "devi")) {
            tokens.add(new ChannelToken(device, "ms-app://S-1-15-2-42", "ch", 1_900_000_000_000L));
        }
        for (ChannelToken token : tokens) {
            String sealed = sealer.seal(token);
            for (int i = 0; i < sealed.length(); i++) {
                for (char c : BASE64URL.toCharArray()) {
                    if (c == sealed.charAt(i)) {
                        continue;
                    }
                    String changed = sealed.substring(0, i) + c + sealed.substring(i + 1);
                    assertInstanceOf(ChannelTokenSealer.Opened.Invalid.class, sealer.open(changed),
                            "changed position " + i + " of " + sealed.length() + " to " + c);
                }
            }
        }
    }

    @Test
    void aTokenSealedWithAnotherKeyIsInvalid() {
        ChannelTokenSealer foreign = new ChannelTokenSealer(key());
        String sealed = foreign.seal(new ChannelToken("d", "ms-app://a", "c", 1L));
        assertInstanceOf(ChannelTokenSealer.Opened.Invalid.class, sealer.open(sealed));
    }

    @Test
    void garbageIsInvalid() {
        String sealed = sealer.seal(new ChannelToken("d", "ms-app://a", "c", 1L));
        for (String garbage : List.of("", "x", "%%%%", "not base64!", "AAAA", "A".repeat(2000),
                sealed.substring(0, sealed.length() - 1), sealed + "A", sealed + "AA", sealed.substring(4))) {
            assertInstanceOf(ChannelTokenSealer.Opened.Invalid.class, sealer.open(garbage), garbage);
        }
        assertInstanceOf(ChannelTokenSealer.Opened.Invalid.class, sealer.open(null));
    }
}
