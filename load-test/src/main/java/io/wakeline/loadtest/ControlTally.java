package io.wakeline.loadtest;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What happened to each control message of a run: its send, its HTTP answer and its receipts from the event
 * stream, matched by message id (the client's {@code X-Wakeline-Message-Id} or the broker's, whichever the
 * receipt names). A receipt may arrive before the send's answer (the broker records ACCEPTED before it
 * answers); it waits in a bounded stash until the answer names the broker id. Thread-safe.
 *
 * <p>Only messages still open are held: one that reached its final fate (acked, expired, rejected) or was refused
 * is forgotten, its ids kept in a bounded window so that a receipt arriving after the final one is recognised and
 * ignored instead of counted as unmatched. So memory follows the messages in flight, not the length of the run
 * (holding every message of a run was a 1M-entry heap at 5,000/s after 3 minutes, and a quarter of the load
 * generator's CPU in garbage collection).
 */
final class ControlTally {
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final int MAX_EARLY_RECEIPTS = 100_000;
    private static final long NANOS_PER_MICRO = 1_000;
    /** Ids of finished messages remembered, to recognise their late receipts. */
    static final int FINISHED_IDS_KEPT = 200_000;

    enum Fate { ACCEPTED, DELIVERED, ACKED, EXPIRED, REJECTED }

    private static final class Message {
        final String clientId;
        final long dueNanos;
        final boolean measured;
        String brokerId;
        boolean answered2xx;
        boolean delivered;
        boolean settled;

        Message(String clientId, long dueNanos, boolean measured) {
            this.clientId = clientId;
            this.dueNanos = dueNanos;
            this.measured = measured;
        }
    }

    private final Timeline<ControlLoadTest.Count, ControlLoadTest.Timing> timeline;
    private final Map<String, Message> byClientId = new HashMap<>();
    private final Map<String, Message> byBrokerId = new HashMap<>();
    private final Map<String, Map<Fate, Long>> early = new LinkedHashMap<>();
    private final Set<String> finishedIds = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > FINISHED_IDS_KEPT;
        }
    });
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

    ControlTally() {
        this(ControlLoadTest.newTimeline(Duration.ofSeconds(1), sample -> { }));
    }

    /** Also counts every message's fates, warm-up included, per interval of {@code timeline}. */
    ControlTally(Timeline<ControlLoadTest.Count, ControlLoadTest.Timing> timeline) {
        this.timeline = timeline;
    }

    synchronized void sent(String clientId, long dueNanos, boolean measured) {
        byClientId.put(clientId, new Message(clientId, dueNanos, measured));
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
            timeline.count(ControlLoadTest.Count.REFUSED);
            finish(message); // refused: no receipts follow
            return;
        }
        message.answered2xx = true;
        timeline.count(ControlLoadTest.Count.ACCEPTED);
        timeline.latencyMicros(ControlLoadTest.Timing.ACCEPT, Math.max(0, nowNanos - message.dueNanos) / NANOS_PER_MICRO);
        if (message.measured) {
            accepted++;
            acceptedUnsettled++;
            acceptMicros.recordValue(Math.max(0, nowNanos - message.dueNanos) / NANOS_PER_MICRO);
        }
        if (brokerId != null && !brokerId.isEmpty()) {
            message.brokerId = brokerId;
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
            if (finishedIds.contains(messageId)) {
                return; // after the message's final receipt: nothing more to learn from it
            }
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
        long micros = Math.max(0, arrivalNanos - message.dueNanos) / NANOS_PER_MICRO;
        switch (fate) {
            case ACCEPTED -> { }
            case DELIVERED -> {
                if (!message.delivered) {
                    message.delivered = true;
                    timeline.count(ControlLoadTest.Count.DELIVERED);
                    timeline.latencyMicros(ControlLoadTest.Timing.DELIVER, micros);
                    if (message.measured) {
                        delivered++;
                        deliverMicros.recordValue(micros);
                        lastDeliveredNanos = Math.max(lastDeliveredNanos, arrivalNanos);
                    }
                }
            }
            case ACKED, EXPIRED, REJECTED -> {
                if (!message.settled) {
                    message.settled = true;
                    timeline.count(fate == Fate.ACKED ? ControlLoadTest.Count.ACKED
                            : fate == Fate.EXPIRED ? ControlLoadTest.Count.EXPIRED : ControlLoadTest.Count.REJECTED);
                    if (fate == Fate.ACKED) {
                        timeline.latencyMicros(ControlLoadTest.Timing.ACK, micros);
                    }
                    if (message.measured) {
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
                    finish(message);
                }
            }
        }
    }

    /** The message will see nothing more: forgotten, its ids kept for a while to recognise late receipts. */
    private void finish(Message message) {
        byClientId.remove(message.clientId, message);
        finishedIds.add(message.clientId);
        if (message.brokerId != null) {
            byBrokerId.remove(message.brokerId, message);
            finishedIds.add(message.brokerId);
        }
    }

    /** Messages held: sent and not yet finished. */
    synchronized int open() {
        return byClientId.size();
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
