package io.wakeline.broker.device.control;

import static io.wakeline.broker.device.control.Outboxes.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    private final GroupCommit<String> commit = new GroupCommit<>();
    private final AtomicInteger ids = new AtomicInteger();

    private static ControlOutbox.Send send(String channel, String clientId) {
        return new ControlOutbox.Send(APP, channel, clientId, new byte[] {1}, 0, Outboxes.NEVER);
    }

    @Test
    void theFirstSendSinceAWriteQueuesTheNextWrite() {
        assertTrue(commit.gather(send("a", ""), "s1"));
        assertFalse(commit.gather(send("a", ""), "s2"));
        commit.take(ControlOutbox.EMPTY, () -> "m" + ids.incrementAndGet(), 10);
        assertTrue(commit.isEmpty());
        assertTrue(commit.gather(send("a", ""), "s3"));
    }

    @Test
    void aWriteAcceptsInArrivalOrderAndAnswersEverySender() {
        commit.gather(send("a", "order-1"), "s1");
        commit.gather(send("a", ""), "s2");
        commit.gather(send("a", "order-1"), "s3");
        GroupCommit.Write<String> write = commit.take(ControlOutbox.EMPTY, () -> "m" + ids.incrementAndGet(), 10);
        assertEquals(List.of(1L, 2L), write.accepted().stream().map(e -> ((ControlEvent.MessageEnqueued) e).seq()).toList());
        assertEquals(List.of("s1", "s2", "s3"), write.answers().stream().map(GroupCommit.Answer::replyTo).toList());
        assertInstanceOf(ControlOutbox.Enqueue.Duplicate.class, write.answers().get(2).result(), "same client id, same write");
        assertEquals(List.of(), write.refused());
    }

    @Test
    void aSendToAChannelClosedWhileItWaitedIsRefusedAtOnce() {
        ControlOutbox outbox = Outboxes.withMessages("gone", 1);
        outbox = outbox.apply(outbox.close(APP, "gone", 5, java.util.Map.of()).orElseThrow(), Outboxes.RETENTION);
        commit.gather(send("gone", ""), "late");
        commit.gather(send("a", ""), "fine");
        GroupCommit.Write<String> write = commit.take(outbox, () -> "m" + ids.incrementAndGet(), 10);
        assertEquals(List.of(new GroupCommit.Answer<>("late", new ControlOutbox.Enqueue.Closed())), write.refused());
        assertEquals(List.of("fine"), write.answers().stream().map(GroupCommit.Answer::replyTo).toList());
        assertEquals(1, write.accepted().size());
    }
}
