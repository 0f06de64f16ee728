package io.wakeline.broker.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SealedBoxTest {
    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER_KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
        Arrays.fill(OTHER_KEY, (byte) 9);
    }

    @Test
    void whatIsSealedOpensAgainAndEachSealIsFresh() {
        SealedBox box = new SealedBox(KEY, "channel");
        byte[] plain = "device-1|app".getBytes(StandardCharsets.UTF_8);
        String a = box.seal(plain);
        String b = box.seal(plain);
        assertNotEquals(a, b, "a fresh nonce per seal");
        assertArrayEquals(plain, box.open(a).orElseThrow());
        assertArrayEquals(plain, box.open(b).orElseThrow());
    }

    @Test
    void anotherPurposeAnotherKeyOrAnAlteredTextDoesNotOpen() {
        SealedBox box = new SealedBox(KEY, "channel");
        String sealed = box.seal(new byte[] {1, 2, 3});
        assertEquals(Optional.empty(), new SealedBox(KEY, "token").open(sealed).map(Arrays::toString));
        assertEquals(Optional.empty(), new SealedBox(OTHER_KEY, "channel").open(sealed).map(Arrays::toString));
        char last = sealed.charAt(sealed.length() - 1);
        String altered = sealed.substring(0, sealed.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertTrue(box.open(altered).isEmpty());
        assertTrue(box.open("").isEmpty());
        assertTrue(box.open("x".repeat(SealedBox.MAX_SEALED_LENGTH + 1)).isEmpty());
    }

    @Test
    void aFailedOpenLeavesTheThreadsCipherUsableForTheNextBox() {
        SealedBox channels = new SealedBox(KEY, "channel");
        SealedBox tokens = new SealedBox(OTHER_KEY, "token");
        String channel = channels.seal(new byte[] {4});
        String token = tokens.seal(new byte[] {5});
        for (int i = 0; i < 3; i++) { // same thread: the cached cipher serves both keys, after failures too
            assertTrue(channels.open(token).isEmpty(), "wrong key fails its tag check");
            assertArrayEquals(new byte[] {4}, channels.open(channel).orElseThrow());
            assertArrayEquals(new byte[] {5}, tokens.open(token).orElseThrow());
        }
    }
}
