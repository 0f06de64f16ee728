package io.wakeline.simulator;

/** A control channel a simulated device app created: where its app server sends guaranteed messages. */
public record ControlChannelRecord(String deviceId, String appId, String channelId, String controlChannelUri) {
}
