package io.wakeline.simulator;

import io.wakeline.protocol.v1.AppExecutionState;
import io.wakeline.protocol.v1.ControlChannelResourceType;
import io.wakeline.protocol.v1.LockScreenConsent;
import io.wakeline.protocol.v1.ManifestBackgroundTask;
import io.wakeline.protocol.v1.PowerSource;
import io.wakeline.protocol.v1.PowerState;
import io.wakeline.protocol.v1.TriggerKind;
import java.util.List;

/**
 * What one line of a simulator script makes a device do: the device-side actions of docs/protocol.md that a
 * user of a real device (or its app) would cause. {@link ScriptRunner} carries them out, one device at a time.
 */
sealed interface DeviceAction {

    /** The link closes and the device stays offline until {@link Online}. */
    record Offline() implements DeviceAction {
    }

    /** An offline device connects again. */
    record Online() implements DeviceAction {
    }

    /** PowerReport (§14); {@code source} null leaves the power source unchanged. */
    record Power(PowerState state, PowerSource source, boolean batterySaver) implements DeviceAction {
    }

    /** AppStateReport (§14). */
    record AppState(String appId, AppExecutionState state) implements DeviceAction {
    }

    /** LockScreenRequest, and the user's {@code consent} if the broker asks for it (§14). */
    record LockScreen(String appId, LockScreenConsent consent, List<ManifestBackgroundTask> declaredTasks)
            implements DeviceAction {
    }

    /** LockScreenChange{REMOVED_BY_USER} (§14). */
    record LockScreenRemove(String appId) implements DeviceAction {
    }

    /** TriggerRegistration (§14). */
    record Trigger(String appId, TriggerKind trigger, int freshnessMinutes, boolean unregister) implements DeviceAction {
    }

    /** BackgroundTaskRequest for a due time or maintenance trigger, and the task's report if it may run (§14). */
    record BackgroundTask(String appId, TriggerKind trigger, long cpuMillis, long networkBytes) implements DeviceAction {
    }

    /** ControlChannelRequest{CREATE} (§14); an allocated channel's URI goes to the channel file. */
    record ControlChannel(String appId, String channelId, ControlChannelResourceType slot, int keepAliveMinutes)
            implements DeviceAction {
    }

    /** ControlChannelRequest{CLOSE} (§14). */
    record CloseControlChannel(String appId, String channelId) implements DeviceAction {
    }

    /** ControlUpstream: a message for the app server's event stream (§16). */
    record ControlUpstream(String appId, String channelId, String payload) implements DeviceAction {
    }

    /** WebPushSubscribe with fresh encryption keys; the subscription and its keys go to the channel file (§15). */
    record WebPushSubscribe(String appId, byte[] applicationServerKey) implements DeviceAction {
    }

    /** WebPushUnsubscribe of every subscription the script made for the app on the device (§15). */
    record WebPushUnsubscribe(String appId) implements DeviceAction {
    }

    /** ChannelClose of the device's current channel for the app, and every older one (§15). */
    record CloseChannel(String appId) implements DeviceAction {
    }
}
