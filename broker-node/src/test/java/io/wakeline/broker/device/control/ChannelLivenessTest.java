package io.wakeline.broker.device.control;

import static io.wakeline.broker.device.control.Outboxes.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.policy.ControlChannel;
import io.wakeline.broker.device.policy.ControlChannelSlot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChannelLivenessTest {
    /** 15 "minutes" of 10 ms: stale 150 ms after the last frame. */
    private final ChannelLiveness liveness = new ChannelLiveness(Duration.ofMillis(10));
    private final ControlChannel chat = new ControlChannel(APP, "chat", 15, ControlChannelSlot.SoftwareSlot);
    private final List<ControlChannel> channels = List.of(chat);

    @Test
    void aSilentChannelGoesStaleOnceAndIsActiveAgainWhenHeard() {
        liveness.linkUp(channels, 0);
        assertEquals(Optional.of(151L), liveness.nextDeadline(channels, 0));
        assertEquals(List.of(), liveness.newlyStale(channels, 150));
        assertEquals(List.of(chat), liveness.newlyStale(channels, 151));
        assertEquals(List.of(), liveness.newlyStale(channels, 500), "reported once");
        assertEquals(Optional.empty(), liveness.nextDeadline(channels, 500), "a stale channel has no deadline");
        assertTrue(liveness.heard(APP, "chat", 600), "active again");
        assertFalse(liveness.heard(APP, "chat", 601));
        assertEquals(Optional.of(752L), liveness.nextDeadline(channels, 601), "heard last at 601");
    }

    @Test
    void aChannelNeverHeardOfCountsFromItsFirstCheck() {
        assertEquals(List.of(), liveness.newlyStale(channels, 1_000));
        assertEquals(List.of(chat), liveness.newlyStale(channels, 1_151));
    }

    @Test
    void aResetOrClosedChannelIsNotStaleAnyMore() {
        liveness.linkUp(channels, 0);
        liveness.newlyStale(channels, 200);
        liveness.forget(APP, "chat");
        assertFalse(liveness.heard(APP, "chat", 300), "it was no longer stale");
    }
}
