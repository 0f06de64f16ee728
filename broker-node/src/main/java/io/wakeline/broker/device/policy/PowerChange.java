package io.wakeline.broker.device.policy;

import java.util.List;

/** Outcome of a handshake or a reported power-state change. */
public sealed interface PowerChange extends PolicyDecision {

    /** Accepted; {@code events} empty when nothing changed. May reset channels (wns-spec 7.13 LowPowerExit). */
    record Changed(List<DevicePolicyEvent> events, List<DeviceNotification> notifications) implements PowerChange {
        public Changed {
            events = List.copyOf(events);
            notifications = List.copyOf(notifications);
        }
    }

    /** The report contradicts the device's capabilities; nothing changes. */
    record Rejected(PowerRejection reason) implements PowerChange {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }

    enum PowerRejection {
        /** Connected standby reported by a device whose chipset does not support it (seed 000). */
        ConnectedStandbyNotSupported
    }
}
