package io.wakeline.broker.device.policy;

import io.wakeline.broker.device.policy.DevicePolicyEvent.DeviceCapabilitiesReported;
import io.wakeline.broker.device.policy.DevicePolicyEvent.PowerSourceChanged;
import io.wakeline.broker.device.policy.DevicePolicyEvent.PowerStateChanged;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The Windows 8/8.1 client rules for one device, as pure functions of its {@link DevicePolicyState}: each method
 * answers a command and returns a decision with the events to persist (apply them with
 * {@link DevicePolicyState#apply}) and the notifications to send after persisting. Nothing here reads a clock; times
 * come in as {@code nowMillis}.
 *
 * <p>The rules live in the parts: {@link LockScreen} (wns-spec 6), {@link ControlChannels} (7, seed 000),
 * {@link AppLifecycle} (5.10, 8.2–8.4), {@link SandboxBudget} (8.10–8.13), {@link WakePolicy} (5.4–5.10, 7.9).
 * This class adds what crosses them:
 * <ul>
 *   <li>Leaving the lock screen closes the app's control channels first (they need the lock screen, wns-spec 7.2).</li>
 *   <li>Connected standby only on a connected-standby chipset. Leaving connected standby for active resets every
 *       software-slot channel with {@code LowPowerExit} (wns-spec 7.9, 7.13): software slots do not survive low
 *       power; hardware slots do. Going from connected standby to sleep or off resets nothing (nothing runs there);
 *       the channels stay silent until the device is active again.</li>
 *   <li>An app that is launched again after it was not running ({@code NotRunning → Foreground}) had its channels'
 *       transports die with its process: they are reset with {@code ApplicationRestart} (Windows 8.1, wns-spec 7.13)
 *       so that the app can create them again under the same ids.</li>
 *   <li>{@code FastUserSwitched} and {@code QuietHoursExit} happen on the device; it reports them and every channel is
 *       reset ({@link #resetControlChannels}).</li>
 *   <li>A handshake means the device is up: it becomes {@link PowerState#Active}; the link going down makes it
 *       {@link PowerState#Off} and ends any running background task.</li>
 * </ul>
 */
public final class DevicePolicy {

    private final SandboxBudgetSettings settings;
    private final WakePolicy wakes;

    public DevicePolicy(SandboxBudgetSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.wakes = new WakePolicy(settings);
    }

    public SandboxBudgetSettings settings() {
        return settings;
    }

    // --- link and power ---

    /** The device completed its handshake with these capabilities; it is awake. */
    public PowerChange connect(DevicePolicyState state, DeviceCapabilities capabilities, long nowMillis) {
        List<DevicePolicyEvent> events = new ArrayList<>();
        if (!state.capabilities().equals(capabilities)) {
            events.add(new DeviceCapabilitiesReported(capabilities));
        }
        PowerChange.Changed toActive = transition(state, PowerState.Active, nowMillis);
        events.addAll(toActive.events());
        return new PowerChange.Changed(events, toActive.notifications());
    }

    /** The device's link went down. */
    public PowerChange linkDown(DevicePolicyState state, long nowMillis) {
        return transition(state, PowerState.Off, nowMillis);
    }

    /** The device reported a power-state change. */
    public PowerChange changePowerState(DevicePolicyState state, PowerState to, long nowMillis) {
        if (to == PowerState.ConnectedStandby && !state.capabilities().chipsetConnectedStandby()) {
            return new PowerChange.Rejected(PowerChange.PowerRejection.ConnectedStandbyNotSupported);
        }
        return transition(state, to, nowMillis);
    }

    /** The device moved between battery and mains. */
    public PolicyChanges changePowerSource(DevicePolicyState state, PowerSource source) {
        if (state.powerSource() == source) {
            return PolicyChanges.NONE;
        }
        return PolicyChanges.of(List.of(new PowerSourceChanged(source)));
    }

    private static PowerChange.Changed transition(DevicePolicyState state, PowerState to, long nowMillis) {
        PowerState from = state.powerState();
        if (from == to) {
            return new PowerChange.Changed(List.of(), List.of());
        }
        List<DevicePolicyEvent> events = new ArrayList<>();
        events.add(new PowerStateChanged(from, to, nowMillis));
        List<DeviceNotification> notifications = List.of();
        if (from == PowerState.ConnectedStandby && to == PowerState.Active) {
            PolicyChanges reset = state.controlChannels().resetSoftwareSlots(ControlChannelTriggerResetReason.LowPowerExit);
            events.addAll(reset.events());
            notifications = reset.notifications();
        }
        return new PowerChange.Changed(events, notifications);
    }

    // --- lock screen ---

    /** {@code BackgroundExecutionManager.RequestAccessAsync()}. */
    public AccessDecision requestAccess(DevicePolicyState state, String appId, Set<ManifestBackgroundTask> declaredTasks) {
        return state.lockScreen().requestAccess(appId, declaredTasks);
    }

    /** The user answered the app's consent dialog. */
    public AccessDecision answerConsent(DevicePolicyState state, String appId, LockScreenConsent consent) {
        return state.lockScreen().answerConsent(appId, consent);
    }

    /** The user added the app in PC settings. */
    public AccessDecision addToLockScreenByUser(DevicePolicyState state, String appId,
            Set<ManifestBackgroundTask> declaredTasks) {
        return state.lockScreen().addByUser(appId, declaredTasks);
    }

    /** The user removed the app in PC settings, or it called {@code RemoveAccess()}: its channels close first. */
    public LockScreenRemoval removeFromLockScreen(DevicePolicyState state, String appId, LockScreenRemovalCause cause) {
        LockScreenRemoval removal = state.lockScreen().remove(appId, cause);
        if (!(removal instanceof LockScreenRemoval.Removed removed)) {
            return removal;
        }
        List<DevicePolicyEvent> events = new ArrayList<>(
                state.controlChannels().closeAll(appId, ChannelCloseCause.AppLeftLockScreen));
        events.addAll(removed.events());
        return new LockScreenRemoval.Removed(events, removed.notifications());
    }

    /** {@code BackgroundExecutionManager.GetAccessStatus()}. */
    public BackgroundAccessStatus accessStatus(DevicePolicyState state, String appId) {
        return state.lockScreen().status(appId);
    }

    // --- control channels ---

    /** {@code new ControlChannelTrigger(...)} and {@code WaitForPushEnabled()}. */
    public ChannelCreation createControlChannel(DevicePolicyState state, String appId, String channelId,
            int serverKeepAliveIntervalInMinutes, ControlChannelTriggerResourceType resourceType) {
        return state.controlChannels().create(appId, channelId, serverKeepAliveIntervalInMinutes, resourceType,
                state.lockScreen(), state.capabilities(), state.powerState());
    }

    /** {@code ControlChannelTrigger.Close()}. */
    public ChannelClosing closeControlChannel(DevicePolicyState state, String appId, String channelId) {
        return state.controlChannels().close(appId, channelId);
    }

    /** The device reports a system-wide reset (fast user switch, end of quiet hours): every channel is reset. */
    public PolicyChanges resetControlChannels(DevicePolicyState state, ControlChannelTriggerResetReason reason) {
        return state.controlChannels().resetAll(reason);
    }

    // --- app lifecycle ---

    /** The device reports the app's execution state. */
    public PolicyChanges reportExecutionState(DevicePolicyState state, String appId, AppExecutionState executionState) {
        List<DevicePolicyEvent> events = new ArrayList<>(state.apps().reportExecutionState(appId, executionState));
        boolean relaunched = state.apps().executionState(appId) == AppExecutionState.NotRunning
                && executionState == AppExecutionState.Foreground;
        if (!relaunched) {
            return PolicyChanges.of(events);
        }
        PolicyChanges reset = state.controlChannels().resetApp(appId, ControlChannelTriggerResetReason.ApplicationRestart);
        events.addAll(reset.events());
        return new PolicyChanges(events, reset.notifications());
    }

    /** Registers a background task for a push-notification or system trigger. */
    public RegistrationDecision registerTrigger(DevicePolicyState state, String appId, TriggerKind trigger) {
        return state.apps().register(appId, trigger, state.lockScreen());
    }

    /** Registers a background task for a time or maintenance trigger. */
    public RegistrationDecision registerTimedTrigger(DevicePolicyState state, String appId, TriggerKind trigger,
            int freshnessInMinutes) {
        return state.apps().registerTimed(appId, trigger, freshnessInMinutes, state.lockScreen());
    }

    public RegistrationDecision unregisterTrigger(DevicePolicyState state, String appId, TriggerKind trigger) {
        return state.apps().unregister(appId, trigger);
    }

    // --- wakes and the sandbox ---

    /** See {@link WakePolicy#rawPush}. */
    public RawPushDecision rawPush(DevicePolicyState state, String appId, long nowMillis) {
        return wakes.rawPush(state, appId, nowMillis);
    }

    /** See {@link WakePolicy#controlChannelMessage}. */
    public WakeDecision controlChannelMessage(DevicePolicyState state, String appId, String channelId, long nowMillis) {
        return wakes.controlChannelMessage(state, appId, channelId, nowMillis);
    }

    /** See {@link WakePolicy#deviceTrigger}. */
    public WakeDecision deviceTrigger(DevicePolicyState state, String appId, TriggerKind trigger, long nowMillis) {
        return wakes.deviceTrigger(state, appId, trigger, nowMillis);
    }

    /**
     * The device reports a finished background task's actual use; ends the app's running task for that trigger and
     * charges its sandbox budget (time and maintenance tasks too, wns-spec 8.10).
     */
    public UsageReport reportTaskCompleted(DevicePolicyState state, String appId, TriggerKind trigger, long cpuMillis,
            long networkBytes, long nowMillis) {
        if (cpuMillis < 0 || networkBytes < 0) {
            return new UsageReport.Rejected();
        }
        return new UsageReport.Charged(state.budget().charge(appId, trigger, cpuMillis, networkBytes,
                state.budgetClass(appId), state.powerSource(), nowMillis, settings));
    }
}
