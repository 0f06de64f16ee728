package io.wakeline.broker.device.control;

import static io.wakeline.broker.device.control.Outboxes.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AckBatchTest {
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private final AckBatch batch = new AckBatch();

    private static ControlEvent.MessagesAcked acked(String channel, long upTo) {
        return new ControlEvent.MessagesAcked(APP, channel, upTo, 0);
    }

    @Test
    void onlyAnAckBeyondWhatTheBatchHoldsCountsAsAFrame() {
        assertTrue(batch.add(acked("a", 2), 10));
        assertFalse(batch.add(acked("a", 1), 11), "cumulative: an older ack adds nothing");
        assertFalse(batch.isFull(2));
        assertTrue(batch.add(acked("b", 1), 12));
        assertTrue(batch.isFull(2));
        assertEquals(Map.of(ControlOutbox.key(APP, "a"), 2L, ControlOutbox.key(APP, "b"), 1L), batch.view());
    }

    @Test
    void theBatchIsDueAnIntervalAfterItsFirstAck() {
        assertEquals(Optional.empty(), batch.dueAt(INTERVAL));
        batch.add(acked("a", 1), 1_000);
        batch.add(acked("a", 2), 1_150);
        assertEquals(Optional.of(1_200L), batch.dueAt(INTERVAL));
        assertFalse(batch.isDue(1_199, INTERVAL));
        assertTrue(batch.isDue(1_200, INTERVAL));
    }

    @Test
    void takingTheBatchGivesOneEventPerChannelInKeyOrderAndEmptiesIt() {
        ControlOutbox outbox = Outboxes.withMessage(Outboxes.withMessages("b", 3), "a", "x", 0, Outboxes.NEVER);
        batch.add(acked("b", 2), 5);
        batch.add(acked("a", 1), 6);
        batch.add(acked("b", 9), 7); // beyond what was sent: clamped by the outbox
        AckBatch.Taken taken = batch.take(outbox, 8);
        assertEquals(List.of(new ControlEvent.MessagesAcked(APP, "a", 1, 8), new ControlEvent.MessagesAcked(APP, "b", 3, 8)),
                taken.events());
        assertEquals(2, taken.keys().size());
        assertTrue(batch.isEmpty());
        assertFalse(batch.isFull(1), "the frame count starts over");
    }
}
