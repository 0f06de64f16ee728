package io.wakeline.broker.device.policy;

import java.util.List;

/** Outcome of taking an app off the lock screen (wns-spec 6.8, 6.9). */
public sealed interface LockScreenRemoval extends PolicyDecision {

    /** Removed: its channels closed, {@code LockScreenApplicationRemoved} raised. */
    record Removed(List<DevicePolicyEvent> events, List<DeviceNotification> notifications)
            implements LockScreenRemoval {
        public Removed {
            events = List.copyOf(events);
            notifications = List.copyOf(notifications);
        }
    }

    /** The app was not on the lock screen; nothing changes. */
    record NotOnLockScreen() implements LockScreenRemoval {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }
}
