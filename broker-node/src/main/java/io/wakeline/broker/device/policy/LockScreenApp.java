package io.wakeline.broker.device.policy;

import io.wakeline.broker.CborSerializable;
import java.util.Set;

/** One of the (at most seven) lock-screen apps, with the status it holds and its manifest's background task types. */
public record LockScreenApp(String appId, BackgroundAccessStatus status, Set<ManifestBackgroundTask> declaredTasks)
        implements CborSerializable {

    public LockScreenApp {
        declaredTasks = Set.copyOf(declaredTasks);
    }

    /** Whether it holds one of the three real-time-connectivity (hardware) slots. */
    public boolean holdsRealTimeConnectivity() {
        return status == BackgroundAccessStatus.AllowedWithAlwaysOnRealTimeConnectivity;
    }

    LockScreenApp withStatus(BackgroundAccessStatus newStatus) {
        return new LockScreenApp(appId, newStatus, declaredTasks);
    }
}
