package io.wakeline.broker.device.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.device.control.ControlOutbox.Enqueue;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlOutboxTest {
    private static final String APP = "ms-app://S-1-15-2-1";
    private static final ControlOutbox.Retention RETENTION = new ControlOutbox.Retention(60_000, 10, 100);
    private static final long NEVER = Long.MAX_VALUE;

    private ControlOutbox outbox = ControlOutbox.EMPTY;
    private int ids;

    private Enqueue send(String channel, String clientId, long now, long expiresAt, int backlog) {
        Enqueue decision = outbox.enqueue(APP, channel, clientId, "m" + (++ids), "x".getBytes(StandardCharsets.UTF_8),
                now, expiresAt, backlog);
        if (decision instanceof Enqueue.Accepted accepted) {
            outbox = outbox.apply(accepted.event(), RETENTION);
        }
        return decision;
    }

    @Test
    void sequencesArePerChannelAndStartAtOne() {
        assertEquals(1, ((Enqueue.Accepted) send("a", "", 0, NEVER, 10)).event().seq());
        assertEquals(2, ((Enqueue.Accepted) send("a", "", 0, NEVER, 10)).event().seq());
        assertEquals(1, ((Enqueue.Accepted) send("b", "", 0, NEVER, 10)).event().seq());
    }

    @Test
    void aFullBacklogRefusesTheSendAndStoresNothing() {
        send("a", "", 0, NEVER, 2);
        send("a", "", 0, NEVER, 2);
        Enqueue third = send("a", "", 0, NEVER, 2);
        assertInstanceOf(Enqueue.BacklogFull.class, third);
        assertEquals(2, outbox.queue(APP, "a").orElseThrow().pending().size());
        // acking one makes room again
        outbox = outbox.apply(outbox.ack(APP, "a", 1, 5).orElseThrow(), RETENTION);
        assertInstanceOf(Enqueue.Accepted.class, send("a", "", 6, NEVER, 2));
    }

    @Test
    void aRepeatedClientMessageIdAnswersTheFirstMessage() {
        Enqueue.Accepted first = (Enqueue.Accepted) send("a", "order-1", 0, NEVER, 10);
        Enqueue again = send("a", "order-1", 1, NEVER, 10);
        assertEquals(first.event().messageId(), ((Enqueue.Duplicate) again).fate().messageId());
        assertEquals(1, outbox.queue(APP, "a").orElseThrow().pending().size());
        // still recognised after it was acked, while its fate is retained
        outbox = outbox.apply(outbox.ack(APP, "a", 1, 2).orElseThrow(), RETENTION);
        Enqueue afterAck = send("a", "order-1", 3, NEVER, 10);
        assertEquals(MessageFate.State.ACKED, ((Enqueue.Duplicate) afterAck).fate().state());
        // the same client id on another channel is another message
        assertInstanceOf(Enqueue.Accepted.class, send("b", "order-1", 3, NEVER, 10));
    }

    @Test
    void clientMessageIdsWithTheSameHashAreStillDifferentMessages() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        Enqueue.Accepted aa = (Enqueue.Accepted) send("a", "Aa", 0, NEVER, 10);
        assertInstanceOf(Enqueue.Accepted.class, send("a", "BB", 1, NEVER, 10), "same hash, another id");
        outbox = outbox.apply(outbox.ack(APP, "a", 2, 2).orElseThrow(), RETENTION);
        assertEquals(aa.event().messageId(), ((Enqueue.Duplicate) send("a", "Aa", 3, NEVER, 10)).fate().messageId());
        assertInstanceOf(Enqueue.Accepted.class, send("a", "AaBB", 4, NEVER, 10));
    }

    @Test
    void anOlderVersionOfTheOutboxStillAnswersForItself() {
        send("a", "first", 0, NEVER, 10);
        ControlOutbox before = outbox;
        send("a", "second", 1, NEVER, 10); // the newer version takes the client-id index over
        outbox = outbox.apply(outbox.ack(APP, "a", 2, 2).orElseThrow(), RETENTION);
        assertInstanceOf(Enqueue.Accepted.class, before.enqueue(APP, "a", "second", "m-x", new byte[0], 3, NEVER, 10),
                "the older version never saw \"second\"");
        assertEquals(MessageFate.State.ACCEPTED, ((Enqueue.Duplicate) before.enqueue(APP, "a", "first", "m-y",
                new byte[0], 3, NEVER, 10)).fate().state(), "and knows \"first\" as it stood then");
        assertEquals(MessageFate.State.ACKED, ((Enqueue.Duplicate) send("a", "first", 4, NEVER, 10)).fate().state());
        assertEquals(MessageFate.State.ACKED, ((Enqueue.Duplicate) send("a", "second", 4, NEVER, 10)).fate().state());
    }

    @Test
    void aQueueRecoveredFromItsSerializedFormKnowsItsClientIds() throws Exception {
        send("a", "kept", 0, NEVER, 10);
        outbox = outbox.apply(outbox.ack(APP, "a", 1, 1).orElseThrow(), RETENTION);
        send("a", "waiting", 2, NEVER, 10);
        // configured as akka-serialization-jackson configures it (field visibility ANY), only stricter
        com.fasterxml.jackson.databind.ObjectMapper cbor = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.cbor.CBORFactory())
                .registerModule(new com.fasterxml.jackson.module.paramnames.ParameterNamesModule(
                        com.fasterxml.jackson.annotation.JsonCreator.Mode.PROPERTIES))
                .setVisibility(com.fasterxml.jackson.annotation.PropertyAccessor.FIELD,
                        com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY)
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        outbox.queue(APP, "a").orElseThrow().byClientMessageId("kept"); // an index built: it must not be written
        assertEquals(outbox.queues().keySet(), cbor.readValue(cbor.writeValueAsBytes(outbox), ControlOutbox.class)
                .queues().keySet());
        ControlQueue queue = outbox.queue(APP, "a").orElseThrow();
        java.util.Set<String> written = new java.util.HashSet<>();
        cbor.readTree(cbor.writeValueAsBytes(queue)).fieldNames().forEachRemaining(written::add);
        assertEquals(java.util.Set.of("appId", "channelId", "lastSeq", "ackedUpTo", "pending", "finished", "closed"),
                written, "the seven values, nothing else");
        ControlQueue copy = cbor.readValue(cbor.writeValueAsBytes(queue), ControlQueue.class);
        assertEquals(queue.finished(), copy.finished());
        assertEquals(queue.pending().stream().map(ControlMessage::messageId).toList(),
                copy.pending().stream().map(ControlMessage::messageId).toList());
        assertEquals(List.of(queue.lastSeq(), queue.ackedUpTo()), List.of(copy.lastSeq(), copy.ackedUpTo()));
        assertEquals(MessageFate.State.ACKED, copy.byClientMessageId("kept").orElseThrow().state());
        assertEquals(MessageFate.State.ACCEPTED, copy.byClientMessageId("waiting").orElseThrow().state());
        assertTrue(copy.byClientMessageId("never").isEmpty());
    }

    @Test
    void finishedFatesAreRetainedForTheirTimeAndUpToTheirNumberPerChannel() {
        // RETENTION: 60 s, 10 fates per channel
        for (int i = 0; i < 12; i++) {
            send("a", "c" + i, i, NEVER, 100);
        }
        outbox = outbox.apply(outbox.ack(APP, "a", 12, 1_000).orElseThrow(), RETENTION);
        ControlQueue queue = outbox.queue(APP, "a").orElseThrow();
        assertEquals(10, queue.finished().size(), "at most 10 per channel: the oldest two dropped");
        assertEquals(3L, queue.finished().get(0).seq());
        assertInstanceOf(Enqueue.Accepted.class, send("a", "c0", 2_000, NEVER, 100), "a dropped fate's client id is free");
        assertInstanceOf(Enqueue.Duplicate.class, send("a", "c5", 2_001, NEVER, 100), "a retained one is not");
        // a minute after the acks, the next change drops them all
        send("a", "", 61_001, NEVER, 100);
        assertEquals(List.of(), outbox.queue(APP, "a").orElseThrow().finished());
    }

    @Test
    void acksAreCumulativeClampedAndNeverGoBack() {
        for (int i = 0; i < 5; i++) {
            send("a", "", 0, NEVER, 10);
        }
        outbox = outbox.apply(outbox.ack(APP, "a", 3, 1).orElseThrow(), RETENTION);
        ControlQueue queue = outbox.queue(APP, "a").orElseThrow();
        assertEquals(3, queue.ackedUpTo());
        assertEquals(List.of(4L, 5L), queue.pending().stream().map(ControlMessage::seq).toList());
        assertTrue(outbox.ack(APP, "a", 2, 2).isEmpty(), "an older ack changes nothing");
        assertEquals(5, outbox.ack(APP, "a", 99, 2).orElseThrow().upToSeq(), "clamped to what was accepted");
    }

    @Test
    void theWindowBoundsMessagesInFlightAcrossChannels() {
        for (int i = 0; i < 4; i++) {
            send("a", "", 0, NEVER, 10);
            send("b", "", 0, NEVER, 10);
        }
        Map<String, Long> sent = new HashMap<>();
        List<ControlMessage> first = outbox.nextToDeliver(sent, Map.of(), 3, 0, q -> true);
        assertEquals(3, first.size());
        first.forEach(m -> sent.merge(ControlOutbox.key(m.appId(), m.channelId()), m.seq(), Math::max));
        assertTrue(outbox.nextToDeliver(sent, Map.of(), 3, 0, q -> true).isEmpty(), "window full");
        // a cumulative ack of channel a frees its in-flight messages
        Map<String, Long> acked = Map.of(ControlOutbox.key(APP, "a"), sent.get(ControlOutbox.key(APP, "a")));
        List<ControlMessage> next = outbox.nextToDeliver(sent, acked, 3, 0, q -> true);
        assertTrue(!next.isEmpty() && next.size() <= 3 - outbox.inFlight(sent, acked, 0));
    }

    @Test
    void deliveryIsInSequenceOrderPerChannelAndRestartsAfterTheAckedOne() {
        for (int i = 0; i < 5; i++) {
            send("a", "", 0, NEVER, 10);
        }
        List<ControlMessage> all = outbox.nextToDeliver(Map.of(), Map.of(), 10, 0, q -> true);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), all.stream().map(ControlMessage::seq).toList());
        outbox = outbox.apply(outbox.ack(APP, "a", 2, 1).orElseThrow(), RETENTION);
        // a new link: nothing counts as sent, everything unacked goes again from 3
        assertEquals(List.of(3L, 4L, 5L), outbox.nextToDeliver(Map.of(), Map.of(), 10, 0, q -> true).stream()
                .map(ControlMessage::seq).toList());
    }

    @Test
    void aChannelTheRulesHoldBackSendsNothing() {
        send("a", "", 0, NEVER, 10);
        send("b", "", 0, NEVER, 10);
        List<ControlMessage> out = outbox.nextToDeliver(Map.of(), Map.of(), 10, 0, q -> q.channelId().equals("b"));
        assertEquals(List.of("b"), out.stream().map(ControlMessage::channelId).toList());
    }

    @Test
    void anExpiredMessageIsNeverDeliveredAndIsReportedExpired() {
        send("a", "", 0, 100, 10);
        send("a", "", 0, NEVER, 10);
        assertEquals(List.of(2L), outbox.nextToDeliver(Map.of(), Map.of(), 10, 100, q -> true).stream()
                .map(ControlMessage::seq).toList());
        List<ControlEvent.MessagesExpired> expired = outbox.expire(100, Map.of());
        assertEquals(List.of(1L), expired.get(0).seqs());
        outbox = outbox.apply(expired.get(0), RETENTION);
        MessageFate fate = outbox.fate(APP, "a", "m1").orElseThrow();
        assertEquals(MessageFate.State.EXPIRED, fate.state());
        assertTrue(outbox.receipts().stream().anyMatch(r -> r.fate() == AppEvent.MessageFate.EXPIRED
                && r.messageId().equals("m1")));
    }

    @Test
    void closingAChannelRejectsItsUnackedMessagesUntilTheAppCreatesItAgain() {
        send("a", "", 0, NEVER, 10); // m1
        send("a", "", 0, NEVER, 10); // m2
        send("b", "", 0, NEVER, 10); // m3
        outbox = outbox.apply(outbox.ack(APP, "a", 1, 5).orElseThrow(), RETENTION);
        assertEquals(java.util.Optional.empty(), outbox.reopen(APP, "a"), "open: nothing to reopen");
        assertEquals(java.util.Optional.empty(), outbox.close(APP, "never-used", 20, Map.of()));

        ControlEvent.ChannelClosed closed = outbox.close(APP, "a", 20, Map.of()).orElseThrow();

        assertEquals(List.of(2L), closed.seqs(), "the acked message stays acked");
        outbox = outbox.apply(closed, RETENTION);
        assertTrue(outbox.isClosed(APP, "a"));
        assertFalse(outbox.isClosed(APP, "b"));
        assertEquals(MessageFate.State.REJECTED, outbox.fate(APP, "a", "m2").orElseThrow().state());
        assertEquals(MessageFate.State.ACKED, outbox.fate(APP, "a", "m1").orElseThrow().state());
        assertTrue(outbox.receipts().stream().anyMatch(r -> r.fate() == AppEvent.MessageFate.REJECTED
                && r.messageId().equals("m2")));
        assertEquals(List.of("b"), outbox.nextToDeliver(Map.of(), Map.of(), 10, 20, q -> true).stream()
                .map(ControlMessage::channelId).toList(), "only channel b still has something to deliver");
        assertEquals(java.util.Optional.empty(), outbox.close(APP, "a", 30, Map.of()), "closed once");

        outbox = outbox.apply(outbox.reopen(APP, "a").orElseThrow(), RETENTION);
        assertFalse(outbox.isClosed(APP, "a"));
        send("a", "", 40, NEVER, 10);
        assertEquals(3L, outbox.queue(APP, "a").orElseThrow().lastSeq(), "the sequence continues");
    }

    @Test
    void receiptsWaitUntilPublishedAndFatesAreRetainedBoundedly() {
        send("a", "", 0, NEVER, 100);
        outbox = outbox.apply(outbox.ack(APP, "a", 1, 10).orElseThrow(), RETENTION);
        assertEquals(List.of(AppEvent.MessageFate.ACCEPTED, AppEvent.MessageFate.ACKED),
                outbox.receipts().stream().map(PendingReceipt::fate).toList());
        outbox = outbox.apply(new ControlEvent.ReceiptsPublished(outbox.lastReceiptNo()), RETENTION);
        assertTrue(outbox.receipts().isEmpty());
        for (int i = 0; i < 20; i++) {
            send("a", "", 20, NEVER, 100);
        }
        outbox = outbox.apply(outbox.ack(APP, "a", 21, 30).orElseThrow(), RETENTION);
        assertEquals(10, outbox.queue(APP, "a").orElseThrow().finished().size(), "at most fatesPerChannel");
        send("a", "", 60_000 + 31, NEVER, 100);
        assertEquals(0, outbox.queue(APP, "a").orElseThrow().finished().size(), "older than the retention");
    }

    private static ControlOutbox.Send sendOf(String channel, String clientId) {
        return new ControlOutbox.Send(APP, channel, clientId, "x".getBytes(StandardCharsets.UTF_8), 0, NEVER);
    }

    private List<Enqueue> sendAll(List<ControlOutbox.Send> sends, int backlog) {
        List<Enqueue> decisions = outbox.enqueueAll(sends, () -> "m" + (++ids), backlog);
        for (Enqueue d : decisions) {
            if (d instanceof Enqueue.Accepted accepted) {
                outbox = outbox.apply(accepted.event(), RETENTION);
            }
        }
        return decisions;
    }

    @Test
    void sendsWrittenTogetherAreDecidedAsIfOneAfterTheOther() {
        send("a", "", 0, NEVER, 3);
        List<Enqueue> decisions = sendAll(List.of(sendOf("a", "order-1"), sendOf("b", ""), sendOf("a", "order-1"),
                sendOf("a", "order-2"), sendOf("a", "order-3")), 3);
        Enqueue.Accepted first = (Enqueue.Accepted) decisions.get(0);
        assertEquals(2, first.event().seq(), "sequence numbers continue after the stored ones");
        assertEquals(1, ((Enqueue.Accepted) decisions.get(1)).event().seq(), "per channel");
        assertEquals(first.event().messageId(), ((Enqueue.Duplicate) decisions.get(2)).fate().messageId(),
                "a client id repeated within the write is the first message");
        assertEquals(3, ((Enqueue.Accepted) decisions.get(3)).event().seq());
        assertEquals(3, ((Enqueue.BacklogFull) decisions.get(4)).backlog(), "the backlog counts the earlier sends");
        assertEquals(List.of(1L, 2L, 3L), outbox.queue(APP, "a").orElseThrow().pending().stream()
                .map(ControlMessage::seq).toList());
    }

    @Test
    void decidingAWriteLeavesTheClientIdIndexWithTheCurrentVersion() {
        send("a", "first", 0, NEVER, 10);
        outbox.queue(APP, "a").orElseThrow().byClientMessageId("first");
        assertTrue(outbox.queue(APP, "a").orElseThrow().holdsIndex());
        ControlOutbox before = outbox;
        List<Enqueue> decisions = sendAll(List.of(sendOf("a", "second"), sendOf("a", "third")), 10);
        assertTrue(decisions.stream().allMatch(d -> d instanceof Enqueue.Accepted));
        assertTrue(outbox.queue(APP, "a").orElseThrow().holdsIndex(),
                "deciding did not take the index: applying the write handed it on instead of rebuilding it");
        assertFalse(before.queue(APP, "a").orElseThrow().holdsIndex(), "handed on once, by applying");
    }

    @Test
    void enqueueAllOfNothingDecidesNothing() {
        assertTrue(outbox.enqueueAll(List.of(), () -> "never", 10).isEmpty());
    }

    @Test
    void confirmedReceiptsAreSkippedWhenPublishingAndRecordedByOneMarker() {
        send("a", "", 0, NEVER, 100);
        send("a", "", 0, NEVER, 100);
        send("a", "", 0, NEVER, 100);
        assertEquals(List.of(1L, 2L, 3L), outbox.receiptsToPublish(0, 10).stream().map(PendingReceipt::no).toList());
        assertEquals(List.of(3L), outbox.receiptsToPublish(2, 10).stream().map(PendingReceipt::no).toList(),
                "receipts the log confirmed are not published again before their marker is persisted");
        assertEquals(List.of(2L), outbox.receiptsToPublish(1, 1).stream().map(PendingReceipt::no).toList());
        assertTrue(outbox.receiptsConfirmed(0).isEmpty(), "nothing confirmed, no marker");
        ControlEvent.ReceiptsPublished marker = outbox.receiptsConfirmed(2).orElseThrow();
        outbox = outbox.apply(marker, RETENTION);
        assertEquals(List.of(3L), outbox.receipts().stream().map(PendingReceipt::no).toList());
        assertTrue(outbox.receiptsConfirmed(2).isEmpty(), "already recorded");
    }
}
