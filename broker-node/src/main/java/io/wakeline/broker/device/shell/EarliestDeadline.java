package io.wakeline.broker.device.shell;

import java.util.OptionalLong;

/**
 * One timer for the earliest of several deadlines: armed again only when a deadline comes sooner than the one it is
 * armed for (a later one is met by the check the earlier timer runs anyway).
 */
final class EarliestDeadline {
    private long armedFor = Long.MAX_VALUE;

    /** The delay to arm the timer with when {@code dueAtMillis} is sooner than what it is armed for; empty otherwise. */
    OptionalLong arm(long dueAtMillis, long nowMillis) {
        if (dueAtMillis >= armedFor) {
            return OptionalLong.empty();
        }
        armedFor = dueAtMillis;
        return OptionalLong.of(Math.max(0, dueAtMillis - nowMillis));
    }

    /** The timer fired: nothing is armed. */
    void fired() {
        armedFor = Long.MAX_VALUE;
    }
}
