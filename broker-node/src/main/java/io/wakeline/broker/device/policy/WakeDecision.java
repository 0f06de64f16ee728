package io.wakeline.broker.device.policy;

import java.util.List;
import java.util.Set;

/** Whether a trigger may reach an app now, and how (control-channel messages and device-side triggers). */
public sealed interface WakeDecision extends PolicyDecision {

    /** The app is in the foreground of an active device: hand the data to it, no background task (wns-spec 7.1). */
    record DeliverToForegroundApp() implements WakeDecision {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }

    /** Start the app's background task for the trigger; {@code events} hold its {@code BackgroundTaskStarted}. */
    record StartBackgroundTask(List<DevicePolicyEvent> events) implements WakeDecision {
        public StartBackgroundTask {
            events = List.copyOf(events);
        }
    }

    /** Not now; try again when the device's state changes or the running task completes. */
    record Defer(DeferReason reason) implements WakeDecision {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }

    /** The app's sandbox quota for this trigger class is used up (wns-spec 8.11): not before {@code refillAtMillis}. */
    record QuotaExhausted(Set<BudgetResource> resources, long refillAtMillis) implements WakeDecision {
        public QuotaExhausted {
            resources = Set.copyOf(resources);
        }

        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }

    /** Never, as things stand: nothing registered to run. */
    record Refuse(WakeRefusal reason) implements WakeDecision {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }

    enum DeferReason {
        /** The link is down. */
        DeviceOffline,
        /** Sleep or hibernate: nothing wakes (seed 000). */
        DeviceAsleep,
        /** Software slots trigger only while the system is active (wns-spec 7.9). */
        SoftwareSlotInConnectedStandby,
        /** One background task per app at a time; this trigger waits for it (wns-spec 5.10). */
        BackgroundTaskRunning,
        /** Maintenance triggers run only on mains power (wns-spec 8.4). */
        MaintenanceOnBattery
    }

    enum WakeRefusal {
        /** No such control channel (never created, closed, or reset). */
        NoControlChannel,
        /** The trigger class needs the lock screen (wns-spec 8.2). */
        NotOnLockScreen,
        /** The app registered no background task for this trigger. */
        NoTaskRegistered
    }
}
