package io.wakeline.broker.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The database that holds the journal and snapshots ({@code wakeline.persistence.backend}): each
 * names its Slick database block under {@code wakeline.persistence.databases} and its idempotent
 * schema script under {@code schema/}.
 */
public enum PersistenceBackend {
    /** Embedded H2 file under wakeline.data-dir: one JVM, development and single-node use. */
    H2("h2"),
    /** PostgreSQL shared by every node of a cluster. */
    POSTGRES("postgres");

    public static final String KEY = "wakeline.persistence.backend";

    private final String configName;

    PersistenceBackend(String configName) {
        this.configName = configName;
    }

    /** The value of {@code wakeline.persistence.backend} that selects this backend. */
    public String configName() {
        return configName;
    }

    /** Path of this backend's Slick database definition (profile + db). */
    String databasePath() {
        return "wakeline.persistence.databases." + configName;
    }

    String schemaResource() {
        return "schema/" + configName + "-create-schema.sql";
    }

    /** Driver properties for the start-up connection, on top of user and password. */
    Properties connectionProperties(Config config) {
        Properties properties = new Properties();
        if (this == POSTGRES) {
            long seconds = Math.max(1, config.getDuration("wakeline.persistence.postgres.connect-timeout").toSeconds());
            properties.setProperty("connectTimeout", Long.toString(seconds));
            properties.setProperty("loginTimeout", Long.toString(seconds));
        }
        return properties;
    }

    public static PersistenceBackend fromConfig(Config config) {
        String value = config.getString(KEY).trim();
        return Arrays.stream(values())
                .filter(backend -> backend.configName.equalsIgnoreCase(value))
                .findFirst()
                .orElseThrow(() -> new ConfigException.BadValue(KEY, "unknown backend \"" + value + "\" (WAKELINE_DB); expected one of "
                        + Arrays.stream(values()).map(PersistenceBackend::configName).collect(Collectors.joining(", "))));
    }
}
