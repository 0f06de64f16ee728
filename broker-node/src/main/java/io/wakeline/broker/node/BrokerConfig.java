package io.wakeline.broker.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The node's configuration: system properties over {@code overrides} over application.conf over
 * reference.conf, resolved once at the end so that a value like {@code wakeline.data-dir} changed by an
 * override also moves everything derived from it (the H2 URL).
 */
public final class BrokerConfig {
    private BrokerConfig() {
    }

    public static Config load() {
        return load(ConfigFactory.empty());
    }

    public static Config load(Config overrides) {
        ConfigFactory.invalidateCaches();
        return ConfigFactory.systemProperties()
                .withFallback(overrides)
                .withFallback(ConfigFactory.parseResourcesAnySyntax("application"))
                .withFallback(ConfigFactory.parseResourcesAnySyntax("reference"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }
}
