package io.wakeline.broker.device.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EarliestDeadlineTest {
    private final EarliestDeadline deadline = new EarliestDeadline();

    @Test
    void theTimerIsArmedAgainOnlyForASoonerDeadline() {
        assertEquals(OptionalLong.of(500), deadline.arm(1_500, 1_000));
        assertEquals(OptionalLong.empty(), deadline.arm(2_000, 1_000), "the armed timer comes first");
        assertEquals(OptionalLong.empty(), deadline.arm(1_500, 1_000));
        assertEquals(OptionalLong.of(200), deadline.arm(1_200, 1_000), "sooner: armed again");
        assertEquals(OptionalLong.of(0), deadline.arm(900, 1_000), "overdue: at once");
    }

    @Test
    void afterItFiredAnyDeadlineArmsIt() {
        deadline.arm(1_200, 1_000);
        deadline.fired();
        assertEquals(OptionalLong.of(1_000), deadline.arm(2_000, 1_000));
    }
}
