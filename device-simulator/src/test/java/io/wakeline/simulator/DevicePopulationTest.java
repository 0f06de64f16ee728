package io.wakeline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.protocol.v1.PowerSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicePopulationTest {
    private static final int DEVICES = 10_000;
    private static final int APPS = 4;
    private static final double TOLERANCE = 0.02;
    private static final long SEED = 42;

    private static final DevicePopulation POPULATION = DevicePopulation.builder()
            .hardware(0.25, 0.15)
            .batteryShare(0.6)
            .lockScreen(0.4, 0.7)
            .controlChannels(0.5, 2, 0.3, 15)
            .triggers(0.35, 0.2, 15)
            .build();

    @Test
    void sharesComeOutAsConfiguredOverTenThousandDevices() {
        int connectedStandby = 0;
        int chipsetOnly = 0;
        int battery = 0;
        int lockScreenPairs = 0;
        int channelPairs = 0;
        int timerPairs = 0;
        int maintenancePairs = 0;
        for (int device = 0; device < DEVICES; device++) {
            DeviceProfile profile = POPULATION.profile(SEED, device, APPS);
            connectedStandby += profile.hardware() == StandbyHardware.CONNECTED_STANDBY ? 1 : 0;
            chipsetOnly += profile.hardware() == StandbyHardware.CHIPSET_ONLY ? 1 : 0;
            battery += profile.initialPowerSource() == PowerSource.BATTERY ? 1 : 0;
            lockScreenPairs += Long.bitCount(profile.lockScreenApps());
            channelPairs += Long.bitCount(profile.controlChannelApps());
            timerPairs += Long.bitCount(profile.timeTriggerApps());
            maintenancePairs += Long.bitCount(profile.maintenanceTriggerApps());
        }
        assertShare(0.25, connectedStandby, DEVICES, "connected-standby hardware");
        assertShare(0.15, chipsetOnly, DEVICES, "chipset-only hardware");
        assertShare(0.6, battery, DEVICES, "on battery");
        assertShare(0.4, lockScreenPairs, DEVICES * APPS, "apps asking for the lock screen");
        assertShare(0.5, channelPairs, lockScreenPairs, "lock-screen apps with control channels");
        assertShare(0.35, timerPairs, lockScreenPairs, "lock-screen apps with a time trigger");
        assertShare(0.2, maintenancePairs, DEVICES * APPS, "apps with a maintenance trigger");
    }

    @Test
    void controlChannelsAndTimeTriggersBelongToLockScreenAppsOnly() {
        for (int device = 0; device < DEVICES; device++) {
            DeviceProfile profile = POPULATION.profile(SEED, device, APPS);
            assertEquals(0, profile.controlChannelApps() & ~profile.lockScreenApps());
            assertEquals(0, profile.timeTriggerApps() & ~profile.lockScreenApps());
            assertEquals(0, profile.lockScreenApps() >>> APPS, "no bits beyond the configured apps");
        }
    }

    @Test
    void hardwareSlotRequestsFollowTheirSharePerChannel() {
        int hardware = 0;
        int channels = 0;
        for (int device = 0; device < 2_000; device++) {
            for (int app = 0; app < APPS; app++) {
                for (int channel = 0; channel < DevicePopulation.MAX_CONTROL_CHANNELS_PER_APP; channel++) {
                    hardware += POPULATION.requestsHardwareSlot(SEED, device, app, channel) ? 1 : 0;
                    channels++;
                }
            }
        }
        assertShare(0.3, hardware, channels, "channels asking for a hardware slot");
    }

    @Test
    void aProfileIsAFunctionOfSeedAndDeviceIndexAlone() {
        List<DeviceProfile> first = profiles(SEED);
        assertEquals(first, profiles(SEED), "same seed, same fleet");
        assertNotEquals(first, profiles(SEED + 1), "another seed, another fleet");
        // a simulator with firstIndex 500 draws device 500 exactly as one that starts at 0
        assertEquals(POPULATION.profile(SEED, 500, APPS), POPULATION.profile(SEED, 500, APPS));
        assertNotEquals(POPULATION.profile(SEED, 500, APPS), POPULATION.profile(SEED, 501, APPS));
    }

    @Test
    void changingOneShareMovesNoOtherChoice() {
        DevicePopulation moreLockScreen = POPULATION.toBuilder().lockScreen(0.9, 0.7).build();
        for (int device = 0; device < 1_000; device++) {
            DeviceProfile before = POPULATION.profile(SEED, device, APPS);
            DeviceProfile after = moreLockScreen.profile(SEED, device, APPS);
            assertEquals(before.hardware(), after.hardware());
            assertEquals(before.initialPowerSource(), after.initialPowerSource());
            assertEquals(before.maintenanceTriggerApps(), after.maintenanceTriggerApps());
            assertEquals(before.lockScreenApps(), before.lockScreenApps() & after.lockScreenApps(),
                    "a larger share only adds lock-screen apps");
        }
    }

    @Test
    void sixtyFourAppsFitAndMoreAreRefused() {
        DevicePopulation everyone = POPULATION.toBuilder().lockScreen(1, 1).build();
        assertEquals(-1L, everyone.profile(SEED, 0, DevicePopulation.MAX_APPS).lockScreenApps());
        assertThrows(IllegalArgumentException.class, () -> everyone.profile(SEED, 0, DevicePopulation.MAX_APPS + 1));
    }

    @Test
    void valuesOutsideWhatWindowsAllowsAreRefused() {
        DevicePopulation.Builder base = DevicePopulation.defaults().toBuilder();
        assertRefused("lockScreenShare", () -> base.lockScreen(1.2, 0.5).build());
        assertRefused("must not exceed 1", () -> DevicePopulation.builder().hardware(0.7, 0.4).build());
        assertRefused("controlChannelsPerApp", () -> DevicePopulation.builder().controlChannels(0.5, 6, 0.5, 15).build());
        assertRefused("keepAliveMinutes", () -> DevicePopulation.builder().controlChannels(0.5, 1, 0.5, 14).build());
        assertRefused("keepAliveMinutes", () -> DevicePopulation.builder().controlChannels(0.5, 1, 0.5, 1440).build());
        assertRefused("triggerFreshnessMinutes", () -> DevicePopulation.builder().triggers(0.5, 0.5, 14).build());
        assertRefused("timeScale", () -> DevicePopulation.builder().timeScale(0).build());
        assertRefused("activePeriod", () -> DevicePopulation.builder().powerCycle(Duration.ofMinutes(-1), Duration.ZERO).build());
        assertRefused("0 <= min <= max", () -> new LongRange(10, 5));
    }

    @Test
    void simulatedPeriodsShrinkByTheTimeScale() {
        DevicePopulation fast = DevicePopulation.builder().timeScale(60).build();
        assertEquals(Duration.ofSeconds(15).toNanos(), fast.realNanos(Duration.ofMinutes(15)));
    }

    private static List<DeviceProfile> profiles(long seed) {
        List<DeviceProfile> profiles = new ArrayList<>();
        for (int device = 0; device < 200; device++) {
            profiles.add(POPULATION.profile(seed, device, APPS));
        }
        return profiles;
    }

    private static void assertShare(double expected, int count, int of, String what) {
        double share = (double) count / of;
        assertTrue(Math.abs(share - expected) <= TOLERANCE,
                what + ": " + share + " (" + count + " of " + of + "), expected " + expected + " +- " + TOLERANCE);
    }

    private static void assertRefused(String expectedInMessage, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }
}
