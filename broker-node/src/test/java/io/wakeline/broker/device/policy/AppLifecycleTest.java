package io.wakeline.broker.device.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.policy.DevicePolicyEvent.AppExecutionStateChanged;
import io.wakeline.broker.device.policy.DevicePolicyEvent.BackgroundTaskCompleted;
import io.wakeline.broker.device.policy.DevicePolicyEvent.BackgroundTaskStarted;
import io.wakeline.broker.device.policy.DevicePolicyEvent.BackgroundTriggerRegistered;
import io.wakeline.broker.device.policy.DevicePolicyEvent.BackgroundTriggerUnregistered;
import io.wakeline.broker.device.policy.DevicePolicyEvent.LockScreenAppAdded;
import io.wakeline.broker.device.policy.DevicePolicyEvent.PowerStateChanged;
import io.wakeline.broker.device.policy.RegistrationDecision.Accepted;
import io.wakeline.broker.device.policy.RegistrationDecision.RegistrationRejection;
import io.wakeline.broker.device.policy.RegistrationDecision.Rejected;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppLifecycleTest {

    private static final LockScreen WITH_MAIL = LockScreen.EMPTY.apply(new LockScreenAppAdded("mail",
            BackgroundAccessStatus.AllowedMayUseActiveRealTimeConnectivity, Set.of(ManifestBackgroundTask.Timer)));

    private AppLifecycle apps = AppLifecycle.EMPTY;

    private PolicyDecision run(PolicyDecision decision) {
        decision.events().forEach(e -> apps = apps.apply(e));
        return decision;
    }

    @Test
    void appNeverReportedIsNotRunning() {
        assertEquals(AppExecutionState.NotRunning, apps.executionState("mail"));
    }

    @Test
    void reportedExecutionStateIsKept() {
        List<DevicePolicyEvent> events = apps.reportExecutionState("mail", AppExecutionState.Foreground);
        events.forEach(e -> apps = apps.apply(e));

        assertEquals(List.of(new AppExecutionStateChanged("mail", AppExecutionState.Foreground)), events);
        assertEquals(AppExecutionState.Foreground, apps.executionState("mail"));
        assertTrue(apps.reportExecutionState("mail", AppExecutionState.Foreground).isEmpty());
    }

    @Test
    void pushNotificationTriggerNeedsTheLockScreen() {
        assertEquals(new Rejected(RegistrationRejection.NotOnLockScreen),
                apps.register("news", TriggerKind.PushNotificationTrigger, WITH_MAIL));

        assertEquals(new Accepted(List.of(new BackgroundTriggerRegistered("mail", TriggerKind.PushNotificationTrigger))),
                run(apps.register("mail", TriggerKind.PushNotificationTrigger, WITH_MAIL)));
        assertTrue(apps.registered("mail", TriggerKind.PushNotificationTrigger));
    }

    @Test
    void timeTriggerNeedsTheLockScreenAndFifteenMinutes() {
        assertEquals(new Rejected(RegistrationRejection.NotOnLockScreen),
                apps.registerTimed("news", TriggerKind.TimeTrigger, 15, WITH_MAIL));
        assertEquals(new Rejected(RegistrationRejection.FreshnessBelowFifteenMinutes),
                apps.registerTimed("mail", TriggerKind.TimeTrigger, 14, WITH_MAIL));
        assertTrue(run(apps.registerTimed("mail", TriggerKind.TimeTrigger, 15, WITH_MAIL)) instanceof Accepted);
    }

    @Test
    void maintenanceTriggerNeedsFifteenMinutesButNotTheLockScreen() {
        assertEquals(new Rejected(RegistrationRejection.FreshnessBelowFifteenMinutes),
                apps.registerTimed("news", TriggerKind.MaintenanceTrigger, 10, LockScreen.EMPTY));
        run(apps.registerTimed("news", TriggerKind.MaintenanceTrigger, 15, LockScreen.EMPTY));

        assertTrue(apps.registered("news", TriggerKind.MaintenanceTrigger));
    }

    @Test
    void systemTriggerNeedsNoLockScreen() {
        run(apps.register("news", TriggerKind.SystemTrigger, LockScreen.EMPTY));

        assertTrue(apps.registered("news", TriggerKind.SystemTrigger));
    }

    @Test
    void freshnessGoesWithTimedTriggersOnly() {
        assertEquals(new Rejected(RegistrationRejection.FreshnessMismatch),
                apps.register("mail", TriggerKind.TimeTrigger, WITH_MAIL));
        assertEquals(new Rejected(RegistrationRejection.FreshnessMismatch),
                apps.registerTimed("mail", TriggerKind.PushNotificationTrigger, 30, WITH_MAIL));
    }

    @Test
    void controlChannelTriggersComeWithTheirChannel() {
        assertEquals(new Rejected(RegistrationRejection.ControlChannelTriggerNeedsChannel),
                apps.register("mail", TriggerKind.ControlChannelTrigger, WITH_MAIL));
    }

    @Test
    void registeringTwiceRecordsNothingNew() {
        run(apps.register("mail", TriggerKind.PushNotificationTrigger, WITH_MAIL));

        assertEquals(new Accepted(List.of()), apps.register("mail", TriggerKind.PushNotificationTrigger, WITH_MAIL));
    }

    @Test
    void unregisteringStopsTheTrigger() {
        run(apps.register("mail", TriggerKind.PushNotificationTrigger, WITH_MAIL));
        run(apps.registerTimed("mail", TriggerKind.TimeTrigger, 30, WITH_MAIL));

        assertEquals(new Accepted(List.of(new BackgroundTriggerUnregistered("mail", TriggerKind.PushNotificationTrigger))),
                run(apps.unregister("mail", TriggerKind.PushNotificationTrigger)));
        assertFalse(apps.registered("mail", TriggerKind.PushNotificationTrigger));
        assertTrue(apps.registered("mail", TriggerKind.TimeTrigger));
        assertEquals(new Accepted(List.of()), apps.unregister("mail", TriggerKind.PushNotificationTrigger));
    }

    @Test
    void runningTaskLastsUntilItsCompletionReport() {
        apps = apps.apply(new BackgroundTaskStarted("mail", TriggerKind.TimeTrigger, 5));
        assertEquals(new RunningTask(TriggerKind.TimeTrigger, 5), apps.runningTask("mail").orElseThrow());

        apps = apps.apply(new BackgroundTaskCompleted("mail", TriggerKind.TimeTrigger, 1, 0, 0, BudgetClass.LockScreenApp, 0, 900_000, 6));

        assertTrue(apps.runningTask("mail").isEmpty());
    }

    @Test
    void linkDownEndsEveryRunningTask() {
        apps = apps.apply(new BackgroundTaskStarted("mail", TriggerKind.TimeTrigger, 5));
        apps = apps.apply(new BackgroundTaskStarted("im", TriggerKind.PushNotificationTrigger, 5));

        apps = apps.apply(new PowerStateChanged(PowerState.Active, PowerState.Off, 6));

        assertTrue(apps.runningTasks().isEmpty());
    }

    @Test
    void sleepKeepsTheRunningTask() {
        apps = apps.apply(new BackgroundTaskStarted("mail", TriggerKind.TimeTrigger, 5));

        apps = apps.apply(new PowerStateChanged(PowerState.Active, PowerState.Sleep, 6));

        assertTrue(apps.runningTask("mail").isPresent());
    }
}
