package io.wakeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PayloadLayoutTest {

    @Test
    void stampIsSequenceThenIntendedSendTimeBigEndianFollowedByLetters() {
        byte[] payload = PayloadLayout.encode(new PayloadLayout.Stamp(0x0102030405060708L, 0x1112131415161718L), 46);

        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18},
                Arrays.copyOf(payload, PayloadLayout.STAMP_BYTES));
        assertEquals("abcdefghijklmnopqrstuvwxyzabcd",
                new String(payload, PayloadLayout.STAMP_BYTES, 30, StandardCharsets.US_ASCII));
    }

    @Test
    void decodingGivesBackTheStampAndDetectsAlteredFiller() {
        PayloadLayout.Stamp stamp = new PayloadLayout.Stamp(42, 1_700_000_000_123_456_789L);
        byte[] payload = PayloadLayout.encode(stamp, 100);

        assertEquals(stamp, PayloadLayout.decodeStamp(payload));
        assertTrue(PayloadLayout.fillerIntact(payload));
        payload[99] ^= 1;
        assertFalse(PayloadLayout.fillerIntact(payload));
    }

    @Test
    void payloadTooSmallForTheStampIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> PayloadLayout.encode(new PayloadLayout.Stamp(1, 1), PayloadLayout.STAMP_BYTES - 1));
    }
}
