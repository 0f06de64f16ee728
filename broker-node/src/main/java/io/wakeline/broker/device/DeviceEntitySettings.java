package io.wakeline.broker.device;

import com.typesafe.config.Config;
import io.wakeline.broker.device.policy.SandboxBudgetSettings;
import java.time.Duration;

/** {@code wakeline.device.*} (reference.conf). */
public record DeviceEntitySettings(
        Duration passivateAfterIdle, int snapshotEvery, Duration channelLifetime, Duration askTimeout, String entityRole,
        SandboxBudgetSettings sandbox) {

    public DeviceEntitySettings(Duration passivateAfterIdle, int snapshotEvery, Duration channelLifetime, Duration askTimeout) {
        this(passivateAfterIdle, snapshotEvery, channelLifetime, askTimeout, "", SandboxBudgetSettings.WINDOWS_8_DEFAULTS);
    }

    public DeviceEntitySettings withSandbox(SandboxBudgetSettings sandbox) {
        return new DeviceEntitySettings(passivateAfterIdle, snapshotEvery, channelLifetime, askTimeout, entityRole, sandbox);
    }

    public static DeviceEntitySettings fromConfig(Config config) {
        Config c = config.getConfig("wakeline.device");
        return new DeviceEntitySettings(
                c.getDuration("passivate-after-idle"),
                c.getInt("snapshot-every"),
                c.getDuration("channel-lifetime"),
                c.getDuration("ask-timeout"),
                config.getString("wakeline.entity-role"),
                SandboxBudgetSettings.fromConfig(c.getConfig("sandbox")));
    }
}
