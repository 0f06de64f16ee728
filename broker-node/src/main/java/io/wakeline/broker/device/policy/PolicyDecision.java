package io.wakeline.broker.device.policy;

import java.util.List;

/**
 * What every decision carries besides its outcome: the events to persist (in order) and the notifications to send to
 * the device once they are persisted. Both empty when nothing changes.
 */
public interface PolicyDecision {

    List<DevicePolicyEvent> events();

    default List<DeviceNotification> notifications() {
        return List.of();
    }
}
