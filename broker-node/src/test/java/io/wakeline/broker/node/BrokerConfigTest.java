package io.wakeline.broker.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** wakeline.persistence.backend decides what akka-persistence-jdbc's shared database is. */
class BrokerConfigTest {
    private static final String SHARED_DB = "akka-persistence-jdbc.shared-databases.default";

    private static Config load(String hocon) {
        return BrokerConfig.load(ConfigFactory.parseString(hocon));
    }

    @Test
    void h2IsAFileUnderTheDataDir() {
        Config config = load("""
                wakeline.persistence.backend = h2
                wakeline.data-dir = "/var/lib/wakeline"
                """);
        assertEquals(PersistenceBackend.H2, PersistenceBackend.fromConfig(config));
        assertEquals("slick.jdbc.H2Profile$", config.getString(SHARED_DB + ".profile"));
        assertEquals("org.h2.Driver", config.getString(SHARED_DB + ".db.driver"));
        assertEquals("jdbc:h2:file:/var/lib/wakeline/broker;DATABASE_TO_UPPER=false;WRITE_DELAY=0", config.getString(SHARED_DB + ".db.url"));
        assertEquals(1, config.getInt("jdbc-journal.parallelism"), "one write batch in flight: journal-level group commit");
        assertEquals("default", config.getString("jdbc-journal.use-shared-db"));
        assertEquals("default", config.getString("jdbc-snapshot-store.use-shared-db"));
    }

    @Test
    void postgresGetsItsProfileDriverUrlCredentialsAndPool() {
        Config config = load("""
                wakeline.persistence.backend = postgres
                wakeline.persistence.postgres {
                  url = "jdbc:postgresql://db.internal:5432/push?reWriteBatchedInserts=true"
                  user = "broker"
                  password = "s3cret"
                  max-connections = 7
                  connect-timeout = 3s
                }
                """);
        assertEquals(PersistenceBackend.POSTGRES, PersistenceBackend.fromConfig(config));
        Config db = config.getConfig(SHARED_DB + ".db");
        assertEquals("slick.jdbc.PostgresProfile$", config.getString(SHARED_DB + ".profile"));
        assertEquals("org.postgresql.Driver", db.getString("driver"));
        assertEquals("jdbc:postgresql://db.internal:5432/push?reWriteBatchedInserts=true", db.getString("url"));
        assertEquals("broker", db.getString("user"));
        assertEquals("s3cret", db.getString("password"));
        assertEquals(7, db.getInt("maxConnections"));
        assertEquals(7, db.getInt("numThreads"));
        assertEquals(3000, db.getDuration("connectionTimeout").toMillis());
        assertTrue(config.getInt("jdbc-journal.parallelism") <= db.getInt("maxConnections"), "write batches in flight <= pool");
        // the H2 block is replaced, not merged under: nothing of it survives
        assertEquals(config.getConfig("wakeline.persistence.databases.postgres").root().keySet(),
                config.getConfig(SHARED_DB).root().keySet());
        assertEquals(config.getConfig("wakeline.persistence.databases.postgres.db").root().keySet(), db.root().keySet());
    }

    @Test
    void theBackendNameIsCaseInsensitive() {
        assertEquals(PersistenceBackend.POSTGRES, PersistenceBackend.fromConfig(load("wakeline.persistence.backend = PostgreS")));
    }

    @Test
    void anUnknownBackendIsRefusedNamingTheKeyAndTheChoices() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("wakeline.persistence.backend = mysql"));
        assertTrue(e.getMessage().contains("wakeline.persistence.backend"), e::getMessage);
        assertTrue(e.getMessage().contains("h2, postgres"), e::getMessage);
    }

    @Test
    void anOperatorFileNamedByConfigFileOverridesTheDefaults(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("node.conf");
        java.nio.file.Files.writeString(file, "wakeline.device-gateway.port = 9911\nwakeline.data-dir = \"/srv/wakeline\"\n");
        String previous = System.getProperty("config.file");
        System.setProperty("config.file", file.toString());
        try {
            Config config = load("");
            assertEquals(9911, config.getInt("wakeline.device-gateway.port"));
            assertTrue(config.getString(SHARED_DB + ".db.url").contains("/srv/wakeline/broker"), "derived values follow the file");
            System.setProperty("config.file", dir.resolve("missing.conf").toString());
            org.junit.jupiter.api.Assertions.assertThrows(com.typesafe.config.ConfigException.class, () -> load(""));
        } finally {
            if (previous == null) {
                System.clearProperty("config.file");
            } else {
                System.setProperty("config.file", previous);
            }
        }
    }
}
