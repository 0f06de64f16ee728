package io.wakeline.simulator;

import io.wakeline.protocol.v1.AppExecutionState;
import io.wakeline.protocol.v1.PowerSource;
import io.wakeline.protocol.v1.PowerState;
import java.util.SplittableRandom;

/**
 * What one device remembers of the Windows device model; touched by the selector thread only.
 *
 * <p>One object per device with the model on (none with it off): per-app facts are bits of a {@code long}
 * indexed by the app's position, so the size does not grow with the number of apps.
 */
final class DeviceModelState {
    final DeviceProfile profile;
    /** The device's index (its id is prefix + index): the population's draws are keyed by it. */
    final long deviceIndex;
    /** Timings, consent answers and task usage: seeded per device, so a run repeats. */
    final SplittableRandom random;

    PowerState power = PowerState.ACTIVE;
    PowerSource source;
    long foregroundApps;
    long notRunningApps;

    /** Consent answered on this link: a second prompt for the app is not answered (wns-spec 6.5: one prompt). */
    long consentAnswered;
    /** A final LockScreenStatus arrived (granted, denied or dismissed): the app does not ask again. */
    long lockScreenAnswered;
    long onLockScreen;

    /** Per {@link Registration}: TriggerRegistration sent (and not lost with a link), and accepted. */
    final long[] registrationSent = new long[Registration.COUNT];
    final long[] registrationAccepted = new long[Registration.COUNT];

    /** Apps whose control channels were created on this link. */
    long channelsCreated;

    /** Whether the model's clock runs: from the first Welcome on. */
    boolean started;
    long nextPowerChangeNanos;
    long nextPowerSourceNanos;
    long nextAppStateNanos;
    long nextTriggerTickNanos;
    /** Generation of the one pending model timer; older queued model timers are stale. */
    int timerGeneration;

    DeviceModelState(DeviceProfile profile, long behaviourSeed, long deviceIndex) {
        this.profile = profile;
        this.deviceIndex = deviceIndex;
        this.random = new SplittableRandom(behaviourSeed);
        this.source = profile.initialPowerSource();
    }

    AppExecutionState appState(int app) {
        long bit = 1L << app;
        if ((foregroundApps & bit) != 0) {
            return AppExecutionState.FOREGROUND;
        }
        return (notRunningApps & bit) != 0 ? AppExecutionState.NOT_RUNNING : AppExecutionState.SUSPENDED;
    }

    void setAppState(int app, AppExecutionState state) {
        long bit = 1L << app;
        foregroundApps = state == AppExecutionState.FOREGROUND ? foregroundApps | bit : foregroundApps & ~bit;
        notRunningApps = state == AppExecutionState.NOT_RUNNING ? notRunningApps | bit : notRunningApps & ~bit;
    }

    boolean sent(Registration registration, int app) {
        return DeviceProfile.has(registrationSent[registration.ordinal()], app);
    }

    boolean accepted(Registration registration, int app) {
        return DeviceProfile.has(registrationAccepted[registration.ordinal()], app);
    }

    /** The background triggers a device registers for its apps. */
    enum Registration {
        PUSH_NOTIFICATION, TIME, MAINTENANCE;

        static final int COUNT = values().length;
    }
}
