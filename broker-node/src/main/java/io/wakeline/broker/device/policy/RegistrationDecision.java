package io.wakeline.broker.device.policy;

import java.util.List;

/** Outcome of registering or unregistering a background task for a trigger (wns-spec 8.2–8.5). */
public sealed interface RegistrationDecision extends PolicyDecision {

    /** Registered (or unregistered); {@code events} empty when it already was. */
    record Accepted(List<DevicePolicyEvent> events) implements RegistrationDecision {
        public Accepted {
            events = List.copyOf(events);
        }
    }

    /** What {@code BackgroundTaskBuilder.Register} refuses; nothing changes. */
    record Rejected(RegistrationRejection reason) implements RegistrationDecision {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }

    enum RegistrationRejection {
        /** Time and push-notification triggers are lock-screen only on Windows 8 (wns-spec 8.2). */
        NotOnLockScreen,
        /** A time or maintenance trigger below 15 minutes (wns-spec 8.3, 8.4). */
        FreshnessBelowFifteenMinutes,
        /** A time or maintenance trigger registered without its freshness, or another one with a freshness. */
        FreshnessMismatch,
        /** Control-channel triggers come with their channel ({@code createControlChannel}), not on their own. */
        ControlChannelTriggerNeedsChannel
    }
}
