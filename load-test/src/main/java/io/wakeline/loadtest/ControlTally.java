package io.wakeline.loadtest;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What happened to each control message of a run: its send, its HTTP answer and its receipts from the event
 * stream, matched by message id (the client's {@code X-Wakeline-Message-Id} or the broker's, whichever the
 * receipt names). A receipt may arrive before the send's answer (the broker records ACCEPTED before it
 * answers); it waits in a bounded stash until the answer names the broker id. Thread-safe.
 */
final class ControlTally {
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final int MAX_EARLY_RECEIPTS = 100_000;
    private static final long NANOS_PER_MICRO = 1_000;

    enum Fate { ACCEPTED, DELIVERED, ACKED, EXPIRED, REJECTED }

    private static final class Message {
        final long dueNanos;
        final boolean measured;
        boolean answered2xx;
        boolean delivered;
        boolean settled;

        Message(long dueNanos, boolean measured) {
            this.dueNanos = dueNanos;
            this.measured = measured;
        }
    }

    private final Map<String, Message> byClientId = new HashMap<>();
    private final Map<String, Message> byBrokerId = new HashMap<>();
    private final Map<String, Map<Fate, Long>> early = new LinkedHashMap<>();
    private final Histogram acceptMicros = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram deliverMicros = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram ackMicros = new Histogram(SIGNIFICANT_DIGITS);
    private final SortedMap<Integer, Long> byHttpStatus = new TreeMap<>();
    private long sent;
    private long accepted;
    private long delivered;
    private long acked;
    private long expired;
    private long rejected;
    private long transportErrors;
    private long skipped;
    private long unmatchedReceipts;
    private long lastDeliveredNanos;
    private long lastAckedNanos;
    private long acceptedUnsettled;

    synchronized void sent(String clientId, long dueNanos, boolean measured) {
        byClientId.put(clientId, new Message(dueNanos, measured));
        if (measured) {
            sent++;
        }
    }

    synchronized void skipped(boolean measured) {
        if (measured) {
            skipped++;
        }
    }

    synchronized void transportError(String clientId) {
        Message message = byClientId.get(clientId);
        if (message != null && message.measured) {
            transportErrors++;
        }
    }

    /** The HTTP answer to a send; {@code brokerId} from its {@code X-Wakeline-Message-Id}, if any. */
    synchronized void answered(String clientId, int status, String brokerId, long nowNanos) {
        Message message = byClientId.get(clientId);
        if (message == null) {
            return;
        }
        if (message.measured) {
            byHttpStatus.merge(status, 1L, Long::sum);
        }
        if (status / 100 != 2) {
            return;
        }
        message.answered2xx = true;
        if (message.measured) {
            accepted++;
            acceptedUnsettled++;
            acceptMicros.recordValue(Math.max(0, nowNanos - message.dueNanos) / NANOS_PER_MICRO);
        }
        if (brokerId != null && !brokerId.isEmpty()) {
            byBrokerId.put(brokerId, message);
            Map<Fate, Long> waiting = early.remove(brokerId);
            if (waiting != null) {
                waiting.forEach((fate, at) -> apply(message, fate, at));
            }
        }
        Map<Fate, Long> waiting = early.remove(clientId);
        if (waiting != null) {
            waiting.forEach((fate, at) -> apply(message, fate, at));
        }
    }

    /** A receipt from the event stream, arrived at {@code arrivalNanos}. */
    synchronized void receipt(String messageId, Fate fate, long arrivalNanos) {
        Message message = byBrokerId.get(messageId);
        if (message == null) {
            Message byClient = byClientId.get(messageId);
            message = byClient != null && byClient.answered2xx ? byClient : null;
        }
        if (message == null) {
            if (early.size() < MAX_EARLY_RECEIPTS) {
                early.computeIfAbsent(messageId, id -> new HashMap<>()).putIfAbsent(fate, arrivalNanos);
            } else {
                unmatchedReceipts++;
            }
            return;
        }
        apply(message, fate, arrivalNanos);
    }

    private void apply(Message message, Fate fate, long arrivalNanos) {
        if (!message.measured) {
            return;
        }
        long micros = Math.max(0, arrivalNanos - message.dueNanos) / NANOS_PER_MICRO;
        switch (fate) {
            case ACCEPTED -> { }
            case DELIVERED -> {
                if (!message.delivered) {
                    message.delivered = true;
                    delivered++;
                    deliverMicros.recordValue(micros);
                    lastDeliveredNanos = Math.max(lastDeliveredNanos, arrivalNanos);
                }
            }
            case ACKED, EXPIRED, REJECTED -> {
                if (!message.settled) {
                    message.settled = true;
                    acceptedUnsettled--;
                    if (fate == Fate.ACKED) {
                        acked++;
                        ackMicros.recordValue(micros);
                        lastAckedNanos = Math.max(lastAckedNanos, arrivalNanos);
                    } else if (fate == Fate.EXPIRED) {
                        expired++;
                    } else {
                        rejected++;
                    }
                }
            }
        }
    }

    /** Every measured message the broker accepted has reached a final fate (acked, expired, rejected). */
    synchronized boolean allSettled() {
        return acceptedUnsettled <= 0;
    }

    record Totals(long sent, long accepted, long delivered, long acked, long expired, long rejected,
                  long transportErrors, long skipped, long unmatchedReceipts, long stashedUnmatched,
                  SortedMap<Integer, Long> byHttpStatus, long lastDeliveredNanos, long lastAckedNanos,
                  LatencySummary accept, LatencySummary deliver, LatencySummary ack) {
    }

    synchronized Totals totals() {
        return new Totals(sent, accepted, delivered, acked, expired, rejected, transportErrors, skipped,
                unmatchedReceipts, early.size(), new TreeMap<>(byHttpStatus), lastDeliveredNanos, lastAckedNanos,
                LatencySummary.of(acceptMicros), LatencySummary.of(deliverMicros), LatencySummary.of(ackMicros));
    }
}
