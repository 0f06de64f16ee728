package io.wakeline.loadtest;

import java.net.URI;

/** One line of the device simulator's channel file: a channel one app holds on one device. */
public record DeviceChannel(String deviceId, String appId, URI channelUri, String channelId, long expiresAtMillis) {
}
