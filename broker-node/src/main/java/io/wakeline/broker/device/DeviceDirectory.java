package io.wakeline.broker.device;

import java.util.concurrent.CompletionStage;

/**
 * What the app-server gateway asks of the device side. Implemented over cluster sharding by
 * {@link ShardedDeviceDirectory}; routes depend only on this, so they are tested with a fake.
 */
public interface DeviceDirectory {

    /** Offers a raw notification to the device's entity; never fails the stage for a device-side reason. */
    CompletionStage<RawPushOutcome> pushRaw(RawPush push);
}
