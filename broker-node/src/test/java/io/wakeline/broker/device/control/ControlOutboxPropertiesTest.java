package io.wakeline.broker.device.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sends, deliveries, acks, expiries and reconnects keep the outbox's promises: per-channel order, nothing
 * expired handed out, the window and the backlog never exceeded, and a device that drops what it already processed
 * (by sequence) processes every acked message exactly once.
 */
class ControlOutboxPropertiesTest {
    private static final String APP = "ms-app://S-1-15-2-1";
    private static final List<String> CHANNELS = List.of("a", "b", "c");
    private static final int WINDOW = 4;
    private static final int BACKLOG = 6;
    /** Few fates, kept briefly: client ids leave the queue's index often. */
    private static final ControlOutbox.Retention RETENTION = new ControlOutbox.Retention(40, 5, 1000);

    enum Kind { SEND, DELIVER, ACK, EXPIRE, RECONNECT, TICK }

    record Step(Kind kind, int channel, int ttl) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.of(Kind.values()).flatMap(kind -> Arbitraries.integers().between(0, CHANNELS.size() - 1)
                .flatMap(channel -> Arbitraries.integers().between(1, 30).map(ttl -> new Step(kind, channel, ttl))))
                .list().ofMaxSize(120);
    }

    @Property(tries = 300)
    void outboxKeepsItsPromises(@ForAll("steps") List<Step> steps) {
        ControlOutbox outbox = ControlOutbox.EMPTY;
        Map<String, Long> sentUpTo = new HashMap<>();
        Map<String, Long> deviceProcessed = new HashMap<>();
        Map<String, List<Long>> processedOrder = new HashMap<>();
        long now = 0;
        int ids = 0;
        for (Step step : steps) {
            String channel = CHANNELS.get(step.channel());
            String key = ControlOutbox.key(APP, channel);
            switch (step.kind()) {
                case SEND -> {
                    String clientId = step.ttl() % 3 == 0 ? "" : "c" + step.ttl() % 7;
                    ControlOutbox.Enqueue e = outbox.enqueue(APP, channel, clientId, "m" + (++ids), new byte[] {1}, now,
                            now + step.ttl(), BACKLOG);
                    if (e instanceof ControlOutbox.Enqueue.Accepted accepted) {
                        outbox = outbox.apply(accepted.event(), RETENTION);
                    }
                    assertTrue(outbox.queue(APP, channel).orElseThrow().pending().size() <= BACKLOG, "backlog bound");
                }
                case DELIVER -> {
                    List<ControlMessage> out = outbox.nextToDeliver(sentUpTo, Map.of(), WINDOW, now, q -> true);
                    Map<String, Long> lastInBatch = new HashMap<>();
                    for (ControlMessage m : out) {
                        String k = ControlOutbox.key(m.appId(), m.channelId());
                        assertTrue(m.expiresAtMillis() > now, "never deliver an expired message");
                        long previous = lastInBatch.getOrDefault(k, sentUpTo.getOrDefault(k, 0L));
                        assertTrue(m.seq() > previous, "in order per channel");
                        lastInBatch.put(k, m.seq());
                        sentUpTo.merge(k, m.seq(), Math::max);
                        // the device: process once, in order, by sequence
                        long done = deviceProcessed.getOrDefault(k, 0L);
                        if (m.seq() > done) {
                            deviceProcessed.put(k, m.seq());
                            processedOrder.computeIfAbsent(k, x -> new ArrayList<>()).add(m.seq());
                        }
                    }
                    assertTrue(outbox.inFlight(sentUpTo, Map.of(), now) <= WINDOW, "window bound");
                }
                case ACK -> outbox = acked(outbox, channel, deviceProcessed.getOrDefault(key, 0L), now);
                case EXPIRE -> outbox = expired(outbox, now);
                case RECONNECT -> sentUpTo.clear();
                case TICK -> now += step.ttl();
            }
            for (ControlQueue q : outbox.queues().values()) {
                List<Long> seqs = q.pending().stream().map(ControlMessage::seq).toList();
                for (int i = 1; i < seqs.size(); i++) {
                    assertTrue(seqs.get(i) > seqs.get(i - 1), "pending in sequence order");
                }
                assertTrue(seqs.stream().allMatch(s -> s > q.ackedUpTo()), "nothing acked stays pending");
                ControlQueue rebuilt = new ControlQueue(q.appId(), q.channelId(), q.lastSeq(), q.ackedUpTo(), q.pending(),
                        q.finished(), q.closed());
                for (int c = 0; c < 7; c++) {
                    String id = "c" + c;
                    var scanned = q.pending().stream().filter(m -> m.clientMessageId().equals(id)).findFirst()
                            .map(ControlQueue::accepted)
                            .or(() -> q.finished().stream().filter(f -> f.clientMessageId().equals(id)).findFirst());
                    assertEquals(scanned, q.byClientMessageId(id), "the handed-on index knows what a scan finds");
                    assertEquals(scanned, rebuilt.byClientMessageId(id), "so does one built afresh");
                }
            }
        }
        for (var entry : processedOrder.entrySet()) {
            List<Long> seqs = entry.getValue();
            assertEquals(seqs.stream().distinct().count(), seqs.size(), "processed at most once");
        }
    }

    @Provide
    Arbitrary<List<Step>> writes() {
        return Arbitraries.of(Kind.SEND).flatMap(kind -> Arbitraries.integers().between(0, CHANNELS.size() - 1)
                .flatMap(channel -> Arbitraries.integers().between(1, 30).map(ttl -> new Step(kind, channel, ttl))))
                .list().ofMaxSize(12);
    }

    /**
     * The sends of one write (group commit) are decided as if one after the other, each applied before the next; the
     * write is one instant, so fates that leave the retention during it still count (reference: no dropping).
     */
    @Property(tries = 300)
    void aWriteDecidesItsSendsAsIfOneAfterTheOther(@ForAll("steps") List<Step> history,
                                                    @ForAll("writes") List<Step> write) {
        ControlOutbox outbox = ControlOutbox.EMPTY;
        long now = 0;
        int ids = 0;
        for (Step step : history) {
            String channel = CHANNELS.get(step.channel());
            switch (step.kind()) {
                case SEND -> {
                    if (outbox.enqueue(APP, channel, clientId(step), "m" + (++ids), new byte[] {1}, now,
                            now + step.ttl(), BACKLOG) instanceof ControlOutbox.Enqueue.Accepted accepted) {
                        outbox = outbox.apply(accepted.event(), RETENTION);
                    }
                }
                case ACK -> outbox = acked(outbox, channel,
                        outbox.queue(APP, channel).map(ControlQueue::lastSeq).orElse(0L) - step.ttl() % 3, now);
                case EXPIRE -> outbox = expired(outbox, now);
                default -> now += step.ttl();
            }
        }
        long at = now;
        List<ControlOutbox.Send> sends = write.stream().map(step -> new ControlOutbox.Send(APP,
                CHANNELS.get(step.channel()), clientId(step), new byte[] {1}, at, at + step.ttl())).toList();
        int[] next = {ids};
        List<ControlOutbox.Enqueue> together = outbox.enqueueAll(sends, () -> "m" + (++next[0]), BACKLOG);

        ControlOutbox.Retention keepAll = new ControlOutbox.Retention(Long.MAX_VALUE / 2, Integer.MAX_VALUE, 1000);
        ControlOutbox running = outbox;
        List<ControlOutbox.Enqueue> oneByOne = new ArrayList<>();
        for (ControlOutbox.Send send : sends) {
            ControlOutbox.Enqueue e = running.enqueue(send.appId(), send.channelId(), send.clientMessageId(),
                    "m" + (++ids), send.payload(), send.nowMillis(), send.expiresAtMillis(), BACKLOG);
            if (e instanceof ControlOutbox.Enqueue.Accepted accepted) {
                running = running.apply(accepted.event(), keepAll);
            }
            oneByOne.add(e);
        }
        assertEquals(oneByOne.size(), together.size());
        for (int i = 0; i < together.size(); i++) {
            assertEquals(describe(oneByOne.get(i)), describe(together.get(i)), "send " + i + " of " + sends);
        }
    }

    /** The device acks the channel up to {@code upTo}, applied. */
    private static ControlOutbox acked(ControlOutbox outbox, String channel, long upTo, long now) {
        return outbox.ack(APP, channel, upTo, now).map(e -> outbox.apply(e, RETENTION)).orElse(outbox);
    }

    /** Every pending message whose TTL passed by {@code now}, expired. */
    private static ControlOutbox expired(ControlOutbox outbox, long now) {
        ControlOutbox result = outbox;
        for (ControlEvent.MessagesExpired e : outbox.expire(now, Map.of())) {
            result = result.apply(e, RETENTION);
        }
        return result;
    }

    private static String clientId(Step step) {
        return step.ttl() % 3 == 0 ? "" : "c" + step.ttl() % 7;
    }

    /** A decision as comparable text (events hold a payload array, which records compare by identity). */
    private static String describe(ControlOutbox.Enqueue e) {
        if (e instanceof ControlOutbox.Enqueue.Accepted a) {
            ControlEvent.MessageEnqueued m = a.event();
            return "accepted " + m.appId() + " " + m.channelId() + " " + m.messageId() + " " + m.clientMessageId()
                    + " seq " + m.seq() + " at " + m.acceptedAtMillis() + " until " + m.expiresAtMillis() + " "
                    + java.util.Arrays.toString(m.payload());
        }
        return e.toString();
    }
}
