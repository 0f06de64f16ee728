package io.wakeline.broker.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The journal schema is created at start, idempotently, on each backend; an unreachable database stops the node. */
class DatabaseSchemaTest {
    private static final Set<String> TABLES = Set.of("event_journal", "event_tag", "snapshot", "durable_state");
    /** Besides the primary keys; H2's journal is keyed by "ordering" with a unique index on (id, sequence). */
    private static final Map<PersistenceBackend, Set<String>> INDEXES = Map.of(
            PersistenceBackend.H2, Set.of("event_journal_persistence_id_sequence_number_idx", "state_tag_idx",
                    "state_global_offset_idx"),
            PersistenceBackend.POSTGRES, Set.of("event_journal_ordering_idx", "state_tag_idx", "state_global_offset_idx"));

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(PersistenceBackend.class)
    void creatingTheSchemaTwiceLeavesEveryTableAndIndexAndKeepsTheRows(PersistenceBackend backend) throws Exception {
        try (TestDatabase database = TestDatabase.create(backend, "schema")) {
            Config config = BrokerConfig.load(ConfigFactory.parseMap(Map.of("wakeline.data-dir", dataDir.toString()))
                    .withFallback(database.config()));
            DatabaseSchema.createIfMissing(config);
            try (Connection connection = connect(config);
                 PreparedStatement insert = connection.prepareStatement("""
                         INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot_ser_id,
                           snapshot_ser_manifest, snapshot_payload) VALUES ('Device|d1', 1, 0, 1, '', ?)""")) {
                insert.setBytes(1, new byte[] {0});
                insert.executeUpdate();
            }

            DatabaseSchema.createIfMissing(config); // a second start against the same database

            try (Connection connection = connect(config)) {
                DatabaseMetaData meta = connection.getMetaData();
                Set<String> tables = new HashSet<>();
                Set<String> indexes = new HashSet<>();
                for (String table : TABLES) {
                    try (ResultSet rs = meta.getTables(null, null, table, new String[] {"TABLE"})) {
                        while (rs.next()) {
                            tables.add(rs.getString("TABLE_NAME"));
                        }
                    }
                    try (ResultSet rs = meta.getIndexInfo(null, null, table, false, false)) {
                        while (rs.next()) {
                            indexes.add(rs.getString("INDEX_NAME"));
                        }
                    }
                }
                assertEquals(TABLES, tables);
                assertTrue(indexes.containsAll(INDEXES.get(backend)), () -> "indexes: " + indexes);
                try (ResultSet rs = connection.createStatement().executeQuery("SELECT count(*) FROM snapshot")) {
                    rs.next();
                    assertEquals(1, rs.getInt(1));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PersistenceBackend.class)
    void theJournalRefusesASecondEventWithTheSameSequenceNumberAndNumbersRowsInWriteOrder(PersistenceBackend backend)
            throws Exception {
        try (TestDatabase database = TestDatabase.create(backend, "journal")) {
            Config config = BrokerConfig.load(ConfigFactory.parseMap(Map.of("wakeline.data-dir", dataDir.toString()))
                    .withFallback(database.config()));
            DatabaseSchema.createIfMissing(config);
            try (Connection connection = connect(config)) {
                byte[] large = new byte[300_000]; // an app event log entry of many receipts is this size
                large[299_999] = 7;
                insertEvent(connection, "Device|d1", 1, new byte[] {1});
                insertEvent(connection, "Device|d2", 1, large);
                insertEvent(connection, "Device|d1", 2, new byte[] {2});
                SQLException duplicate = assertThrows(SQLException.class,
                        () -> insertEvent(connection, "Device|d1", 2, new byte[] {3}));
                assertEquals("23505", duplicate.getSQLState(), "a unique-key violation: a second writer's event fails");
                try (ResultSet rs = connection.createStatement().executeQuery(
                        "SELECT persistence_id, sequence_number, event_payload FROM event_journal ORDER BY ordering")) {
                    StringBuilder order = new StringBuilder();
                    while (rs.next()) {
                        byte[] payload = rs.getBytes(3);
                        order.append(rs.getString(1)).append('#').append(rs.getLong(2)).append('=')
                                .append(payload.length).append('/').append(payload[payload.length - 1]).append(' ');
                    }
                    assertEquals("Device|d1#1=1/1 Device|d2#1=300000/7 Device|d1#2=1/2 ", order.toString());
                }
            }
        }
    }

    @Test
    void anH2DatabaseMadeWithThePluginsOwnSchemaIsKeptAndStillWritten() throws Exception {
        try (TestDatabase database = TestDatabase.create(PersistenceBackend.H2, "plugin-schema")) {
            Config config = BrokerConfig.load(ConfigFactory.parseMap(Map.of("wakeline.data-dir", dataDir.toString()))
                    .withFallback(database.config()));
            try (Connection connection = connect(config)) {
                for (String sql : DatabaseSchema.statements("schema/h2/h2-create-schema.sql")) { // from the plugin's jar
                    connection.createStatement().execute(sql);
                }
                insertEvent(connection, "Device|d1", 1, new byte[] {1});
            }

            DatabaseSchema.createIfMissing(config); // a node of this version starting on it

            try (Connection connection = connect(config)) {
                insertEvent(connection, "Device|d1", 2, new byte[] {2});
                assertThrows(SQLException.class, () -> insertEvent(connection, "Device|d1", 2, new byte[] {3}));
                try (ResultSet rs = connection.createStatement().executeQuery("""
                        SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS
                        WHERE TABLE_NAME = 'event_journal' AND COLUMN_NAME = 'event_payload'""")) {
                    rs.next();
                    assertEquals("BINARY LARGE OBJECT", rs.getString(1), "an existing table is not changed");
                }
                try (ResultSet rs = connection.createStatement().executeQuery(
                        "SELECT count(*) FROM event_journal WHERE persistence_id = 'Device|d1'")) {
                    rs.next();
                    assertEquals(2, rs.getInt(1));
                }
            }
        }
    }

    private static void insertEvent(Connection connection, String persistenceId, long sequenceNumber, byte[] payload)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO event_journal (persistence_id, sequence_number, writer, write_timestamp, adapter_manifest,
                  event_payload, event_ser_id, event_ser_manifest) VALUES (?, ?, 'w', 0, '', ?, 1, '')""")) {
            insert.setString(1, persistenceId);
            insert.setLong(2, sequenceNumber);
            insert.setBytes(3, payload);
            insert.executeUpdate();
        }
    }

    @Test
    void anUnreachablePostgresStopsTheNodeAtOnceNamingTheDatabaseButNotThePassword() {
        int closedPort = TestNodeConfig.freePort();
        Config config = TestNodeConfig.node(dataDir, TestNodeConfig.freePort(), TestNodeConfig.freePort(), 0, """
                wakeline.persistence.backend = postgres
                wakeline.persistence.postgres.url = "jdbc:postgresql://127.0.0.1:%d/wakeline?reWriteBatchedInserts=true"
                wakeline.persistence.postgres.password = "do-not-print-me"
                """.formatted(closedPort));
        long started = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BrokerNode.start(config));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(15)) < 0, "fails fast");
        assertTrue(e.getMessage().contains("cannot connect to the journal database"), e::getMessage);
        assertTrue(e.getMessage().contains("jdbc:postgresql://127.0.0.1:" + closedPort + "/wakeline"), e::getMessage);
        assertTrue(e.getMessage().contains("WAKELINE_DB_URL"), e::getMessage);
        assertFalse(e.getMessage().contains("do-not-print-me"), e::getMessage);
    }

    private static Connection connect(Config config) throws SQLException {
        Config db = config.getConfig("akka-persistence-jdbc.shared-databases.default.db");
        return DriverManager.getConnection(db.getString("url"), db.getString("user"), db.getString("password"));
    }
}
