package io.wakeline.broker.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The node's configuration: system properties over {@code overrides} over the operator's
 * {@code -Dconfig.file} over application.conf over reference.conf, resolved once at the end so that a value like {@code wakeline.data-dir} changed by an
 * override also moves everything derived from it (the H2 URL).
 *
 * <p>The journal's shared database ({@code akka-persistence-jdbc.shared-databases.default}) is the block
 * of {@code wakeline.persistence.databases} named by {@code wakeline.persistence.backend}. HOCON cannot
 * choose by value, so the layers are resolved once to read the backend, then again with the chosen block
 * put in place of the H2 default; everything derived from the shared database (the journal's write
 * parallelism follows its pool size) follows the choice.
 */
public final class BrokerConfig {
    static final String SHARED_DATABASE = "akka-persistence-jdbc.shared-databases.default";

    private BrokerConfig() {
    }

    public static Config load() {
        return load(ConfigFactory.empty());
    }

    /**
     * The operator's file named by {@code -Dconfig.file} (as Typesafe Config's own loader would use), layered
     * over application.conf so it overrides the defaults; empty when not set. A named file that does not
     * exist is an error, not silently ignored.
     */
    static Config operatorFile() {
        String path = System.getProperty("config.file");
        if (path == null || path.isBlank()) {
            return ConfigFactory.empty();
        }
        return ConfigFactory.parseFile(new java.io.File(path),
                com.typesafe.config.ConfigParseOptions.defaults().setAllowMissing(false));
    }

    public static Config load(Config overrides) {
        ConfigFactory.invalidateCaches();
        Config layers = ConfigFactory.systemProperties()
                .withFallback(overrides)
                .withFallback(operatorFile())
                .withFallback(ConfigFactory.parseResourcesAnySyntax("application"))
                .withFallback(ConfigFactory.parseResourcesAnySyntax("reference"))
                .withFallback(ConfigFactory.defaultReference());
        PersistenceBackend backend = PersistenceBackend.fromConfig(layers.resolve());
        // withoutPath, not a merge: no key of the H2 block may survive under the chosen one
        return ConfigFactory.parseString(SHARED_DATABASE + " = ${" + backend.databasePath() + "}")
                .withFallback(layers.withoutPath(SHARED_DATABASE))
                .resolve();
    }
}
