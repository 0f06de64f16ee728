package io.wakeline.broker.device;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code wakeline.device.*} (reference.conf). */
public record DeviceEntitySettings(
        Duration passivateAfterIdle, int snapshotEvery, Duration channelLifetime, Duration askTimeout, String entityRole) {

    public DeviceEntitySettings(Duration passivateAfterIdle, int snapshotEvery, Duration channelLifetime, Duration askTimeout) {
        this(passivateAfterIdle, snapshotEvery, channelLifetime, askTimeout, "");
    }

    public static DeviceEntitySettings fromConfig(Config config) {
        Config c = config.getConfig("wakeline.device");
        return new DeviceEntitySettings(
                c.getDuration("passivate-after-idle"),
                c.getInt("snapshot-every"),
                c.getDuration("channel-lifetime"),
                c.getDuration("ask-timeout"),
                config.getString("wakeline.entity-role"));
    }
}
