package io.wakeline.broker.device.channels;

import io.wakeline.broker.CborSerializable;

/** A live Web Push subscription as the device entity keeps it (in its snapshots). */
public record WebPushSubscription(String appId, long expiresAtMillis) implements CborSerializable {
}
