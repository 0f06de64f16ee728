package io.wakeline.broker.device.policy;

import io.wakeline.broker.device.policy.DevicePolicyEvent.BackgroundTaskStarted;
import io.wakeline.broker.device.policy.SandboxBudget.BudgetCheck;
import io.wakeline.broker.device.policy.WakeDecision.DeferReason;
import io.wakeline.broker.device.policy.WakeDecision.WakeRefusal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Can this app be reached now for this trigger, and how? Pure: reads a {@link DevicePolicyState}, returns a decision
 * whose only event is the {@code BackgroundTaskStarted} of a task it starts.
 *
 * <p>Common rules:
 * <ul>
 *   <li>Nothing wakes an app while the device sleeps/hibernates or its link is down (seed 000: "cannot be triggered
 *       ... in Sleep or Hibernate mode, or is shut down").</li>
 *   <li>Hardware-slot control channels trigger in active and connected standby, software-slot ones only while active
 *       (wns-spec 7.9); raw push and time/maintenance triggers run in connected standby too.</li>
 *   <li>A background task starts only if the sandbox quota for its trigger class has room ({@link SandboxBudget}),
 *       and only if the app runs no other task (wns-spec 5.10); otherwise the trigger waits.</li>
 *   <li>An app in the foreground of an active device gets raw pushes as {@code PushNotificationReceived} and
 *       control-channel data directly, without a background task or quota (wns-spec 5.5, 7.1). Any other execution
 *       state (suspended, not running) is reached only through background tasks.</li>
 * </ul>
 */
public final class WakePolicy {

    private final SandboxBudgetSettings settings;

    public WakePolicy(SandboxBudgetSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * A raw notification for the app (wns-spec 5.4–5.10): an event to the foreground app; else a background task if
     * the app is on the lock screen, registered a PushNotificationTrigger and has quota left; else dropped.
     */
    public RawPushDecision rawPush(DevicePolicyState state, String appId, long nowMillis) {
        if (state.powerState() == PowerState.Off) {
            return new RawPushDecision.Drop(RawDropReason.DeviceOffline);
        }
        if (state.powerState() == PowerState.Sleep) {
            return new RawPushDecision.Drop(RawDropReason.DeviceAsleep);
        }
        Optional<RawDropReason> blocked = rawBackgroundTaskBlockedBy(state, appId, nowMillis);
        if (inForeground(state, appId)) {
            return new RawPushDecision.DeliverAsEvent(blocked);
        }
        if (blocked.isPresent()) {
            return new RawPushDecision.Drop(blocked.get());
        }
        if (state.apps().runningTask(appId).isPresent()) {
            return new RawPushDecision.WaitForRunningTask();
        }
        return new RawPushDecision.StartBackgroundTask(started(appId, TriggerKind.PushNotificationTrigger, nowMillis));
    }

    /**
     * A guaranteed message for one of the app's control channels: delivered directly to a foreground app, else by
     * the channel's PushNotificationTrigger background task; otherwise it waits.
     */
    public WakeDecision controlChannelMessage(DevicePolicyState state, String appId, String channelId, long nowMillis) {
        Optional<ControlChannel> channel = state.controlChannels().find(appId, channelId);
        if (channel.isEmpty()) {
            return new WakeDecision.Refuse(WakeRefusal.NoControlChannel);
        }
        Optional<DeferReason> power = channelSilencedBy(state.powerState(), channel.get().slot());
        if (power.isPresent()) {
            return new WakeDecision.Defer(power.get());
        }
        if (inForeground(state, appId)) {
            return new WakeDecision.DeliverToForegroundApp();
        }
        return startTaskIfRoom(state, appId, TriggerKind.ControlChannelTrigger, nowMillis);
    }

    /**
     * A trigger that fired on the device: a time, maintenance or system trigger, a control channel's keep-alive, or
     * the background task a foreground app's raw passes on to. The device asks before it runs the task.
     */
    public WakeDecision deviceTrigger(DevicePolicyState state, String appId, TriggerKind trigger, long nowMillis) {
        Optional<DeferReason> asleep = asleepOrOffline(state.powerState());
        if (asleep.isPresent()) {
            return new WakeDecision.Defer(asleep.get());
        }
        if (trigger.requiresLockScreen() && !state.lockScreen().contains(appId)) {
            return new WakeDecision.Refuse(WakeRefusal.NotOnLockScreen);
        }
        if (trigger == TriggerKind.ControlChannelTrigger) {
            List<ControlChannel> channels = state.controlChannels().of(appId);
            if (channels.isEmpty()) {
                return new WakeDecision.Refuse(WakeRefusal.NoControlChannel);
            }
            boolean anyCanTrigger = channels.stream()
                    .anyMatch(c -> channelSilencedBy(state.powerState(), c.slot()).isEmpty());
            if (!anyCanTrigger) {
                return new WakeDecision.Defer(DeferReason.SoftwareSlotInConnectedStandby);
            }
        } else if (!state.apps().registered(appId, trigger)) {
            return new WakeDecision.Refuse(WakeRefusal.NoTaskRegistered);
        }
        if (trigger == TriggerKind.MaintenanceTrigger && state.powerSource() != PowerSource.Mains) {
            return new WakeDecision.Defer(DeferReason.MaintenanceOnBattery);
        }
        return startTaskIfRoom(state, appId, trigger, nowMillis);
    }

    // --- rules ---

    private static boolean inForeground(DevicePolicyState state, String appId) {
        return state.powerState() == PowerState.Active
                && state.apps().executionState(appId) == AppExecutionState.Foreground;
    }

    /** wns-spec 5.7, 5.8, 8.11: why a PushNotificationTrigger task could not run, if it could not. */
    private Optional<RawDropReason> rawBackgroundTaskBlockedBy(DevicePolicyState state, String appId, long nowMillis) {
        if (!state.lockScreen().contains(appId)) {
            return Optional.of(RawDropReason.NotOnLockScreen);
        }
        if (!state.apps().registered(appId, TriggerKind.PushNotificationTrigger)) {
            return Optional.of(RawDropReason.NoPushNotificationTrigger);
        }
        if (budgetCheck(state, appId, TriggerKind.PushNotificationTrigger, nowMillis) instanceof BudgetCheck.Exhausted) {
            return Optional.of(RawDropReason.SandboxQuotaExhausted);
        }
        return Optional.empty();
    }

    private WakeDecision startTaskIfRoom(DevicePolicyState state, String appId, TriggerKind trigger, long nowMillis) {
        if (budgetCheck(state, appId, trigger, nowMillis) instanceof BudgetCheck.Exhausted exhausted) {
            return new WakeDecision.QuotaExhausted(exhausted.resources(), exhausted.refillAtMillis());
        }
        if (state.apps().runningTask(appId).isPresent()) {
            return new WakeDecision.Defer(DeferReason.BackgroundTaskRunning);
        }
        return new WakeDecision.StartBackgroundTask(started(appId, trigger, nowMillis));
    }

    private BudgetCheck budgetCheck(DevicePolicyState state, String appId, TriggerKind trigger, long nowMillis) {
        return state.budget().check(appId, trigger, state.budgetClass(appId), state.powerSource(), nowMillis, settings);
    }

    /** seed 000, wns-spec 7.9. */
    private static Optional<DeferReason> channelSilencedBy(PowerState power, ControlChannelSlot slot) {
        Optional<DeferReason> asleep = asleepOrOffline(power);
        if (asleep.isPresent()) {
            return asleep;
        }
        if (power == PowerState.ConnectedStandby && slot == ControlChannelSlot.SoftwareSlot) {
            return Optional.of(DeferReason.SoftwareSlotInConnectedStandby);
        }
        return Optional.empty();
    }

    private static Optional<DeferReason> asleepOrOffline(PowerState power) {
        return switch (power) {
            case Off -> Optional.of(DeferReason.DeviceOffline);
            case Sleep -> Optional.of(DeferReason.DeviceAsleep);
            case Active, ConnectedStandby -> Optional.empty();
        };
    }

    private static List<DevicePolicyEvent> started(String appId, TriggerKind trigger, long nowMillis) {
        return List.of(new BackgroundTaskStarted(appId, trigger, nowMillis));
    }
}
