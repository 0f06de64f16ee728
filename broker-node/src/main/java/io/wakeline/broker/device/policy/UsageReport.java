package io.wakeline.broker.device.policy;

import java.util.List;

/** Outcome of the device's report of a finished background task's use (wns-spec 8.10–8.12). */
public sealed interface UsageReport extends PolicyDecision {

    /** Charged to the app's budget; may include {@code SandboxQuotaExhausted}. */
    record Charged(List<DevicePolicyEvent> events) implements UsageReport {
        public Charged {
            events = List.copyOf(events);
        }
    }

    /** Negative use cannot be charged; nothing changes. */
    record Rejected() implements UsageReport {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }
}
