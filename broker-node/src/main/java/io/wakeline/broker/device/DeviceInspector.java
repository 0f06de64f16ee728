package io.wakeline.broker.device;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Read-only view of a device for operators (the admin API); empty for a device the broker has never seen. */
public interface DeviceInspector {

    CompletionStage<Optional<DeviceEntity.DeviceView>> inspect(String deviceId);
}
