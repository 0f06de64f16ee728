package io.wakeline.loadtest;

import java.net.URI;

/** One line of the device simulator's channel file: a channel one app holds on one device. */
public record DeviceChannel(String deviceId, String appId, URI channelUri, String channelId, long expiresAtMillis) {

    /**
     * Reads a line of the simulator's channel file: WNS channels carry {@code channelUri}, control channels
     * ({@code "kind":"control"}) carry {@code controlChannelUri}; either becomes {@link #channelUri()}.
     */
    @com.fasterxml.jackson.annotation.JsonCreator
    static DeviceChannel fromJson(
            @com.fasterxml.jackson.annotation.JsonProperty("deviceId") String deviceId,
            @com.fasterxml.jackson.annotation.JsonProperty("appId") String appId,
            @com.fasterxml.jackson.annotation.JsonProperty("channelUri") URI channelUri,
            @com.fasterxml.jackson.annotation.JsonProperty("controlChannelUri") URI controlChannelUri,
            @com.fasterxml.jackson.annotation.JsonProperty("channelId") String channelId,
            @com.fasterxml.jackson.annotation.JsonProperty("expiresAtMillis") long expiresAtMillis) {
        return new DeviceChannel(deviceId, appId, channelUri != null ? channelUri : controlChannelUri, channelId, expiresAtMillis);
    }
}
