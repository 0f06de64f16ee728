package io.wakeline.broker.console;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code wakeline.console} (reference.conf). */
public record ConsoleSettings(boolean enabled, Duration sessionTtl, Duration askTimeout, Duration sampleInterval,
                              int historySamples, int backlogBoardSize) {

    public static ConsoleSettings fromConfig(Config config) {
        Config c = config.getConfig("wakeline.console");
        return new ConsoleSettings(c.getBoolean("enabled"), c.getDuration("session-ttl"), c.getDuration("ask-timeout"),
                c.getDuration("sample-interval"), c.getInt("history-samples"), c.getInt("backlog-board-size"));
    }
}
