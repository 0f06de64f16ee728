package io.wakeline.broker.device;

import java.util.concurrent.CompletionStage;

/** What the control-channel route asks of the device side; over cluster sharding in {@link ShardedDeviceDirectory}. */
public interface ControlChannelDirectory {

    /** Journals the message on the device's entity and answers once it is durable (or refused). */
    CompletionStage<DeviceEntity.ControlSendReply> enqueueControl(String deviceId, String appId, String channelId,
                                                                  String clientMessageId, byte[] payload,
                                                                  long nowMillis, long expiresAtMillis);

    CompletionStage<DeviceEntity.ControlMessageStatus> controlMessageStatus(String deviceId, String appId,
                                                                            String channelId, String messageId);
}
