package io.wakeline.broker.device.control;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.wakeline.broker.CborSerializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One control channel's queue, keyed by (app, channel id) so that it outlives resets of the channel itself: a
 * channel the app creates again under the same id continues where the old one stopped. Immutable, like a record of
 * its seven values (equality, serialized form); {@link ControlOutbox#apply} makes the next version.
 *
 * <p>Every send with a client message id asks whether the queue holds that id (backlog plus up to 1000 retained
 * fates): a scan touching every message was the device entity's largest cost on the guaranteed path (JFR, cache
 * misses on thousands of objects). So a queue keeps an index from client message id to the message or fate holding
 * it. The index is not part of the value: it is built on first use, and handed on to the next version with just the
 * changes of that step ({@link #successor}), so the usual chain of versions never rebuilds it; an older version that
 * gave its index away builds its own again if it is ever asked.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class ControlQueue implements CborSerializable {
    private final String appId;
    private final String channelId;
    private final long lastSeq;
    private final long ackedUpTo;
    private final List<ControlMessage> pending;
    private final List<MessageFate> finished;
    private final boolean closed;
    /** Client message id → the {@link ControlMessage} or {@link MessageFate} holding it; null until used or given away. */
    private transient Map<String, Object> byClientId;

    /**
     * @param lastSeq   sequence number of the newest accepted message (0: none yet); numbers are never reused
     * @param ackedUpTo highest sequence the device acked (persisted)
     * @param pending   accepted, neither acked nor expired, in sequence order
     * @param finished  fates of acked and expired messages, oldest first, kept for the status endpoint
     * @param closed    the device app closed the channel (sends are refused) and has not created it again
     */
    @JsonCreator
    public ControlQueue(@JsonProperty("appId") String appId, @JsonProperty("channelId") String channelId,
                        @JsonProperty("lastSeq") long lastSeq, @JsonProperty("ackedUpTo") long ackedUpTo,
                        @JsonProperty("pending") List<ControlMessage> pending,
                        @JsonProperty("finished") List<MessageFate> finished, @JsonProperty("closed") boolean closed) {
        this.appId = appId;
        this.channelId = channelId;
        this.lastSeq = lastSeq;
        this.ackedUpTo = ackedUpTo;
        this.pending = List.copyOf(pending);
        this.finished = List.copyOf(finished);
        this.closed = closed;
    }

    static ControlQueue empty(String appId, String channelId) {
        return new ControlQueue(appId, channelId, 0, 0, List.of(), List.of(), false);
    }

    @JsonProperty("appId")
    public String appId() {
        return appId;
    }

    @JsonProperty("channelId")
    public String channelId() {
        return channelId;
    }

    @JsonProperty("lastSeq")
    public long lastSeq() {
        return lastSeq;
    }

    @JsonProperty("ackedUpTo")
    public long ackedUpTo() {
        return ackedUpTo;
    }

    @JsonProperty("pending")
    public List<ControlMessage> pending() {
        return pending;
    }

    @JsonProperty("finished")
    public List<MessageFate> finished() {
        return finished;
    }

    @JsonProperty("closed")
    public boolean closed() {
        return closed;
    }

    public String key() {
        return ControlOutbox.key(appId, channelId);
    }

    Optional<MessageFate> byClientMessageId(String clientMessageId) {
        Object holder = index().get(clientMessageId);
        if (holder instanceof ControlMessage m) {
            return Optional.of(accepted(m));
        }
        return holder instanceof MessageFate f ? Optional.of(f) : Optional.empty();
    }

    Optional<MessageFate> byMessageId(String messageId) {
        for (ControlMessage m : pending) {
            if (m.messageId().equals(messageId)) {
                return Optional.of(accepted(m));
            }
        }
        return finished.stream().filter(f -> f.messageId().equals(messageId)).findFirst();
    }

    /**
     * The next version of this queue. {@code holders} are the messages and fates new in it (a message accepted, the
     * fates of those that finished), {@code dropped} the fates it no longer retains; with them this queue's index, if
     * it has one, becomes the successor's.
     */
    ControlQueue successor(long lastSeq, long ackedUpTo, List<ControlMessage> pending, List<MessageFate> finished,
                           boolean closed, List<?> holders, List<MessageFate> dropped) {
        ControlQueue next = new ControlQueue(appId, channelId, lastSeq, ackedUpTo, pending, finished, closed);
        Map<String, Object> index = byClientId;
        if (index != null) {
            byClientId = null; // given away: rebuilt from this version's own lists if this version is asked again
            for (Object holder : holders) {
                String id = holder instanceof ControlMessage m ? m.clientMessageId() : ((MessageFate) holder).clientMessageId();
                if (!id.isEmpty()) {
                    index.put(id, holder);
                }
            }
            // after the new holders: a fate can finish and be dropped in the same step; and a dropped fate's id that
            // a newer message took meanwhile stays with the newer one
            for (MessageFate fate : dropped) {
                index.remove(fate.clientMessageId(), fate);
            }
            next.byClientId = index;
        }
        return next;
    }

    private Map<String, Object> index() {
        if (byClientId == null) {
            Map<String, Object> index = new HashMap<>();
            for (MessageFate f : finished) {
                if (!f.clientMessageId().isEmpty()) {
                    index.put(f.clientMessageId(), f);
                }
            }
            for (ControlMessage m : pending) {
                if (!m.clientMessageId().isEmpty()) {
                    index.put(m.clientMessageId(), m);
                }
            }
            byClientId = index;
        }
        return byClientId;
    }

    static MessageFate accepted(ControlMessage m) {
        return new MessageFate(m.messageId(), m.clientMessageId(), m.seq(), MessageFate.State.ACCEPTED,
                m.acceptedAtMillis(), 0, 0, m.expiresAtMillis(), 0);
    }

    static MessageFate accepted(ControlEvent.MessageEnqueued e) {
        return new MessageFate(e.messageId(), e.clientMessageId(), e.seq(), MessageFate.State.ACCEPTED,
                e.acceptedAtMillis(), 0, 0, e.expiresAtMillis(), 0);
    }

    /** Whether this version holds its client-id index (not built yet, or handed on: false). For tests. */
    boolean holdsIndex() {
        return byClientId != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlQueue q && lastSeq == q.lastSeq && ackedUpTo == q.ackedUpTo && closed == q.closed
                && appId.equals(q.appId) && channelId.equals(q.channelId) && pending.equals(q.pending)
                && finished.equals(q.finished);
    }

    @Override
    public int hashCode() {
        return Objects.hash(appId, channelId, lastSeq, ackedUpTo, pending, finished, closed);
    }

    @Override
    public String toString() {
        return "ControlQueue[appId=" + appId + ", channelId=" + channelId + ", lastSeq=" + lastSeq + ", ackedUpTo="
                + ackedUpTo + ", pending=" + pending + ", finished=" + finished + ", closed=" + closed + "]";
    }
}
