package io.wakeline.simulator;

import io.wakeline.protocol.v1.PowerSource;

/**
 * Who one simulated device is, as drawn from a {@link DevicePopulation}: fixed for the device's life and the
 * same on every run with the same seed. Per-app choices are bit masks indexed by the app's position in
 * {@link SimulatorConfig#appIds()}, so a device holds one small object whatever its number of apps.
 *
 * @param hardware               connected-standby support, reported in Hello
 * @param initialPowerSource     battery or mains when the device first links
 * @param lockScreenApps         apps that ask for the lock screen (RequestAccessAsync)
 * @param controlChannelApps     lock-screen apps that open control channels once granted
 * @param timeTriggerApps        lock-screen apps that register a TimeTrigger once granted
 * @param maintenanceTriggerApps apps that register a MaintenanceTrigger (no lock screen needed, wns-spec 8.2)
 */
public record DeviceProfile(
        StandbyHardware hardware,
        PowerSource initialPowerSource,
        long lockScreenApps,
        long controlChannelApps,
        long timeTriggerApps,
        long maintenanceTriggerApps) {

    public boolean asksForLockScreen(int app) {
        return has(lockScreenApps, app);
    }

    public boolean usesControlChannels(int app) {
        return has(controlChannelApps, app);
    }

    public boolean usesTimeTrigger(int app) {
        return has(timeTriggerApps, app);
    }

    public boolean usesMaintenanceTrigger(int app) {
        return has(maintenanceTriggerApps, app);
    }

    static boolean has(long mask, int app) {
        return (mask & (1L << app)) != 0;
    }
}
