package io.wakeline.simulator;

/** A channel the broker issued to one app on one simulated device (ChannelIssued on the device link). */
public record ChannelRecord(String deviceId, String appId, String channelUri, String channelId, long expiresAtMillis) {
}
