package io.wakeline.broker.device.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** One device driven through {@link DevicePolicy}: every decision's events are applied, as the entity would. */
final class TestDevice {

    /** Aligned to both the 15-minute and the 2-hour quota periods. */
    static final long T0 = 1_800_000_000_000L;
    static final Set<ManifestBackgroundTask> RTC_AND_TIMER =
            EnumSet.of(ManifestBackgroundTask.ControlChannel, ManifestBackgroundTask.Timer);
    static final Set<ManifestBackgroundTask> RTC_ONLY = EnumSet.of(ManifestBackgroundTask.ControlChannel);
    static final Set<ManifestBackgroundTask> PUSH_ONLY = EnumSet.of(ManifestBackgroundTask.PushNotification);

    final DevicePolicy policy;
    DevicePolicyState state = DevicePolicyState.INITIAL;
    final List<DevicePolicyEvent> journal = new ArrayList<>();

    TestDevice() {
        this(SandboxBudgetSettings.WINDOWS_8_DEFAULTS);
    }

    TestDevice(SandboxBudgetSettings settings) {
        this.policy = new DevicePolicy(settings);
    }

    /** A connected-standby device, connected, on battery. */
    static TestDevice connectedStandbyCapable() {
        TestDevice device = new TestDevice();
        device.run(s -> device.policy.connect(s, DeviceCapabilities.CONNECTED_STANDBY, T0));
        return device;
    }

    /** Decides with the current state, applies the decision's events, returns the decision. */
    <D extends PolicyDecision> D run(Function<DevicePolicyState, D> command) {
        D decision = command.apply(state);
        state = state.applyAll(decision.events());
        journal.addAll(decision.events());
        return decision;
    }

    /** RequestAccessAsync, then the user allows; returns the status the app got. */
    BackgroundAccessStatus allowOnLockScreen(String appId, Set<ManifestBackgroundTask> declared) {
        AccessDecision request = run(s -> policy.requestAccess(s, appId, declared));
        assertInstanceOf(AccessDecision.PromptUser.class, request);
        AccessDecision answer = run(s -> policy.answerConsent(s, appId, LockScreenConsent.Allow));
        return assertInstanceOf(AccessDecision.Answer.class, answer).status();
    }

    ControlChannelTriggerStatus createChannel(String appId, String channelId, ControlChannelTriggerResourceType type) {
        ChannelCreation creation = run(s -> policy.createControlChannel(s, appId, channelId, 15, type));
        return assertInstanceOf(ChannelCreation.Completed.class, creation).status();
    }

    void registerPushTrigger(String appId) {
        RegistrationDecision decision = run(s -> policy.registerTrigger(s, appId, TriggerKind.PushNotificationTrigger));
        assertInstanceOf(RegistrationDecision.Accepted.class, decision);
    }

    void report(String appId, AppExecutionState executionState) {
        run(s -> policy.reportExecutionState(s, appId, executionState));
    }

    void power(PowerState to, long nowMillis) {
        assertInstanceOf(PowerChange.Changed.class, run(s -> policy.changePowerState(s, to, nowMillis)));
    }

    void powerSource(PowerSource source) {
        run(s -> policy.changePowerSource(s, source));
    }

    void completeTask(String appId, TriggerKind trigger, long cpuMillis, long networkBytes, long nowMillis) {
        assertInstanceOf(UsageReport.Charged.class,
                run(s -> policy.reportTaskCompleted(s, appId, trigger, cpuMillis, networkBytes, nowMillis)));
    }

    /** Replaying the journal from the initial state gives the current state. */
    void assertReplayable() {
        assertEquals(state, DevicePolicyState.INITIAL.applyAll(journal));
    }
}
