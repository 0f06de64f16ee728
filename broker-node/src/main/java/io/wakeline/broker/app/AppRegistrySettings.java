package io.wakeline.broker.app;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code wakeline.app-gateway.app-registry} (documented in reference.conf). */
public record AppRegistrySettings(Duration askTimeout, int pbkdf2Iterations) {
    public static final String CONFIG_PATH = "wakeline.app-gateway.app-registry";
    /** Dispatcher that runs every PBKDF2 computation: app entities and the hashing of new secrets. */
    public static final String HASHING_DISPATCHER = CONFIG_PATH + ".hashing-dispatcher";

    public AppRegistrySettings {
        if (pbkdf2Iterations < 1) {
            throw new IllegalArgumentException(CONFIG_PATH + ".pbkdf2-iterations must be positive");
        }
    }

    public static AppRegistrySettings fromConfig(Config root) {
        Config c = root.getConfig(CONFIG_PATH);
        return new AppRegistrySettings(c.getDuration("ask-timeout"), c.getInt("pbkdf2-iterations"));
    }
}
