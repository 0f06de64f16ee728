package io.wakeline.broker.device;

import com.typesafe.config.Config;
import io.wakeline.broker.device.control.ControlChannelSettings;
import io.wakeline.broker.device.policy.SandboxBudgetSettings;
import io.wakeline.broker.device.push.PushDeliverySettings;
import java.time.Duration;

/** {@code wakeline.device.*} (reference.conf). */
public record DeviceEntitySettings(
        Duration passivateAfterIdle, int snapshotEvery, Duration channelLifetime, Duration askTimeout, String entityRole,
        SandboxBudgetSettings sandbox,
        PushDeliverySettings push,
        ControlChannelSettings controlChannels) {

    public DeviceEntitySettings(Duration passivateAfterIdle, int snapshotEvery, Duration channelLifetime, Duration askTimeout,
                                String entityRole, SandboxBudgetSettings sandbox, PushDeliverySettings push) {
        this(passivateAfterIdle, snapshotEvery, channelLifetime, askTimeout, entityRole, sandbox, push,
                ControlChannelSettings.DEFAULTS);
    }

    public DeviceEntitySettings(Duration passivateAfterIdle, int snapshotEvery, Duration channelLifetime, Duration askTimeout) {
        this(passivateAfterIdle, snapshotEvery, channelLifetime, askTimeout, "");
    }

    public DeviceEntitySettings(Duration passivateAfterIdle, int snapshotEvery, Duration channelLifetime, Duration askTimeout,
                                String entityRole) {
        this(passivateAfterIdle, snapshotEvery, channelLifetime, askTimeout, entityRole,
                SandboxBudgetSettings.WINDOWS_8_DEFAULTS, PushDeliverySettings.DEFAULTS);
    }

    public DeviceEntitySettings withSandbox(SandboxBudgetSettings sandbox) {
        return new DeviceEntitySettings(passivateAfterIdle, snapshotEvery, channelLifetime, askTimeout, entityRole, sandbox, push,
                controlChannels);
    }

    public static DeviceEntitySettings fromConfig(Config config) {
        Config c = config.getConfig("wakeline.device");
        return new DeviceEntitySettings(
                c.getDuration("passivate-after-idle"),
                c.getInt("snapshot-every"),
                c.getDuration("channel-lifetime"),
                c.getDuration("ask-timeout"),
                config.getString("wakeline.entity-role"),
                SandboxBudgetSettings.fromConfig(c.getConfig("sandbox")),
                PushDeliverySettings.fromConfig(c.getConfig("push")),
                ControlChannelSettings.fromConfig(config.getConfig("wakeline.control-channels")));
    }

    public DeviceEntitySettings withPush(PushDeliverySettings push) {
        return new DeviceEntitySettings(passivateAfterIdle, snapshotEvery, channelLifetime, askTimeout, entityRole, sandbox, push,
                controlChannels);
    }

    public DeviceEntitySettings withControlChannels(ControlChannelSettings controlChannels) {
        return new DeviceEntitySettings(passivateAfterIdle, snapshotEvery, channelLifetime, askTimeout, entityRole, sandbox, push,
                controlChannels);
    }
}
