package io.wakeline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
    private final ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void ceilingDoublesFromTheMinimumUpToTheMaximum() {
        assertEquals(Duration.ofSeconds(1).toNanos(), backoff.ceilingNanos(0));
        assertEquals(Duration.ofSeconds(2).toNanos(), backoff.ceilingNanos(1));
        assertEquals(Duration.ofSeconds(32).toNanos(), backoff.ceilingNanos(5));
        assertEquals(Duration.ofSeconds(60).toNanos(), backoff.ceilingNanos(6));
        assertEquals(Duration.ofSeconds(60).toNanos(), backoff.ceilingNanos(Integer.MAX_VALUE));
    }

    @Test
    void delayIsBetweenHalfTheCeilingAndTheCeiling() {
        SplittableRandom random = new SplittableRandom(7);
        for (int attempts = 0; attempts < 10; attempts++) {
            long ceiling = backoff.ceilingNanos(attempts);
            long lowest = Long.MAX_VALUE;
            long highest = 0;
            for (int draw = 0; draw < 1_000; draw++) {
                long delay = backoff.delayNanos(attempts, random);
                lowest = Math.min(lowest, delay);
                highest = Math.max(highest, delay);
            }
            assertTrue(lowest >= ceiling / 2 && highest <= ceiling, "attempt " + attempts);
            assertTrue(highest - lowest > ceiling / 4, "jittered, not fixed");
        }
    }

    @Test
    void maximumBelowMinimumIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectBackoff(Duration.ZERO, Duration.ofSeconds(1)));
    }
}
