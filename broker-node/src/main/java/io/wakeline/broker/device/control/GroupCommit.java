package io.wakeline.broker.device.control;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Group commit of sends (DESIGN.md: one journal write per message per round trip measured ~650/s on H2): sends that
 * arrive while a write is in flight, or together, are decided and journaled as the next write, and each sender is
 * answered after it. {@code R} is how a sender is answered; this class never looks at it.
 */
public final class GroupCommit<R> {
    private final List<Gathered<R>> gathered = new ArrayList<>();

    /** A send waiting for the next write. */
    public record Gathered<R>(ControlOutbox.Send send, R replyTo) {
    }

    /** The answer to one send, for its sender. */
    public record Answer<R>(R replyTo, ControlOutbox.Enqueue result) {
    }

    /**
     * The next write: the accepted messages' events, in order; the senders to refuse at once (their channel closed
     * while they waited); and the answers to give once the write is durable, in arrival order.
     */
    public record Write<R>(List<ControlEvent> accepted, List<Answer<R>> refused, List<Answer<R>> answers) {
    }

    /** Adds a send; true when it is the first since the last write (the caller then queues the write). */
    public boolean gather(ControlOutbox.Send send, R replyTo) {
        gathered.add(new Gathered<>(send, replyTo));
        return gathered.size() == 1;
    }

    public boolean isEmpty() {
        return gathered.isEmpty();
    }

    /**
     * Decides every gathered send against {@code outbox} as one write ({@link ControlOutbox#enqueueAll}): a send to a
     * channel closed while it waited is refused. Nothing is gathered afterwards.
     */
    public Write<R> take(ControlOutbox outbox, Supplier<String> newMessageIds, int backlogPerChannel) {
        List<Gathered<R>> open = new ArrayList<>(gathered.size());
        List<Answer<R>> refused = new ArrayList<>();
        for (Gathered<R> g : gathered) {
            if (outbox.isClosed(g.send().appId(), g.send().channelId())) {
                refused.add(new Answer<>(g.replyTo(), new ControlOutbox.Enqueue.Closed()));
            } else {
                open.add(g);
            }
        }
        gathered.clear();
        List<ControlOutbox.Enqueue> decisions = outbox.enqueueAll(open.stream().map(Gathered::send).toList(),
                newMessageIds, backlogPerChannel);
        List<ControlEvent> accepted = new ArrayList<>();
        List<Answer<R>> answers = new ArrayList<>(open.size());
        for (int i = 0; i < open.size(); i++) {
            ControlOutbox.Enqueue decision = decisions.get(i);
            if (decision instanceof ControlOutbox.Enqueue.Accepted a) {
                accepted.add(a.event());
            }
            answers.add(new Answer<>(open.get(i).replyTo(), decision));
        }
        return new Write<>(accepted, refused, answers);
    }
}
