package io.wakeline.broker.device.shell;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.device.control.ControlChannelSettings;
import io.wakeline.broker.device.policy.SandboxBudgetSettings;
import io.wakeline.broker.device.push.PushDeliverySettings;
import java.time.Duration;

/**
 * {@code wakeline.device.*} and {@code wakeline.control-channels.*} (reference.conf).
 *
 * @param askTimeout bound on an ask from the device gateway (a device's link) to its entity: the sharding hop, and
 *                   the entity's recovery when it was not running (the app gateway has its own bound)
 */
public record DeviceEntitySettings(
        Duration passivateAfterIdle, int snapshotEvery, Duration channelLifetime, Duration askTimeout, String entityRole,
        SandboxBudgetSettings sandbox,
        PushDeliverySettings push,
        ControlChannelSettings controlChannels) {

    /** The reference.conf defaults. */
    public static final DeviceEntitySettings DEFAULTS = fromConfig(ConfigFactory.defaultReference());

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

    public DeviceEntitySettings withPassivateAfterIdle(Duration idle) {
        return new DeviceEntitySettings(idle, snapshotEvery, channelLifetime, askTimeout, entityRole, sandbox, push,
                controlChannels);
    }

    public DeviceEntitySettings withSnapshotEvery(int events) {
        return new DeviceEntitySettings(passivateAfterIdle, events, channelLifetime, askTimeout, entityRole, sandbox, push,
                controlChannels);
    }

    public DeviceEntitySettings withSandbox(SandboxBudgetSettings newSandbox) {
        return new DeviceEntitySettings(passivateAfterIdle, snapshotEvery, channelLifetime, askTimeout, entityRole,
                newSandbox, push, controlChannels);
    }

    public DeviceEntitySettings withPush(PushDeliverySettings newPush) {
        return new DeviceEntitySettings(passivateAfterIdle, snapshotEvery, channelLifetime, askTimeout, entityRole, sandbox,
                newPush, controlChannels);
    }

    public DeviceEntitySettings withControlChannels(ControlChannelSettings newControlChannels) {
        return new DeviceEntitySettings(passivateAfterIdle, snapshotEvery, channelLifetime, askTimeout, entityRole, sandbox,
                push, newControlChannels);
    }
}
