package io.wakeline.broker.device.policy;

import java.util.List;
import java.util.Optional;

/** The three client outcomes of a raw notification (wns-spec 5.4), plus waiting for the app's running task (5.10). */
public sealed interface RawPushDecision extends PolicyDecision {

    /**
     * Raise {@code PushNotificationReceived} in the foreground app (wns-spec 5.5). Unless its handler sets
     * {@code Cancel} (5.6), the device then passes the raw on to the background task; empty
     * {@code backgroundTaskBlockedBy} means that task may run (the device reports it like any task), otherwise the
     * reason it may not.
     */
    record DeliverAsEvent(Optional<RawDropReason> backgroundTaskBlockedBy) implements RawPushDecision {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }

    /** Start the app's PushNotificationTrigger task with the raw; {@code events} hold its {@code BackgroundTaskStarted}. */
    record StartBackgroundTask(List<DevicePolicyEvent> events) implements RawPushDecision {
        public StartBackgroundTask {
            events = List.copyOf(events);
        }
    }

    /** The app's background task is running; the raw waits for it to complete (wns-spec 5.10). Held in memory only. */
    record WaitForRunningTask() implements RawPushDecision {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }

    /** Dropped on receipt, with the reason. */
    record Drop(RawDropReason reason) implements RawPushDecision {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }
}
