package io.wakeline.broker.device.control;

import io.wakeline.broker.app.events.AppEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The receipts of guaranteed messages on their way to the app's event log: the oldest unconfirmed ones, one batch at a
 * time. What the log confirmed is journaled as a small {@link ControlEvent.ReceiptsPublished} with the next control
 * write, or alone once {@code ack-batch-interval} passed; lost in a crash, the confirmation only means those receipts
 * are published again, and the log records a key once. Per entity, in memory, one thread.
 */
public final class ReceiptPublishing {
    /** Receipts handed to the event log at once at most. */
    public static final int BATCH = 256;

    private boolean publishing;
    /** Receipts the log confirmed, up to this number, not yet journaled as confirmed. */
    private long confirmedUpTo;
    /** When the oldest confirmation waiting for its marker arrived. */
    private long confirmedAtMillis;

    /** A batch to publish: every receipt up to {@code upToNo}, by app, each app's in order. */
    public record Batch(long upToNo, Map<String, List<AppEvent>> byApp) {
    }

    /** The next batch, unless one is on its way or nothing waits; the caller publishes it and reports back. */
    public Optional<Batch> next(ControlOutbox outbox, String deviceId) {
        if (publishing) {
            return Optional.empty();
        }
        List<PendingReceipt> batch = outbox.receiptsToPublish(confirmedUpTo, BATCH);
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        publishing = true;
        Map<String, List<AppEvent>> byApp = new LinkedHashMap<>();
        batch.forEach(r -> byApp.computeIfAbsent(r.appId(), a -> new ArrayList<>()).add(r.toEvent(deviceId)));
        return Optional.of(new Batch(batch.get(batch.size() - 1).no(), byApp));
    }

    /** The log recorded the batch up to {@code upToNo}. */
    public void recorded(long upToNo, ControlOutbox outbox, long nowMillis) {
        publishing = false;
        if (marker(outbox).isEmpty()) {
            confirmedAtMillis = nowMillis;
        }
        confirmedUpTo = Math.max(confirmedUpTo, upToNo);
    }

    /** The log did not record the batch (failed or timed out): it goes again later. */
    public void failed() {
        publishing = false;
    }

    /** Whether a batch is on its way to the log. */
    public boolean isPublishing() {
        return publishing;
    }

    /** The event journaling what the log confirmed, if it removes receipts still held. */
    public Optional<ControlEvent.ReceiptsPublished> marker(ControlOutbox outbox) {
        return outbox.receiptsConfirmed(confirmedUpTo);
    }

    /** When the marker must be journaled at the latest, if one waits. */
    public Optional<Long> markerDueAt(ControlOutbox outbox, Duration interval) {
        return marker(outbox).map(m -> confirmedAtMillis + interval.toMillis());
    }
}
