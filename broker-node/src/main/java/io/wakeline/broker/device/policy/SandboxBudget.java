package io.wakeline.broker.device.policy;

import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.device.policy.DevicePolicyEvent.BackgroundTaskCompleted;
import io.wakeline.broker.device.policy.DevicePolicyEvent.SandboxQuotaExhausted;
import io.wakeline.broker.device.policy.SandboxBudgetSettings.Quota;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per app, what its background tasks used in the current quota period, and how often the sandbox suspended them.
 * Immutable; decisions return events, {@link #apply} folds them in.
 *
 * <p>Rules (wns-spec 8.10–8.13, 10; quotas from {@link SandboxBudgetSettings}):
 * <ul>
 *   <li>Each app has a CPU quota per period, shared by all its tasks; lock-screen apps and other apps have their own
 *       quota and period (8.10). Periods are aligned to the epoch ({@code floor(now / period) * period}), so the
 *       quota refills on a fixed schedule and usage of an earlier period no longer counts. Use is kept per class: an
 *       app that joins or leaves the lock screen is measured against its new class's quota and what it used as a
 *       member of that class in that class's current period (leaving and rejoining does not refill anything).</li>
 *   <li>A network quota applies on battery only (8.12): bytes reported on mains are not charged, and on mains the
 *       network quota does not stop a wake.</li>
 *   <li>Real-time triggers get a guaranteed share (8.13): {@code realTimeReservedPercent} of each quota is reserved
 *       for PushNotificationTrigger and ControlChannelTrigger. Other triggers may wake only while the unreserved part
 *       has room, and are charged to it; real-time tasks are charged to the reserve first and to the unreserved part
 *       once the reserve is used up, and may wake while either has room.</li>
 *   <li>The device reports each task's actual use. When a report uses up what the task's trigger class may use, the
 *       task was suspended by policy (8.11): {@code SandboxQuotaExhausted} counts one suspension and says when the
 *       quota refills. Until then no task of that class is started.</li>
 * </ul>
 */
public record SandboxBudget(
        Map<String, BudgetWindow> lockScreenAppWindows,
        Map<String, BudgetWindow> otherAppWindows,
        Map<String, Integer> suspendedCounts) implements CborSerializable {

    public static final SandboxBudget EMPTY = new SandboxBudget(Map.of(), Map.of(), Map.of());

    public SandboxBudget {
        lockScreenAppWindows = Map.copyOf(lockScreenAppWindows);
        otherAppWindows = Map.copyOf(otherAppWindows);
        suspendedCounts = Map.copyOf(suspendedCounts);
    }

    /** An app's use within one quota period, split by trigger class (wns-spec 8.13). */
    public record BudgetWindow(long startMillis, long lengthMillis, long realTimeCpuMillis, long otherCpuMillis,
            long realTimeNetworkBytes, long otherNetworkBytes) implements CborSerializable {

        static BudgetWindow empty(long startMillis, long lengthMillis) {
            return new BudgetWindow(startMillis, lengthMillis, 0, 0, 0, 0);
        }

        public long endMillis() {
            return startMillis + lengthMillis;
        }

        BudgetWindow plus(TriggerKind trigger, long cpuMillis, long networkBytes) {
            if (trigger.realTime()) {
                return new BudgetWindow(startMillis, lengthMillis, saturatedAdd(realTimeCpuMillis, cpuMillis),
                        otherCpuMillis, saturatedAdd(realTimeNetworkBytes, networkBytes), otherNetworkBytes);
            }
            return new BudgetWindow(startMillis, lengthMillis, realTimeCpuMillis, saturatedAdd(otherCpuMillis, cpuMillis),
                    realTimeNetworkBytes, saturatedAdd(otherNetworkBytes, networkBytes));
        }
    }

    /** Whether the app may start a task for a trigger now. */
    public sealed interface BudgetCheck {
        record Available() implements BudgetCheck {
        }

        /** Not before {@code refillAtMillis}, when the period ends. */
        record Exhausted(Set<BudgetResource> resources, long refillAtMillis) implements BudgetCheck {
            public Exhausted {
                resources = Set.copyOf(resources);
            }
        }
    }

    // --- queries ---

    public int suspendedCount(String appId) {
        return suspendedCounts.getOrDefault(appId, 0);
    }

    /** The app's use, as an app of {@code budgetClass}, in that class's period that contains {@code nowMillis}. */
    public BudgetWindow currentWindow(String appId, BudgetClass budgetClass, long nowMillis,
            SandboxBudgetSettings settings) {
        long length = settings.quotaFor(budgetClass).periodMillis();
        return windowOrEmpty(windowsOf(budgetClass).get(appId), Math.floorDiv(nowMillis, length) * length, length);
    }

    /** May the app start a task for {@code trigger} now? */
    public BudgetCheck check(String appId, TriggerKind trigger, BudgetClass budgetClass, PowerSource source,
            long nowMillis, SandboxBudgetSettings settings) {
        return check(currentWindow(appId, budgetClass, nowMillis, settings), trigger, settings.quotaFor(budgetClass),
                source, settings.realTimeReservedPercent());
    }

    // --- decisions ---

    /**
     * The device reports a finished task's use: a {@code BackgroundTaskCompleted}, followed by a
     * {@code SandboxQuotaExhausted} when this use exhausted what the task's trigger class may use.
     */
    public List<DevicePolicyEvent> charge(String appId, TriggerKind trigger, long cpuMillis, long networkBytes,
            BudgetClass budgetClass, PowerSource source, long nowMillis, SandboxBudgetSettings settings) {
        Quota quota = settings.quotaFor(budgetClass);
        BudgetWindow window = currentWindow(appId, budgetClass, nowMillis, settings);
        long chargedNetworkBytes = source == PowerSource.Battery ? networkBytes : 0;
        List<DevicePolicyEvent> events = new ArrayList<>(2);
        events.add(new BackgroundTaskCompleted(appId, trigger, cpuMillis, networkBytes, chargedNetworkBytes,
                budgetClass, window.startMillis(), window.lengthMillis(), nowMillis));
        BudgetCheck before = check(window, trigger, quota, source, settings.realTimeReservedPercent());
        BudgetCheck after = check(window.plus(trigger, cpuMillis, chargedNetworkBytes), trigger, quota, source,
                settings.realTimeReservedPercent());
        if (before instanceof BudgetCheck.Available && after instanceof BudgetCheck.Exhausted exhausted) {
            events.add(new SandboxQuotaExhausted(appId, trigger, exhausted.resources(), exhausted.refillAtMillis()));
        }
        return events;
    }

    // --- events ---

    /** Folds one event in; events of other concerns leave the budget as it is. */
    public SandboxBudget apply(DevicePolicyEvent event) {
        if (event instanceof BackgroundTaskCompleted e) {
            Map<String, BudgetWindow> windows = new HashMap<>(windowsOf(e.budgetClass()));
            BudgetWindow window = windowOrEmpty(windows.get(e.appId()), e.windowStartMillis(), e.windowLengthMillis());
            windows.put(e.appId(), window.plus(e.trigger(), e.cpuMillis(), e.chargedNetworkBytes()));
            return e.budgetClass() == BudgetClass.LockScreenApp
                    ? new SandboxBudget(windows, otherAppWindows, suspendedCounts)
                    : new SandboxBudget(lockScreenAppWindows, windows, suspendedCounts);
        }
        if (event instanceof SandboxQuotaExhausted e) {
            Map<String, Integer> counts = new HashMap<>(suspendedCounts);
            counts.merge(e.appId(), 1, Integer::sum);
            return new SandboxBudget(lockScreenAppWindows, otherAppWindows, counts);
        }
        return this;
    }

    private Map<String, BudgetWindow> windowsOf(BudgetClass budgetClass) {
        return budgetClass == BudgetClass.LockScreenApp ? lockScreenAppWindows : otherAppWindows;
    }

    /** The stored window if it is the one asked for; a window of an earlier period no longer counts. */
    private static BudgetWindow windowOrEmpty(BudgetWindow stored, long startMillis, long lengthMillis) {
        if (stored != null && stored.startMillis() == startMillis && stored.lengthMillis() == lengthMillis) {
            return stored;
        }
        return BudgetWindow.empty(startMillis, lengthMillis);
    }

    // --- rules ---

    private static BudgetCheck check(BudgetWindow window, TriggerKind trigger, Quota quota, PowerSource source,
            int reservedPercent) {
        Set<BudgetResource> exhausted = EnumSet.noneOf(BudgetResource.class);
        if (!hasRoom(window.realTimeCpuMillis(), window.otherCpuMillis(), quota.cpuMillis(), reservedPercent, trigger)) {
            exhausted.add(BudgetResource.Cpu);
        }
        if (source == PowerSource.Battery && !hasRoom(window.realTimeNetworkBytes(), window.otherNetworkBytes(),
                quota.networkBytesOnBattery(), reservedPercent, trigger)) {
            exhausted.add(BudgetResource.Network);
        }
        return exhausted.isEmpty()
                ? new BudgetCheck.Available()
                : new BudgetCheck.Exhausted(exhausted, window.endMillis());
    }

    /** wns-spec 8.13: real-time use draws on the reserve first; other triggers never touch the reserve. */
    static boolean hasRoom(long realTimeUsed, long otherUsed, long quota, int reservedPercent, TriggerKind trigger) {
        long reserved = Math.multiplyExact(quota, (long) reservedPercent) / 100;
        long unreserved = quota - reserved;
        long unreservedUsed = saturatedAdd(otherUsed, Math.max(0, realTimeUsed - reserved));
        if (unreservedUsed < unreserved) {
            return true;
        }
        return trigger.realTime() && realTimeUsed < reserved;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
