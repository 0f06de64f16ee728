package io.wakeline.broker.channel;

/**
 * What a control channel's URI stands for: one control channel (the app's own id) of one app on one device. It
 * does not expire: the queue behind it lives as long as the device keeps the channel id (resets included).
 */
public record ControlChannelToken(String deviceId, String appId, String controlChannelId, long issuedAtMillis) {
}
