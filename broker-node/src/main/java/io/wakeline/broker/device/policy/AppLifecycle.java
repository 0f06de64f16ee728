package io.wakeline.broker.device.policy;

import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.device.policy.DevicePolicyEvent.AppExecutionStateChanged;
import io.wakeline.broker.device.policy.DevicePolicyEvent.BackgroundTaskCompleted;
import io.wakeline.broker.device.policy.DevicePolicyEvent.BackgroundTaskStarted;
import io.wakeline.broker.device.policy.DevicePolicyEvent.BackgroundTriggerRegistered;
import io.wakeline.broker.device.policy.DevicePolicyEvent.BackgroundTriggerUnregistered;
import io.wakeline.broker.device.policy.DevicePolicyEvent.PowerStateChanged;
import io.wakeline.broker.device.policy.RegistrationDecision.Accepted;
import io.wakeline.broker.device.policy.RegistrationDecision.RegistrationRejection;
import io.wakeline.broker.device.policy.RegistrationDecision.Rejected;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per app: its execution state as the device reports it, the triggers it registered background tasks for, and the
 * background task it is running. Immutable; decisions return events, {@link #apply} folds them in.
 *
 * <p>Rules:
 * <ul>
 *   <li>Apps the device never reported are {@link AppExecutionState#NotRunning} (wns-spec 5.9).</li>
 *   <li>Time and push-notification triggers need the lock screen to register (wns-spec 8.2); maintenance and the
 *       system triggers modelled here do not. Time and maintenance freshness is at least
 *       {@value #MIN_FRESHNESS_MINUTES} minutes (wns-spec 8.3, 8.4). Registrations stay when the app leaves the lock
 *       screen; they just stop firing ({@link WakePolicy}).</li>
 *   <li>One background task per app at a time (wns-spec 5.10): it runs from {@code BackgroundTaskStarted} to the
 *       device's completion report for the same trigger, or until the link goes down ({@link PowerState#Off}: the
 *       device session that ran it is gone).</li>
 * </ul>
 */
public record AppLifecycle(
        Map<String, AppExecutionState> executionStates,
        Map<String, Set<TriggerKind>> registeredTriggers,
        Map<String, RunningTask> runningTasks) implements CborSerializable {

    /** wns-spec 8.3. */
    public static final int MIN_FRESHNESS_MINUTES = 15;

    public static final AppLifecycle EMPTY = new AppLifecycle(Map.of(), Map.of(), Map.of());

    public AppLifecycle {
        executionStates = Map.copyOf(executionStates);
        Map<String, Set<TriggerKind>> triggers = new HashMap<>();
        registeredTriggers.forEach((app, kinds) -> triggers.put(app, Set.copyOf(kinds)));
        registeredTriggers = Map.copyOf(triggers);
        runningTasks = Map.copyOf(runningTasks);
    }

    // --- queries ---

    public AppExecutionState executionState(String appId) {
        return executionStates.getOrDefault(appId, AppExecutionState.NotRunning);
    }

    public boolean registered(String appId, TriggerKind trigger) {
        return registeredTriggers.getOrDefault(appId, Set.of()).contains(trigger);
    }

    public Optional<RunningTask> runningTask(String appId) {
        return Optional.ofNullable(runningTasks.get(appId));
    }

    // --- decisions ---

    /** The device reports the app's execution state; no event when it is unchanged. */
    public List<DevicePolicyEvent> reportExecutionState(String appId, AppExecutionState state) {
        if (executionState(appId) == state) {
            return List.of();
        }
        return List.of(new AppExecutionStateChanged(appId, state));
    }

    /** {@code BackgroundTaskBuilder.Register} for a push-notification or system trigger. */
    public RegistrationDecision register(String appId, TriggerKind trigger, LockScreen lockScreen) {
        if (trigger.timed()) {
            return new Rejected(RegistrationRejection.FreshnessMismatch);
        }
        return registerChecked(appId, trigger, lockScreen);
    }

    /** {@code BackgroundTaskBuilder.Register} for a {@code TimeTrigger} or {@code MaintenanceTrigger}. */
    public RegistrationDecision registerTimed(String appId, TriggerKind trigger, int freshnessInMinutes,
            LockScreen lockScreen) {
        if (!trigger.timed()) {
            return new Rejected(RegistrationRejection.FreshnessMismatch);
        }
        if (freshnessInMinutes < MIN_FRESHNESS_MINUTES) {
            return new Rejected(RegistrationRejection.FreshnessBelowFifteenMinutes);
        }
        return registerChecked(appId, trigger, lockScreen);
    }

    /** {@code BackgroundTaskRegistration.Unregister}. */
    public RegistrationDecision unregister(String appId, TriggerKind trigger) {
        if (!registered(appId, trigger)) {
            return new Accepted(List.of());
        }
        return new Accepted(List.of(new BackgroundTriggerUnregistered(appId, trigger)));
    }

    private RegistrationDecision registerChecked(String appId, TriggerKind trigger, LockScreen lockScreen) {
        if (trigger == TriggerKind.ControlChannelTrigger) {
            return new Rejected(RegistrationRejection.ControlChannelTriggerNeedsChannel);
        }
        if (trigger.requiresLockScreen() && !lockScreen.contains(appId)) {
            return new Rejected(RegistrationRejection.NotOnLockScreen);
        }
        if (registered(appId, trigger)) {
            return new Accepted(List.of());
        }
        return new Accepted(List.of(new BackgroundTriggerRegistered(appId, trigger)));
    }

    // --- events ---

    /** Folds one event in; events of other concerns leave it as it is. */
    public AppLifecycle apply(DevicePolicyEvent event) {
        if (event instanceof AppExecutionStateChanged e) {
            Map<String, AppExecutionState> states = new HashMap<>(executionStates);
            states.put(e.appId(), e.state());
            return new AppLifecycle(states, registeredTriggers, runningTasks);
        }
        if (event instanceof BackgroundTriggerRegistered e) {
            Set<TriggerKind> kinds = triggersOf(e.appId());
            kinds.add(e.trigger());
            return withTriggers(e.appId(), kinds);
        }
        if (event instanceof BackgroundTriggerUnregistered e) {
            Set<TriggerKind> kinds = triggersOf(e.appId());
            kinds.remove(e.trigger());
            return withTriggers(e.appId(), kinds);
        }
        if (event instanceof BackgroundTaskStarted e) {
            Map<String, RunningTask> running = new HashMap<>(runningTasks);
            running.put(e.appId(), new RunningTask(e.trigger(), e.atMillis()));
            return new AppLifecycle(executionStates, registeredTriggers, running);
        }
        if (event instanceof BackgroundTaskCompleted e) {
            RunningTask running = runningTasks.get(e.appId());
            if (running == null || running.trigger() != e.trigger()) {
                return this;
            }
            Map<String, RunningTask> newRunning = new HashMap<>(runningTasks);
            newRunning.remove(e.appId());
            return new AppLifecycle(executionStates, registeredTriggers, newRunning);
        }
        if (event instanceof PowerStateChanged e && e.to() == PowerState.Off) {
            return new AppLifecycle(executionStates, registeredTriggers, Map.of());
        }
        return this;
    }

    private Set<TriggerKind> triggersOf(String appId) {
        Set<TriggerKind> kinds = EnumSet.noneOf(TriggerKind.class);
        kinds.addAll(registeredTriggers.getOrDefault(appId, Set.of()));
        return kinds;
    }

    private AppLifecycle withTriggers(String appId, Set<TriggerKind> kinds) {
        Map<String, Set<TriggerKind>> triggers = new HashMap<>(registeredTriggers);
        if (kinds.isEmpty()) {
            triggers.remove(appId);
        } else {
            triggers.put(appId, kinds);
        }
        return new AppLifecycle(executionStates, triggers, runningTasks);
    }
}
