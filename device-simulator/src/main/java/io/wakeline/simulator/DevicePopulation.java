package io.wakeline.simulator;

import io.wakeline.protocol.v1.PowerSource;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The make-up of a simulated fleet for the Windows device model: which hardware the devices have, how
 * their apps use the lock screen, control channels and background triggers, and how fast simulated time
 * passes. Every device's share of it is drawn by {@link #profile(long, long, int)}, a pure function of the
 * seed and the device's index, so a run is reproducible and several simulator processes with distinct
 * {@code firstIndex} ranges together make up one fleet.
 *
 * <p>Shares are probabilities in [0, 1], applied independently per device or per (device, app). Periods are
 * simulated time: each is divided by {@code timeScale} before it is waited out, and each wait is drawn
 * uniformly from [period / 2, 3 period / 2] so that devices drift apart. A zero period switches that
 * behaviour off.
 *
 * @param connectedStandbyShare   devices whose chipset and network adapter both support connected standby
 * @param chipsetOnlyShare        devices whose chipset does but whose network adapter does not (the rest: none)
 * @param batteryShare            devices on battery rather than mains, at start and after each power-source draw
 * @param powerSourcePeriod       how often the power source is drawn again (a report is sent when it changed)
 * @param activePeriod            how long a device stays ACTIVE before connected standby (or sleep)
 * @param standbyPeriod           how long it stays in connected standby (or sleep) before it is ACTIVE again
 * @param foregroundShare         share of active time an app is in the foreground
 * @param suspendedShare          share of the remaining time it is SUSPENDED rather than NOT_RUNNING
 * @param appStatePeriod          how often each app's state is drawn again while the device is ACTIVE
 * @param lockScreenShare         (device, app) pairs where the app asks for the lock screen
 * @param consentProbability      chance the user allows it when the consent dialog is shown
 * @param controlChannelShare     lock-screen apps that open control channels once on the lock screen
 * @param controlChannelsPerApp   channels such an app opens, 1..5 (wns-spec 7.16)
 * @param hardwareSlotShare       channels that ask for a hardware slot rather than a software slot
 * @param keepAliveMinutes        server keep-alive of every channel, 15..1439 (wns-spec 7.3)
 * @param timeTriggerShare        lock-screen apps that register a TimeTrigger once on the lock screen
 * @param maintenanceTriggerShare apps that register a MaintenanceTrigger
 * @param triggerFreshnessMinutes freshness of both triggers, at least 15 (wns-spec 8.3)
 * @param taskCpuMillis           CPU time one background task reports using
 * @param taskNetworkBytes        network bytes one background task reports using
 * @param timeScale               simulated time per real time: 60 makes a simulated hour pass in a real minute
 */
