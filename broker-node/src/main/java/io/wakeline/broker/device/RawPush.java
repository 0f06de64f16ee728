package io.wakeline.broker.device;

import io.wakeline.broker.CborSerializable;

/** A raw notification accepted at the gateway, on its way to a device (wns-spec 5). Never journaled. */
public record RawPush(
        String deviceId,
        String appId,
        String channelId,
        byte[] payload,
        CachePolicy cachePolicy,
        String messageId,
        long acceptedAtMillis) implements CborSerializable {

    /** {@code X-WNS-Cache-Policy}; raw defaults to {@link #NO_CACHE} (wns-spec 2.1). */
    public enum CachePolicy {
        CACHE,
        NO_CACHE
    }
}
