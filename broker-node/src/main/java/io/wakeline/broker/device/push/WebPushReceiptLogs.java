package io.wakeline.broker.device.push;

import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.app.events.AppEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Push receipts on their way to the event logs of their receipt subscriptions (RFC 8030 §5.1): grouped by log; a log
 * that does not confirm is tried again after a tick, {@link #ATTEMPTS} times at most (a log records a receipt once,
 * whatever the retries). Counts what is in flight, since an entity must not passivate with receipts on their way.
 * Per entity, in memory, one thread.
 */
public final class WebPushReceiptLogs {
    /** Attempts per batch before its receipts are given up (logged as lost). */
    public static final int ATTEMPTS = 5;

    private int inFlight;

    /** The receipts for one log, on their {@code attempt}th try. */
    public record Batch(String log, List<WebPushReceipts.Receipt> receipts, int attempt) implements CborSerializable {
        public List<AppEvent> events() {
            return receipts.stream().<AppEvent>map(WebPushReceipts.Receipt::event).toList();
        }
    }

    /** What follows an attempt. */
    public sealed interface Next {
        /** Recorded, or given up after the last attempt ({@code lost} true). */
        record Done(boolean lost) implements Next {
        }

        /** Try again after a tick. */
        record Retry(Batch batch) implements Next {
        }
    }

    /** The receipts grouped by log, in order; each batch is in flight until {@link #recorded} or {@link #failed} ends it. */
    public List<Batch> batches(List<WebPushReceipts.Receipt> receipts) {
        Map<String, List<WebPushReceipts.Receipt>> byLog = new LinkedHashMap<>();
        receipts.forEach(r -> byLog.computeIfAbsent(AppEvent.WebPushReceipt.logOf(r.receiptSubscriptionId()),
                k -> new ArrayList<>()).add(r));
        List<Batch> batches = new ArrayList<>();
        byLog.forEach((log, ofLog) -> batches.add(new Batch(log, List.copyOf(ofLog), 1)));
        inFlight += batches.size();
        return batches;
    }

    public Next recorded(Batch batch) {
        inFlight--;
        return new Next.Done(false);
    }

    public Next failed(Batch batch) {
        if (batch.attempt() < ATTEMPTS) {
            return new Next.Retry(new Batch(batch.log(), batch.receipts(), batch.attempt() + 1));
        }
        inFlight--;
        return new Next.Done(true);
    }

    public boolean isIdle() {
        return inFlight == 0;
    }
}