public record DevicePopulation(
        double connectedStandbyShare,
        double chipsetOnlyShare,
        double batteryShare,
        Duration powerSourcePeriod,
        Duration activePeriod,
        Duration standbyPeriod,
        double foregroundShare,
        double suspendedShare,
        Duration appStatePeriod,
        double lockScreenShare,
        double consentProbability,
        double controlChannelShare,
        int controlChannelsPerApp,
        double hardwareSlotShare,
        int keepAliveMinutes,
        double timeTriggerShare,
        double maintenanceTriggerShare,
        int triggerFreshnessMinutes,
        LongRange taskCpuMillis,
        LongRange taskNetworkBytes,
        double timeScale) {

    /** Per-app choices are bits of a {@code long}. */
    public static final int MAX_APPS = Long.SIZE;
    /** wns-spec 7.16: an app may register at most 5 control channels. */
    public static final int MAX_CONTROL_CHANNELS_PER_APP = 5;
    /** wns-spec 7.3. */
    public static final int MIN_KEEP_ALIVE_MINUTES = 15;
    public static final int MAX_KEEP_ALIVE_MINUTES = 1_439;
    /** wns-spec 8.3: a shorter freshness makes the registration throw. */
    public static final int MIN_TRIGGER_FRESHNESS_MINUTES = 15;

    /** Independent random streams, so adding a draw to one never shifts another. */
    private static final long PROFILE_STREAM = 1;
    private static final long BEHAVIOUR_STREAM = 2;
    private static final long SLOT_STREAM = 3;
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double SHARE_SUM_SLACK = 1e-9;

    public DevicePopulation {
        share("connectedStandbyShare", connectedStandbyShare);
        share("chipsetOnlyShare", chipsetOnlyShare);
        if (connectedStandbyShare + chipsetOnlyShare > 1 + SHARE_SUM_SLACK) {
            throw new IllegalArgumentException("connectedStandbyShare + chipsetOnlyShare must not exceed 1");
        }
        share("batteryShare", batteryShare);
        period("powerSourcePeriod", powerSourcePeriod);
        period("activePeriod", activePeriod);
        period("standbyPeriod", standbyPeriod);
        share("foregroundShare", foregroundShare);
        share("suspendedShare", suspendedShare);
        period("appStatePeriod", appStatePeriod);
        share("lockScreenShare", lockScreenShare);
        share("consentProbability", consentProbability);
        share("controlChannelShare", controlChannelShare);
        if (controlChannelsPerApp < 1 || controlChannelsPerApp > MAX_CONTROL_CHANNELS_PER_APP) {
            throw new IllegalArgumentException("controlChannelsPerApp must be 1.." + MAX_CONTROL_CHANNELS_PER_APP
                    + ": " + controlChannelsPerApp);
        }
        share("hardwareSlotShare", hardwareSlotShare);
        if (keepAliveMinutes < MIN_KEEP_ALIVE_MINUTES || keepAliveMinutes > MAX_KEEP_ALIVE_MINUTES) {
            throw new IllegalArgumentException("keepAliveMinutes must be " + MIN_KEEP_ALIVE_MINUTES + ".."
                    + MAX_KEEP_ALIVE_MINUTES + ": " + keepAliveMinutes);
        }
        share("timeTriggerShare", timeTriggerShare);
        share("maintenanceTriggerShare", maintenanceTriggerShare);
        if (triggerFreshnessMinutes < MIN_TRIGGER_FRESHNESS_MINUTES) {
            throw new IllegalArgumentException("triggerFreshnessMinutes must be at least "
                    + MIN_TRIGGER_FRESHNESS_MINUTES + ": " + triggerFreshnessMinutes);
        }
        Objects.requireNonNull(taskCpuMillis, "taskCpuMillis");
        Objects.requireNonNull(taskNetworkBytes, "taskNetworkBytes");
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("timeScale must be a positive number: " + timeScale);
        }
    }

    /** The defaults of {@link Builder}. */
    public static DevicePopulation defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Draws one device's profile: a pure function of its arguments.
     *
     * @param seed        the run's seed
     * @param deviceIndex the device's index (its id is prefix + index), not its position in one simulator
     * @param appCount    number of configured apps, at most {@link #MAX_APPS}
     */
    public DeviceProfile profile(long seed, long deviceIndex, int appCount) {
        if (appCount < 0 || appCount > MAX_APPS) {
            throw new IllegalArgumentException("appCount must be 0.." + MAX_APPS + ": " + appCount);
        }
        SplittableRandom random = new SplittableRandom(streamSeed(seed, PROFILE_STREAM, deviceIndex));
        double hardwareDraw = random.nextDouble();
        StandbyHardware hardware = hardwareDraw < connectedStandbyShare ? StandbyHardware.CONNECTED_STANDBY
                : hardwareDraw < connectedStandbyShare + chipsetOnlyShare ? StandbyHardware.CHIPSET_ONLY
                : StandbyHardware.NONE;
        PowerSource source = random.nextDouble() < batteryShare ? PowerSource.BATTERY : PowerSource.MAINS;
        long lockScreen = 0;
        long controlChannels = 0;
        long timeTriggers = 0;
        long maintenanceTriggers = 0;
        for (int app = 0; app < appCount; app++) {
            long bit = 1L << app;
            // four draws per app whatever the outcome, so changing one share moves no other choice
            boolean asks = random.nextDouble() < lockScreenShare;
            boolean channels = random.nextDouble() < controlChannelShare;
            boolean timer = random.nextDouble() < timeTriggerShare;
            boolean maintenance = random.nextDouble() < maintenanceTriggerShare;
            if (asks) {
                lockScreen |= bit;
                // control channels and time triggers need the lock screen on Windows 8 (wns-spec 7.2, 8.2)
                controlChannels |= channels ? bit : 0;
                timeTriggers |= timer ? bit : 0;
            }
            maintenanceTriggers |= maintenance ? bit : 0;
        }
        return new DeviceProfile(hardware, source, lockScreen, controlChannels, timeTriggers, maintenanceTriggers);
    }

    /** Whether control channel {@code channel} of app {@code app} on that device asks for a hardware slot. */
    public boolean requestsHardwareSlot(long seed, long deviceIndex, int app, int channel) {
        long draw = mix(streamSeed(seed, SLOT_STREAM, deviceIndex) + GOLDEN_GAMMA * (app * MAX_CONTROL_CHANNELS_PER_APP + channel + 1));
        return unit(draw) < hardwareSlotShare;
    }

    /** The seed of the device's behaviour draws (timings, consent answers, task usage). */
    static long behaviourSeed(long seed, long deviceIndex) {
        return streamSeed(seed, BEHAVIOUR_STREAM, deviceIndex);
    }

    /** Real nanoseconds for a simulated duration. */
    long realNanos(Duration simulated) {
        return (long) (simulated.toNanos() / timeScale);
    }

    private static long streamSeed(long seed, long stream, long deviceIndex) {
        return mix(mix(seed + GOLDEN_GAMMA * stream) + GOLDEN_GAMMA * (deviceIndex + 1));
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    private static void share(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1: " + value);
        }
    }

    private static void period(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or positive: " + value);
        }
    }

    /**
     * Defaults: a Windows 8 era fleet. 30 % connected-standby hardware and 10 % chipset-only, half on battery
     * (drawn again every 2 h), ACTIVE about 30 min then standby or sleep about 60 min; an app is in the
     * foreground 10 % of active time and suspended 70 % of the rest, drawn again every 5 min; 40 % of apps ask
     * for the lock screen and 70 % of users allow it; 30 % of lock-screen apps open one control channel, half
     * of them on a hardware slot, keep-alive 15 min; 50 % of lock-screen apps register a TimeTrigger and 20 % of
     * all apps a MaintenanceTrigger, freshness 15 min; a task uses 50..500 ms CPU and 1..100 kB; time scale 1.
     */
    public static final class Builder {
        private double connectedStandbyShare = 0.3;
        private double chipsetOnlyShare = 0.1;
        private double batteryShare = 0.5;
        private Duration powerSourcePeriod = Duration.ofHours(2);
        private Duration activePeriod = Duration.ofMinutes(30);
        private Duration standbyPeriod = Duration.ofMinutes(60);
        private double foregroundShare = 0.1;
        private double suspendedShare = 0.7;
        private Duration appStatePeriod = Duration.ofMinutes(5);
        private double lockScreenShare = 0.4;
        private double consentProbability = 0.7;
        private double controlChannelShare = 0.3;
        private int controlChannelsPerApp = 1;
        private double hardwareSlotShare = 0.5;
        private int keepAliveMinutes = MIN_KEEP_ALIVE_MINUTES;
        private double timeTriggerShare = 0.5;
        private double maintenanceTriggerShare = 0.2;
        private int triggerFreshnessMinutes = MIN_TRIGGER_FRESHNESS_MINUTES;
        private LongRange taskCpuMillis = new LongRange(50, 500);
        private LongRange taskNetworkBytes = new LongRange(1_000, 100_000);
        private double timeScale = 1;

        private Builder() {
        }

        private Builder(DevicePopulation from) {
            connectedStandbyShare = from.connectedStandbyShare;
            chipsetOnlyShare = from.chipsetOnlyShare;
            batteryShare = from.batteryShare;
            powerSourcePeriod = from.powerSourcePeriod;
            activePeriod = from.activePeriod;
            standbyPeriod = from.standbyPeriod;
            foregroundShare = from.foregroundShare;
            suspendedShare = from.suspendedShare;
            appStatePeriod = from.appStatePeriod;
            lockScreenShare = from.lockScreenShare;
            consentProbability = from.consentProbability;
            controlChannelShare = from.controlChannelShare;
            controlChannelsPerApp = from.controlChannelsPerApp;
            hardwareSlotShare = from.hardwareSlotShare;
            keepAliveMinutes = from.keepAliveMinutes;
            timeTriggerShare = from.timeTriggerShare;
            maintenanceTriggerShare = from.maintenanceTriggerShare;
            triggerFreshnessMinutes = from.triggerFreshnessMinutes;
            taskCpuMillis = from.taskCpuMillis;
            taskNetworkBytes = from.taskNetworkBytes;
            timeScale = from.timeScale;
        }

        /** Shares of connected-standby hardware (chipset and network) and of chipset-only; the rest has none. */
        public Builder hardware(double connectedStandbyShare, double chipsetOnlyShare) {
            this.connectedStandbyShare = connectedStandbyShare;
            this.chipsetOnlyShare = chipsetOnlyShare;
            return this;
        }

        public Builder batteryShare(double batteryShare) {
            this.batteryShare = batteryShare;
            return this;
        }

        public Builder powerSourcePeriod(Duration powerSourcePeriod) {
            this.powerSourcePeriod = powerSourcePeriod;
            return this;
        }

        /** Mean time ACTIVE, then mean time in connected standby or sleep; zero active period: always ACTIVE. */
        public Builder powerCycle(Duration activePeriod, Duration standbyPeriod) {
            this.activePeriod = activePeriod;
            this.standbyPeriod = standbyPeriod;
            return this;
        }

        public Builder appStates(double foregroundShare, double suspendedShare, Duration appStatePeriod) {
            this.foregroundShare = foregroundShare;
            this.suspendedShare = suspendedShare;
            this.appStatePeriod = appStatePeriod;
            return this;
        }

        public Builder lockScreen(double lockScreenShare, double consentProbability) {
            this.lockScreenShare = lockScreenShare;
            this.consentProbability = consentProbability;
            return this;
        }

        public Builder controlChannels(double controlChannelShare, int controlChannelsPerApp,
                                       double hardwareSlotShare, int keepAliveMinutes) {
            this.controlChannelShare = controlChannelShare;
            this.controlChannelsPerApp = controlChannelsPerApp;
            this.hardwareSlotShare = hardwareSlotShare;
            this.keepAliveMinutes = keepAliveMinutes;
            return this;
        }

        public Builder triggers(double timeTriggerShare, double maintenanceTriggerShare, int freshnessMinutes) {
            this.timeTriggerShare = timeTriggerShare;
            this.maintenanceTriggerShare = maintenanceTriggerShare;
            this.triggerFreshnessMinutes = freshnessMinutes;
            return this;
        }

        public Builder taskUsage(LongRange cpuMillis, LongRange networkBytes) {
            this.taskCpuMillis = cpuMillis;
            this.taskNetworkBytes = networkBytes;
            return this;
        }

        public Builder timeScale(double timeScale) {
            this.timeScale = timeScale;
            return this;
        }

        public DevicePopulation build() {
            return new DevicePopulation(connectedStandbyShare, chipsetOnlyShare, batteryShare, powerSourcePeriod,
                    activePeriod, standbyPeriod, foregroundShare, suspendedShare, appStatePeriod, lockScreenShare,
                    consentProbability, controlChannelShare, controlChannelsPerApp, hardwareSlotShare,
                    keepAliveMinutes, timeTriggerShare, maintenanceTriggerShare, triggerFreshnessMinutes,
                    taskCpuMillis, taskNetworkBytes, timeScale);
        }
    }
}
