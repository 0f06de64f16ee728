package io.wakeline.broker.device.control;

import io.wakeline.broker.CborSerializable;
import java.util.List;
import java.util.Optional;

/**
 * One control channel's queue, keyed by (app, channel id) so that it outlives resets of the channel itself: a
 * channel the app creates again under the same id continues where the old one stopped.
 *
 * @param lastSeq   sequence number of the newest accepted message (0: none yet); numbers are never reused
 * @param ackedUpTo highest sequence the device acked (persisted)
 * @param pending   accepted, neither acked nor expired, in sequence order
 * @param finished  fates of acked and expired messages, oldest first, kept for the status endpoint
 * @param closed    the device app closed the channel (sends are refused) and has not created it again
 */
public record ControlQueue(String appId, String channelId, long lastSeq, long ackedUpTo, List<ControlMessage> pending,
                           List<MessageFate> finished, boolean closed) implements CborSerializable {

    public ControlQueue {
        pending = List.copyOf(pending);
        finished = List.copyOf(finished);
    }

    static ControlQueue empty(String appId, String channelId) {
        return new ControlQueue(appId, channelId, 0, 0, List.of(), List.of(), false);
    }

    public String key() {
        return ControlOutbox.key(appId, channelId);
    }

    /**
     * Every send with a client message id looks through the whole queue (up to backlog + retained fates, thousands):
     * ids are compared by their cached hash first, so a miss costs an int comparison per message, not a string one.
     */
    Optional<MessageFate> byClientMessageId(String clientMessageId) {
        int hash = clientMessageId.hashCode();
        for (ControlMessage m : pending) {
            if (m.clientMessageId().hashCode() == hash && m.clientMessageId().equals(clientMessageId)) {
                return Optional.of(accepted(m));
            }
        }
        for (MessageFate f : finished) {
            if (f.clientMessageId().hashCode() == hash && f.clientMessageId().equals(clientMessageId)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    Optional<MessageFate> byMessageId(String messageId) {
        for (ControlMessage m : pending) {
            if (m.messageId().equals(messageId)) {
                return Optional.of(accepted(m));
            }
        }
        return finished.stream().filter(f -> f.messageId().equals(messageId)).findFirst();
    }

    static MessageFate accepted(ControlMessage m) {
        return new MessageFate(m.messageId(), m.clientMessageId(), m.seq(), MessageFate.State.ACCEPTED,
                m.acceptedAtMillis(), 0, 0, m.expiresAtMillis(), 0);
    }
}
