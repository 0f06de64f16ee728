package io.wakeline.broker.device.policy;

import java.util.List;

/** A decision whose only outcome is its changes (power source, execution state, a usage report, a reset). */
public record PolicyChanges(List<DevicePolicyEvent> events, List<DeviceNotification> notifications)
        implements PolicyDecision {

    public static final PolicyChanges NONE = new PolicyChanges(List.of(), List.of());

    public PolicyChanges {
        events = List.copyOf(events);
        notifications = List.copyOf(notifications);
    }

    public static PolicyChanges of(List<DevicePolicyEvent> events) {
        return new PolicyChanges(events, List.of());
    }
}
