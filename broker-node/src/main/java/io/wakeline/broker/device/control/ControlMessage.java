package io.wakeline.broker.device.control;

import io.wakeline.broker.CborSerializable;

/** A message waiting in a channel's queue: accepted, not yet acked nor expired. */
public record ControlMessage(String appId, String channelId, String messageId, String clientMessageId, byte[] payload,
                             long seq, long acceptedAtMillis, long expiresAtMillis) implements CborSerializable {

    public boolean isExpiredAt(long nowMillis) {
        return expiresAtMillis <= nowMillis;
    }
}
