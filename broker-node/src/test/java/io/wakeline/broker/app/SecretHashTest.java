package io.wakeline.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretHashTest {
    private static final String SECRET = "s3cr3t-value-with-some-length";

    @Test
    void matchesOnlyTheHashedSecret() {
        SecretHash hash = SecretHash.of(SECRET, 1000);
        assertTrue(hash.matches(SECRET));
        assertFalse(hash.matches(SECRET.substring(1)));
        assertFalse(hash.matches(SECRET + " "));
        assertFalse(hash.matches(""));
        assertFalse(hash.matches(null));
    }

    @Test
    void everyHashHasItsOwnSalt() {
        SecretHash a = SecretHash.of(SECRET, 1000);
        SecretHash b = SecretHash.of(SECRET, 1000);
        assertFalse(Arrays.equals(a.salt(), b.salt()));
        assertFalse(Arrays.equals(a.hash(), b.hash()));
        assertNotEquals(a, b);
        assertEquals(a, new SecretHash(a.algorithm(), a.iterations(), a.salt(), a.hash()));
    }

    @Test
    void keepsItsIterationCountSoOldHashesStillVerify() {
        SecretHash cheap = SecretHash.of(SECRET, 10);
        assertEquals(10, cheap.iterations());
        assertTrue(new SecretHash(cheap.algorithm(), 10, cheap.salt(), cheap.hash()).matches(SECRET));
        assertFalse(new SecretHash(cheap.algorithm(), 11, cheap.salt(), cheap.hash()).matches(SECRET));
    }

    @Test
    void anUnknownAlgorithmNeverMatches() {
        SecretHash hash = SecretHash.of(SECRET, 10);
        assertFalse(new SecretHash("MD5", 10, hash.salt(), hash.hash()).matches(SECRET));
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        SecretHash hash = SecretHash.of(SECRET, 10);
        String text = hash.toString();
        assertFalse(text.contains(SECRET));
        assertFalse(text.contains(Base64.getEncoder().encodeToString(hash.hash())));
        assertFalse(text.contains(Arrays.toString(hash.hash())));
    }
}
