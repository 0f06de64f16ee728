package io.wakeline.broker.device.policy;

import java.util.List;

/** Outcome of {@code RequestAccessAsync}, of the user's answer to its dialog, or of an add from PC settings (wns-spec 6). */
public sealed interface AccessDecision extends PolicyDecision {

    /** Show the app's one consent dialog on the device; the answer comes back as {@link LockScreenConsent}. */
    record PromptUser(List<DevicePolicyEvent> events) implements AccessDecision {
        public PromptUser {
            events = List.copyOf(events);
        }
    }

    /** Return {@code status} to the app without UI. */
    record Answer(BackgroundAccessStatus status, List<DevicePolicyEvent> events,
            List<DeviceNotification> notifications) implements AccessDecision {
        public Answer {
            events = List.copyOf(events);
            notifications = List.copyOf(notifications);
        }

        static Answer unchanged(BackgroundAccessStatus status) {
            return new Answer(status, List.of(), List.of());
        }
    }

    /** The report makes no sense in the current state; nothing changes. */
    record Rejected(AccessRejection reason) implements AccessDecision {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }

    enum AccessRejection {
        /** A consent answer arrived although no dialog was pending. */
        NoPromptPending,
        /** PC settings added an app that is already there. */
        AlreadyOnLockScreen,
        /** Seven apps are on the lock screen already (wns-spec 6.1). */
        LockScreenFull,
        /** The manifest declares none of controlChannel, timer, pushNotification (wns-spec 6.3). */
        NotLockScreenCapable,
        /** A controlChannel-only app can be added only with a real-time-connectivity slot, and none is free. */
        NoRealTimeConnectivitySlot
    }
}
