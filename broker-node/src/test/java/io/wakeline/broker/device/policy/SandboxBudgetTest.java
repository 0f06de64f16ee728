package io.wakeline.broker.device.policy;

import static io.wakeline.broker.device.policy.PowerSource.Battery;
import static io.wakeline.broker.device.policy.PowerSource.Mains;
import static io.wakeline.broker.device.policy.BudgetClass.LockScreenApp;
import static io.wakeline.broker.device.policy.BudgetClass.OtherApp;
import static io.wakeline.broker.device.policy.TriggerKind.ControlChannelTrigger;
import static io.wakeline.broker.device.policy.TriggerKind.MaintenanceTrigger;
import static io.wakeline.broker.device.policy.TriggerKind.PushNotificationTrigger;
import static io.wakeline.broker.device.policy.TriggerKind.TimeTrigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.device.policy.DevicePolicyEvent.BackgroundTaskCompleted;
import io.wakeline.broker.device.policy.DevicePolicyEvent.SandboxQuotaExhausted;
import io.wakeline.broker.device.policy.SandboxBudget.BudgetCheck;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxBudgetTest {

    private static final long T0 = TestDevice.T0;
    private static final long FIFTEEN_MINUTES = Duration.ofMinutes(15).toMillis();
    private static final long TWO_HOURS = Duration.ofHours(2).toMillis();
    private static final SandboxBudgetSettings DEFAULTS = SandboxBudgetSettings.WINDOWS_8_DEFAULTS;
    /** No reserve: every trigger shares the whole quota. */
    private static final SandboxBudgetSettings NO_RESERVE = new SandboxBudgetSettings(
            Duration.ofMinutes(15), 2_000, 468_750, Duration.ofHours(2), 1_000, 625_000, 0);

    private SandboxBudget budget = SandboxBudget.EMPTY;

    private List<DevicePolicyEvent> charge(TriggerKind trigger, long cpu, long network, BudgetClass cls,
            PowerSource source, long now, SandboxBudgetSettings settings) {
        List<DevicePolicyEvent> events = budget.charge("app", trigger, cpu, network, cls, source, now, settings);
        events.forEach(e -> budget = budget.apply(e));
        return events;
    }

    private BudgetCheck check(TriggerKind trigger, BudgetClass cls, PowerSource source, long now,
            SandboxBudgetSettings settings) {
        return budget.check("app", trigger, cls, source, now, settings);
    }

    // --- settings ---

    @Test
    void windowsDefaultsAreTwoCpuSecondsPerQuarterHourOnTheLockScreenAndOnePerTwoHoursOtherwise() {
        assertEquals(new SandboxBudgetSettings.Quota(FIFTEEN_MINUTES, 2_000, 468_750), DEFAULTS.quotaFor(LockScreenApp));
        assertEquals(new SandboxBudgetSettings.Quota(TWO_HOURS, 1_000, 625_000), DEFAULTS.quotaFor(OtherApp));
        assertEquals(50, DEFAULTS.realTimeReservedPercent());
    }

    @Test
    void referenceConfigurationHoldsTheWindowsDefaults() {
        SandboxBudgetSettings fromConfig = SandboxBudgetSettings.fromConfig(
                ConfigFactory.defaultReference().getConfig("wakeline.device.sandbox"));

        assertEquals(DEFAULTS, fromConfig);
    }

    @Test
    void settingsRejectImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> new SandboxBudgetSettings(
                Duration.ZERO, 1, 1, Duration.ofHours(2), 1, 1, 50));
        assertThrows(IllegalArgumentException.class, () -> new SandboxBudgetSettings(
                Duration.ofMinutes(15), -1, 1, Duration.ofHours(2), 1, 1, 50));
        assertThrows(IllegalArgumentException.class, () -> new SandboxBudgetSettings(
                Duration.ofMinutes(15), 1, 1, Duration.ofHours(2), 1, 1, 101));
    }

    // --- CPU quota (wns-spec 8.10, 8.11) ---

    @Test
    void lockScreenAppMayUseTwoCpuSecondsPerPeriod() {
        charge(PushNotificationTrigger, 1_999, 0, LockScreenApp, Mains, T0, NO_RESERVE);
        assertInstanceOf(BudgetCheck.Available.class, check(PushNotificationTrigger, LockScreenApp, Mains, T0 + 1, NO_RESERVE));

        charge(PushNotificationTrigger, 1, 0, LockScreenApp, Mains, T0 + 2, NO_RESERVE);

        assertEquals(new BudgetCheck.Exhausted(Set.of(BudgetResource.Cpu), T0 + FIFTEEN_MINUTES),
                check(PushNotificationTrigger, LockScreenApp, Mains, T0 + 3, NO_RESERVE));
    }

    @Test
    void otherAppMayUseOneCpuSecondPerTwoHours() {
        charge(MaintenanceTrigger, 1_000, 0, OtherApp, Mains, T0 + 5, NO_RESERVE);

        assertEquals(new BudgetCheck.Exhausted(Set.of(BudgetResource.Cpu), T0 + TWO_HOURS),
                check(MaintenanceTrigger, OtherApp, Mains, T0 + FIFTEEN_MINUTES * 3, NO_RESERVE));
        assertInstanceOf(BudgetCheck.Available.class, check(MaintenanceTrigger, OtherApp, Mains, T0 + TWO_HOURS, NO_RESERVE));
    }

    @Test
    void quotaRefillsAtTheStartOfTheNextPeriod() {
        charge(TimeTrigger, 5_000, 0, LockScreenApp, Mains, T0 + 60_000, DEFAULTS);
        assertInstanceOf(BudgetCheck.Exhausted.class, check(TimeTrigger, LockScreenApp, Mains, T0 + FIFTEEN_MINUTES - 1, DEFAULTS));

        assertInstanceOf(BudgetCheck.Available.class, check(TimeTrigger, LockScreenApp, Mains, T0 + FIFTEEN_MINUTES, DEFAULTS));
        assertInstanceOf(BudgetCheck.Available.class,
                check(PushNotificationTrigger, LockScreenApp, Mains, T0 + FIFTEEN_MINUTES, DEFAULTS));
    }

    @Test
    void usageInAnEarlierPeriodIsNotAddedToTheNewOne() {
        charge(TimeTrigger, 900, 0, LockScreenApp, Mains, T0, DEFAULTS);
        charge(TimeTrigger, 900, 0, LockScreenApp, Mains, T0 + FIFTEEN_MINUTES, DEFAULTS);

        assertEquals(900, budget.currentWindow("app", LockScreenApp, T0 + FIFTEEN_MINUTES, DEFAULTS).otherCpuMillis());
        assertInstanceOf(BudgetCheck.Available.class, check(TimeTrigger, LockScreenApp, Mains, T0 + FIFTEEN_MINUTES, DEFAULTS));
    }

    @Test
    void lockScreenAndOtherAppUsageAreCountedInTheirOwnPeriods() {
        charge(MaintenanceTrigger, 1_000, 0, OtherApp, Mains, T0 + 1, NO_RESERVE);

        assertInstanceOf(BudgetCheck.Available.class, check(MaintenanceTrigger, LockScreenApp, Mains, T0 + 2, NO_RESERVE));
    }

    @Test
    void zeroQuotaNeverAllowsAWake() {
        SandboxBudgetSettings none = new SandboxBudgetSettings(
                Duration.ofMinutes(15), 0, 0, Duration.ofHours(2), 0, 0, 50);

        assertInstanceOf(BudgetCheck.Exhausted.class, check(PushNotificationTrigger, LockScreenApp, Mains, T0, none));
    }

    // --- network quota on battery only (wns-spec 8.12) ---

    @Test
    void networkUseOnMainsIsNotCharged() {
        List<DevicePolicyEvent> events = charge(TimeTrigger, 10, 10_000_000, LockScreenApp, Mains, T0, DEFAULTS);

        assertEquals(List.of(new BackgroundTaskCompleted("app", TimeTrigger, 10, 10_000_000, 0, LockScreenApp, T0, FIFTEEN_MINUTES, T0)),
                events);
        assertInstanceOf(BudgetCheck.Available.class, check(TimeTrigger, LockScreenApp, Battery, T0 + 1, DEFAULTS));
    }

    @Test
    void networkQuotaStopsWakesOnBatteryOnly() {
        charge(TimeTrigger, 10, 468_750, LockScreenApp, Battery, T0, NO_RESERVE);

        assertEquals(new BudgetCheck.Exhausted(Set.of(BudgetResource.Network), T0 + FIFTEEN_MINUTES),
                check(TimeTrigger, LockScreenApp, Battery, T0 + 1, NO_RESERVE));
        assertInstanceOf(BudgetCheck.Available.class, check(TimeTrigger, LockScreenApp, Mains, T0 + 1, NO_RESERVE));
    }

    @Test
    void exhaustingBothQuotasNamesBoth() {
        List<DevicePolicyEvent> events = charge(TimeTrigger, 2_000, 500_000, LockScreenApp, Battery, T0, NO_RESERVE);

        assertEquals(new SandboxQuotaExhausted("app", TimeTrigger, Set.of(BudgetResource.Cpu, BudgetResource.Network),
                T0 + FIFTEEN_MINUTES), events.get(1));
    }

    // --- guaranteed share for real-time triggers (wns-spec 8.13) ---

    @Test
    void timersCannotUseTheRealTimeReserve() {
        charge(TimeTrigger, 1_000, 0, LockScreenApp, Mains, T0, DEFAULTS);

        assertInstanceOf(BudgetCheck.Exhausted.class, check(TimeTrigger, LockScreenApp, Mains, T0 + 1, DEFAULTS));
        assertInstanceOf(BudgetCheck.Exhausted.class, check(MaintenanceTrigger, LockScreenApp, Mains, T0 + 1, DEFAULTS));
        assertInstanceOf(BudgetCheck.Available.class, check(PushNotificationTrigger, LockScreenApp, Mains, T0 + 1, DEFAULTS));
        assertInstanceOf(BudgetCheck.Available.class, check(ControlChannelTrigger, LockScreenApp, Mains, T0 + 1, DEFAULTS));
    }

    @Test
    void realTimeTasksUseTheirReserveFirstAndLeaveTheRestToOthers() {
        charge(PushNotificationTrigger, 1_000, 0, LockScreenApp, Mains, T0, DEFAULTS);

        assertInstanceOf(BudgetCheck.Available.class, check(TimeTrigger, LockScreenApp, Mains, T0 + 1, DEFAULTS));
        assertInstanceOf(BudgetCheck.Available.class, check(ControlChannelTrigger, LockScreenApp, Mains, T0 + 1, DEFAULTS));
    }

    @Test
    void realTimeUseBeyondItsReserveComesOutOfTheSharedPart() {
        charge(PushNotificationTrigger, 1_500, 0, LockScreenApp, Mains, T0, DEFAULTS);
        charge(TimeTrigger, 499, 0, LockScreenApp, Mains, T0 + 1, DEFAULTS);
        assertInstanceOf(BudgetCheck.Available.class, check(TimeTrigger, LockScreenApp, Mains, T0 + 2, DEFAULTS));

        charge(TimeTrigger, 1, 0, LockScreenApp, Mains, T0 + 3, DEFAULTS);

        assertInstanceOf(BudgetCheck.Exhausted.class, check(TimeTrigger, LockScreenApp, Mains, T0 + 4, DEFAULTS));
        assertInstanceOf(BudgetCheck.Exhausted.class, check(PushNotificationTrigger, LockScreenApp, Mains, T0 + 4, DEFAULTS));
    }

    @Test
    void realTimeTasksMayUseTheWholeQuota() {
        charge(ControlChannelTrigger, 1_999, 0, LockScreenApp, Mains, T0, DEFAULTS);
        assertInstanceOf(BudgetCheck.Available.class, check(PushNotificationTrigger, LockScreenApp, Mains, T0 + 1, DEFAULTS));

        charge(ControlChannelTrigger, 1, 0, LockScreenApp, Mains, T0 + 2, DEFAULTS);

        assertInstanceOf(BudgetCheck.Exhausted.class, check(PushNotificationTrigger, LockScreenApp, Mains, T0 + 3, DEFAULTS));
        assertInstanceOf(BudgetCheck.Exhausted.class, check(TimeTrigger, LockScreenApp, Mains, T0 + 3, DEFAULTS));
    }

    // --- suspensions (wns-spec 8.11) ---

    @Test
    void reportThatExhaustsTheQuotaCountsOneSuspension() {
        List<DevicePolicyEvent> events = charge(TimeTrigger, 1_000, 0, LockScreenApp, Mains, T0 + 10, DEFAULTS);

        assertEquals(new SandboxQuotaExhausted("app", TimeTrigger, Set.of(BudgetResource.Cpu), T0 + FIFTEEN_MINUTES),
                events.get(1));
        assertEquals(1, budget.suspendedCount("app"));
    }

    @Test
    void furtherReportsInAnExhaustedPeriodDoNotCountAgain() {
        charge(TimeTrigger, 1_000, 0, LockScreenApp, Mains, T0, DEFAULTS);

        List<DevicePolicyEvent> events = charge(TimeTrigger, 500, 0, LockScreenApp, Mains, T0 + 1, DEFAULTS);

        assertEquals(1, events.size());
        assertEquals(1, budget.suspendedCount("app"));
    }

    @Test
    void suspensionsAccumulateOverPeriods() {
        charge(TimeTrigger, 1_000, 0, LockScreenApp, Mains, T0, DEFAULTS);
        charge(TimeTrigger, 1_000, 0, LockScreenApp, Mains, T0 + FIFTEEN_MINUTES, DEFAULTS);

        assertEquals(2, budget.suspendedCount("app"));
        assertEquals(0, budget.suspendedCount("other"));
    }

    @Test
    void reportWithinTheQuotaCountsNoSuspension() {
        List<DevicePolicyEvent> events = charge(PushNotificationTrigger, 300, 1_000, LockScreenApp, Battery, T0, DEFAULTS);

        assertEquals(List.of(new BackgroundTaskCompleted("app", PushNotificationTrigger, 300, 1_000, 1_000, LockScreenApp, T0,
                FIFTEEN_MINUTES, T0)), events);
        assertEquals(0, budget.suspendedCount("app"));
    }

    @Test
    void hugeReportsSaturateInsteadOfOverflowing() {
        charge(TimeTrigger, Long.MAX_VALUE, 0, LockScreenApp, Mains, T0, DEFAULTS);
        charge(TimeTrigger, Long.MAX_VALUE, 0, LockScreenApp, Mains, T0 + 1, DEFAULTS);

        assertEquals(Long.MAX_VALUE, budget.currentWindow("app", LockScreenApp, T0 + 2, DEFAULTS).otherCpuMillis());
        assertInstanceOf(BudgetCheck.Exhausted.class, check(TimeTrigger, LockScreenApp, Mains, T0 + 2, DEFAULTS));
        // The real-time reserve stays guaranteed however much the other triggers overran.
        assertInstanceOf(BudgetCheck.Available.class, check(PushNotificationTrigger, LockScreenApp, Mains, T0 + 2, DEFAULTS));
    }
}
