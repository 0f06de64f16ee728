package io.wakeline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectPacerTest {
    private static final long MILLI = 1_000_000L;

    @Test
    void grantsTheConfiguredRateUnderConstantDemand() {
        ConnectPacer pacer = new ConnectPacer(2_000, 0);
        int granted = 0;
        for (long t = 0; t < 1_000 * MILLI; t += MILLI / 10) {
            while (pacer.tryAcquire(t)) {
                granted++;
            }
        }
        assertTrue(granted >= 1_990 && granted <= 2_021, granted + " connects in one second");
    }

    @Test
    void idleTimeBuysOnlyAShortBurst() {
        ConnectPacer pacer = new ConnectPacer(1_000, 0);
        int burst = 0;
        while (pacer.tryAcquire(10_000 * MILLI) && burst < 1_000) {
            burst++;
        }
        // ten seconds idle at 1000/s: at most 10 ms worth, not 10,000 connects at once
        assertTrue(burst <= 11, burst + " connects in one instant");
    }

    @Test
    void reportsWhenTheNextSlotFrees() {
        ConnectPacer pacer = new ConnectPacer(10, 0);
        while (pacer.tryAcquire(0)) {
            // use up what is free at time zero
        }
        long wait = pacer.nanosUntilNextSlot(0);
        assertTrue(wait > 0 && wait <= 100 * MILLI);
        assertFalse(pacer.tryAcquire(wait - 1));
        assertTrue(pacer.tryAcquire(wait));
        assertEquals(0, new ConnectPacer(10, 5).nanosUntilNextSlot(5));
    }
}
