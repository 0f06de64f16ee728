package io.wakeline.broker.device.control;

import static io.wakeline.broker.device.control.Outboxes.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.app.events.AppEvent;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiptPublishingTest {
    private final ReceiptPublishing publishing = new ReceiptPublishing();
    private final ControlOutbox outbox = Outboxes.withMessages("a", 3);

    @Test
    void oneBatchAtATimeGoesToTheLogByApp() {
        ReceiptPublishing.Batch batch = publishing.next(outbox, "dev-1").orElseThrow();
        assertEquals(3, batch.upToNo());
        assertEquals(3, batch.byApp().get(APP).size());
        assertTrue(batch.byApp().get(APP).stream().allMatch(e -> e instanceof AppEvent.MessageReceipt r
                && r.deviceId().equals("dev-1") && r.fate() == AppEvent.MessageFate.ACCEPTED));
        assertTrue(publishing.isPublishing());
        assertEquals(Optional.empty(), publishing.next(outbox, "dev-1"), "the batch on its way is not sent twice");
    }

    @Test
    void whatTheLogConfirmedIsJournaledWithAMarkerDueAfterTheInterval() {
        publishing.next(outbox, "dev-1");
        publishing.recorded(3, outbox, 1_000);
        assertFalse(publishing.isPublishing());
        assertEquals(Optional.of(new ControlEvent.ReceiptsPublished(3)), publishing.marker(outbox));
        assertEquals(Optional.of(1_200L), publishing.markerDueAt(outbox, Duration.ofMillis(200)));
        assertEquals(Optional.empty(), publishing.next(outbox, "dev-1"), "confirmed receipts are not published again");
        ControlOutbox marked = outbox.apply(publishing.marker(outbox).orElseThrow(), Outboxes.RETENTION);
        assertEquals(Optional.empty(), publishing.marker(marked), "journaled: no marker waits");
    }

    @Test
    void aBatchTheLogDidNotRecordGoesAgain() {
        publishing.next(outbox, "dev-1");
        publishing.failed();
        assertEquals(3, publishing.next(outbox, "dev-1").orElseThrow().upToNo());
    }
}
