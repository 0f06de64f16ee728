package io.wakeline.broker.device.control;

import io.wakeline.broker.CborSerializable;

/**
 * Where one message stands, for its status endpoint. Times are 0 when the step has not happened.
 * {@code DELIVERED} is known only while the entity that sent it lives (deliveries are not journaled).
 */
public record MessageFate(String messageId, String clientMessageId, long seq, State state, long acceptedAtMillis,
                          long deliveredAtMillis, long ackedAtMillis, long expiresAtMillis, long expiredAtMillis)
        implements CborSerializable {

    public enum State {
        ACCEPTED, DELIVERED, ACKED, EXPIRED
    }

    boolean isFinished() {
        return state == State.ACKED || state == State.EXPIRED;
    }

    long finishedAtMillis() {
        return state == State.ACKED ? ackedAtMillis : expiredAtMillis;
    }
}
