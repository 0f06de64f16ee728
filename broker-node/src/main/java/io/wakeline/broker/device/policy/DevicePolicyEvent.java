package io.wakeline.broker.device.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.wakeline.broker.CborSerializable;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Every change of a device's policy state. Decisions return these; the device entity persists exactly them and
 * replays them through {@link DevicePolicyState#apply(DevicePolicyEvent)}. Each event carries what its application
 * needs (times, budget windows), so applying never reads a clock or configuration.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
@JsonSubTypes({
    @JsonSubTypes.Type(value = DevicePolicyEvent.DeviceCapabilitiesReported.class, name = "capabilities"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.PowerStateChanged.class, name = "power-state"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.PowerSourceChanged.class, name = "power-source"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.LockScreenConsentPrompted.class, name = "consent-prompted"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.LockScreenConsentAnswered.class, name = "consent-answered"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.LockScreenAppAdded.class, name = "lock-screen-added"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.RealTimeConnectivityGranted.class, name = "rtc-granted"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.LockScreenAppRemoved.class, name = "lock-screen-removed"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.ControlChannelCreated.class, name = "channel-created"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.ControlChannelClosed.class, name = "channel-closed"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.ControlChannelsReset.class, name = "channels-reset"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.AppExecutionStateChanged.class, name = "execution-state"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.BackgroundTriggerRegistered.class, name = "trigger-registered"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.BackgroundTriggerUnregistered.class, name = "trigger-unregistered"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.BackgroundTaskStarted.class, name = "task-started"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.BackgroundTaskCompleted.class, name = "task-completed"),
    @JsonSubTypes.Type(value = DevicePolicyEvent.SandboxQuotaExhausted.class, name = "quota-exhausted")
})
public sealed interface DevicePolicyEvent extends CborSerializable {

    // --- device ---

    /** The handshake told what the hardware supports. */
    record DeviceCapabilitiesReported(DeviceCapabilities capabilities) implements DevicePolicyEvent {
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public DeviceCapabilitiesReported {
            Objects.requireNonNull(capabilities, "capabilities");
        }
    }

    /** The device changed power state; {@link PowerState#Off} when its link went down. */
    record PowerStateChanged(PowerState from, PowerState to, long atMillis) implements DevicePolicyEvent {
    }

    /** The device moved between battery and mains. */
    record PowerSourceChanged(PowerSource source) implements DevicePolicyEvent {
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public PowerSourceChanged {
            Objects.requireNonNull(source, "source");
        }
    }

    // --- lock screen (wns-spec 6) ---

    /** The app's one consent dialog was shown; {@code declaredTasks} are the manifest's background task types. */
    record LockScreenConsentPrompted(String appId, Set<ManifestBackgroundTask> declaredTasks)
            implements DevicePolicyEvent {
        public LockScreenConsentPrompted {
            declaredTasks = Set.copyOf(declaredTasks);
        }
    }

    /** The device's user answered the dialog. */
    record LockScreenConsentAnswered(String appId, LockScreenConsent consent) implements DevicePolicyEvent {
    }

    /** The app joined the lock screen with {@code status}; AlwaysOn means it took a real-time-connectivity slot. */
    record LockScreenAppAdded(String appId, BackgroundAccessStatus status, Set<ManifestBackgroundTask> declaredTasks)
            implements DevicePolicyEvent {
        public LockScreenAppAdded {
            declaredTasks = Set.copyOf(declaredTasks);
        }
    }

    /** A lock-screen app without RTC took a freed real-time-connectivity slot on a silent re-request (wns-spec 6.7). */
    record RealTimeConnectivityGranted(String appId) implements DevicePolicyEvent {
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public RealTimeConnectivityGranted {
            Objects.requireNonNull(appId, "appId");
        }
    }

    /** The app left the lock screen (its control channels were closed by preceding events). */
    record LockScreenAppRemoved(String appId, LockScreenRemovalCause cause) implements DevicePolicyEvent {
    }

    // --- control channels (wns-spec 7) ---

    /** A control channel now holds {@code slot}. */
    record ControlChannelCreated(String appId, String channelId, int serverKeepAliveIntervalInMinutes,
            ControlChannelSlot slot) implements DevicePolicyEvent {
    }

    /** A control channel's slot was freed. */
    record ControlChannelClosed(String appId, String channelId, ChannelCloseCause cause) implements DevicePolicyEvent {
    }

    /** The system reset these channels of the app; their slots are freed and the app must recreate them. */
    record ControlChannelsReset(String appId, ControlChannelTriggerResetReason reason, List<String> channelIds)
            implements DevicePolicyEvent {
        public ControlChannelsReset {
            channelIds = List.copyOf(channelIds);
        }
    }

    // --- app lifecycle (wns-spec 5, 8) ---

    /** The device reported the app's execution state. */
    record AppExecutionStateChanged(String appId, AppExecutionState state) implements DevicePolicyEvent {
    }

    /** The app registered a background task for {@code trigger}. */
    record BackgroundTriggerRegistered(String appId, TriggerKind trigger) implements DevicePolicyEvent {
    }

    /** The app unregistered its background task for {@code trigger}. */
    record BackgroundTriggerUnregistered(String appId, TriggerKind trigger) implements DevicePolicyEvent {
    }

    // --- background tasks and sandbox (wns-spec 5.10, 8.10–8.13) ---

    /** A background task of the app started; others wait until it completes. */
    record BackgroundTaskStarted(String appId, TriggerKind trigger, long atMillis) implements DevicePolicyEvent {
    }

    /**
     * The device reported a finished background task's use. {@code chargedNetworkBytes} is what counts against the
     * network quota (zero on mains); the usage belongs to the {@code budgetClass} budget window
     * {@code [windowStartMillis, windowStartMillis + windowLengthMillis)}.
     */
    record BackgroundTaskCompleted(String appId, TriggerKind trigger, long cpuMillis, long networkBytes,
            long chargedNetworkBytes, BudgetClass budgetClass, long windowStartMillis,
            long windowLengthMillis, long atMillis) implements DevicePolicyEvent {
    }

    /**
     * A task's use exhausted the quota available to its trigger class: the task was suspended by policy and the app
     * is not woken for that class until {@code refillAtMillis} (wns-spec 8.11). Counts one suspension.
     */
    record SandboxQuotaExhausted(String appId, TriggerKind trigger, Set<BudgetResource> resources,
            long refillAtMillis) implements DevicePolicyEvent {
        public SandboxQuotaExhausted {
            resources = Set.copyOf(resources);
        }
    }
}
