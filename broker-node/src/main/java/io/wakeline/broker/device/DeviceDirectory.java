package io.wakeline.broker.device;

import java.util.concurrent.CompletionStage;

/**
 * What the app-server gateways ask of the device side. Implemented over cluster sharding by
 * {@link ShardedDeviceDirectory}; routes depend only on this, so they are tested with a fake.
 */
public interface DeviceDirectory {

    /** Offers a push of any kind to the device's entity; never fails the stage for a device-side reason. */
    CompletionStage<PushOutcome> deliver(Push push);

    /**
     * Looks at or deletes a stored Web Push message (its message resource, RFC 8030 §5); answers whether it
     * was still pending (stored, undelivered, unexpired).
     */
    CompletionStage<DeviceEntity.StoredWebPushMessage> manageWebPushMessage(String deviceId, String subscriptionId,
                                                                           String messageId,
                                                                           DeviceEntity.MessageAction action);
}
