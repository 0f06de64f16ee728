package io.wakeline.broker.device.policy;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * The per-app background sandbox quotas (configuration, never journaled).
 *
 * <p>Windows 8 defaults, {@link #WINDOWS_8_DEFAULTS}:
 * <ul>
 *   <li>CPU: 2 CPU-seconds per 15 minutes for a lock-screen app, 1 CPU-second per 2 hours for any other app,
 *       on AC and battery alike (wns-spec 8.10).</li>
 *   <li>Network: on battery only (wns-spec 8.12). The only figures found are ~45 MB/day for a lock-screen app and
 *       ~7.5 MB/day for others, from a secondary source; they are <b>UNCONFIRMED</b> and only configurable
 *       defaults here, spread over the CPU periods: 468,750 bytes per 15 minutes and 625,000 bytes per 2 hours.</li>
 *   <li>Real-time triggers (PushNotificationTrigger, ControlChannelTrigger) get a guaranteed quota
 *       (wns-spec 8.13); its size is not documented: {@code realTimeReservedPercent} of each quota is reserved for
 *       them (default 50, <b>UNCONFIRMED</b>). Other triggers can use only the rest; real-time triggers use their
 *       reserve first, then the rest.</li>
 * </ul>
 */
public record SandboxBudgetSettings(
        Duration lockScreenPeriod,
        long lockScreenCpuMillisPerPeriod,
        long lockScreenNetworkBytesPerPeriodOnBattery,
        Duration otherAppPeriod,
        long otherAppCpuMillisPerPeriod,
        long otherAppNetworkBytesPerPeriodOnBattery,
        int realTimeReservedPercent) {

    /** wns-spec 8.10 (CPU), 8.12 (network, UNCONFIRMED), 8.13 (share, UNCONFIRMED). */
    public static final SandboxBudgetSettings WINDOWS_8_DEFAULTS = new SandboxBudgetSettings(
            Duration.ofMinutes(15), 2_000, 468_750,
            Duration.ofHours(2), 1_000, 625_000,
            50);

    public SandboxBudgetSettings {
        Objects.requireNonNull(lockScreenPeriod, "lockScreenPeriod");
        Objects.requireNonNull(otherAppPeriod, "otherAppPeriod");
        if (lockScreenPeriod.toMillis() <= 0 || otherAppPeriod.toMillis() <= 0) {
            throw new IllegalArgumentException("budget periods must be at least one millisecond");
        }
        if (lockScreenCpuMillisPerPeriod < 0 || otherAppCpuMillisPerPeriod < 0
                || lockScreenNetworkBytesPerPeriodOnBattery < 0 || otherAppNetworkBytesPerPeriodOnBattery < 0) {
            throw new IllegalArgumentException("budget quotas must not be negative");
        }
        if (realTimeReservedPercent < 0 || realTimeReservedPercent > 100) {
            throw new IllegalArgumentException("realTimeReservedPercent must be 0..100, got " + realTimeReservedPercent);
        }
    }

    /** Reads the {@code wakeline.device.sandbox} section of the configuration (documented in {@code reference.conf}). */
    public static SandboxBudgetSettings fromConfig(Config sandbox) {
        return new SandboxBudgetSettings(
                sandbox.getDuration("lock-screen-app.period"),
                sandbox.getDuration("lock-screen-app.cpu").toMillis(),
                sandbox.getBytes("lock-screen-app.network-on-battery"),
                sandbox.getDuration("other-app.period"),
                sandbox.getDuration("other-app.cpu").toMillis(),
                sandbox.getBytes("other-app.network-on-battery"),
                sandbox.getInt("real-time-reserved-percent"));
    }

    /** The quota an app of the given class gets per period. */
    public Quota quotaFor(BudgetClass budgetClass) {
        return budgetClass == BudgetClass.LockScreenApp
                ? new Quota(lockScreenPeriod.toMillis(), lockScreenCpuMillisPerPeriod, lockScreenNetworkBytesPerPeriodOnBattery)
                : new Quota(otherAppPeriod.toMillis(), otherAppCpuMillisPerPeriod, otherAppNetworkBytesPerPeriodOnBattery);
    }

    /** One class's quota: the period and what it allows per period. */
    public record Quota(long periodMillis, long cpuMillis, long networkBytesOnBattery) {
    }
}
