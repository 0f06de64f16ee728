package io.wakeline.broker.device.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Device acks received and not yet journaled (wakeline.control-channels.ack-batch-*). They count as acked at once for
 * the window, expiry and closing; they are journaled after {@code ack-batch-size} ack frames, after
 * {@code ack-batch-interval}, or with the next send's write, whichever comes first. One not journaled when the node
 * dies only means a redelivery the device drops as a duplicate. Per entity, in memory, one thread.
 */
public final class AckBatch {
    /** By outbox key: the highest sequence acked. */
    private final Map<String, Long> upTo = new HashMap<>();
    private int frames;
    private long firstAtMillis;

    /**
     * An ack the outbox found new ({@link ControlOutbox#ack}); true when it acks beyond what the batch holds for its
     * channel (the window has room again).
     */
    public boolean add(ControlEvent.MessagesAcked acked, long nowMillis) {
        String key = ControlOutbox.key(acked.appId(), acked.channelId());
        if (acked.upToSeq() <= upTo.getOrDefault(key, 0L)) {
            return false;
        }
        if (upTo.isEmpty()) {
            firstAtMillis = nowMillis;
        }
        upTo.put(key, acked.upToSeq());
        frames++;
        return true;
    }

    /** Whether {@code batchSize} ack frames wait: journal them now. */
    public boolean isFull(int batchSize) {
        return frames >= batchSize;
    }

    public boolean isEmpty() {
        return upTo.isEmpty();
    }

    /** When the oldest waiting ack must be journaled at the latest. */
    public Optional<Long> dueAt(Duration interval) {
        return upTo.isEmpty() ? Optional.empty() : Optional.of(firstAtMillis + interval.toMillis());
    }

    public boolean isDue(long nowMillis, Duration interval) {
        return !upTo.isEmpty() && nowMillis - firstAtMillis >= interval.toMillis();
    }

    /** What is acked beyond the journal, by outbox key (read-only). */
    public Map<String, Long> view() {
        return Collections.unmodifiableMap(upTo);
    }

    /**
     * The events journaling the batch, one per channel with its highest sequence, in key order; the batch is empty
     * afterwards. The channels it held are returned with them (their delivered messages may be finished now).
     */
    public Taken take(ControlOutbox outbox, long nowMillis) {
        List<ControlEvent> events = new ArrayList<>();
        new TreeMap<>(upTo).forEach((key, seq) -> {
            int cut = key.indexOf('\n');
            outbox.ack(key.substring(0, cut), key.substring(cut + 1), seq, nowMillis).ifPresent(events::add);
        });
        List<String> keys = List.copyOf(upTo.keySet());
        upTo.clear();
        frames = 0;
        return new Taken(events, keys);
    }

    /** A taken batch: its events and the outbox keys of its channels. */
    public record Taken(List<ControlEvent> events, List<String> keys) {
    }
}
