package io.wakeline.broker.device.control;

import io.wakeline.broker.CborSerializable;

/**
 * Where one message stands, for its status endpoint. Times are 0 when the step has not happened.
 * {@code DELIVERED} is known only while the entity that sent it lives (deliveries are not journaled).
 * {@code REJECTED}: the device app closed the control channel (or the device reset its channels) before the message
 * was acked; {@code expiredAtMillis} then holds when that was noticed.
 */
public record MessageFate(String messageId, String clientMessageId, long seq, State state, long acceptedAtMillis,
                          long deliveredAtMillis, long ackedAtMillis, long expiresAtMillis, long expiredAtMillis)
        implements CborSerializable {

    public enum State {
        ACCEPTED, DELIVERED, ACKED, EXPIRED, REJECTED
    }

    boolean isFinished() {
        return state == State.ACKED || state == State.EXPIRED || state == State.REJECTED;
    }

    long finishedAtMillis() {
        return state == State.ACKED ? ackedAtMillis : expiredAtMillis;
    }
}
