package io.wakeline.broker.channel;

/**
 * What a channel URI stands for: one app on one device, until it expires (wns-spec 4.2, 4.6).
 * The URI carries this sealed, so the broker verifies a send without a lookup.
 */
public record ChannelToken(String deviceId, String appId, String channelId, long expiresAtMillis) {

    public boolean isExpiredAt(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }
}
