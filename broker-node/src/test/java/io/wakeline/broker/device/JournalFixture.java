package io.wakeline.broker.device;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * Journal rows, snapshot rows and serialized messages written by an older build, checked in under
 * {@code src/test/resources/fixtures/}, and the plain JSON view of a serialized object that both the writer of a
 * fixture and the tests reading it compare.
 *
 * <p>A fixture file is JSON: {@code events} and {@code snapshots} are the rows of the plugin's tables as the
 * journal wrote them (payloads in base64), {@code wire} holds serialized cross-node messages, and {@code expected}
 * what the writing build showed for them.
 */
final class JournalFixture {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

    private JournalFixture() {
    }

    record EventRow(String persistenceId, long sequenceNumber, String writer, long writeTimestamp,
                    String adapterManifest, int serId, String serManifest, String payload) {
    }

    record SnapshotRow(String persistenceId, long sequenceNumber, long created, int serId, String serManifest,
                       String payload) {
    }

    /** One serialized message: its serializer, its manifest and its bytes (base64). */
    record WireMessage(String name, int serId, String manifest, String payload) {
    }

    static JsonNode read(String resource) {
        try (InputStream in = JournalFixture.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + resource);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, JsonNode content) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> List<T> list(JsonNode array, Class<T> type) {
        List<T> out = new ArrayList<>();
        array.forEach(node -> out.add(JSON.convertValue(node, type)));
        return out;
    }

    // ---- serialized forms ----------------------------------------------------------------------------

    static WireMessage serialize(ActorSystem<?> system, String name, Object message) {
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(system));
        Serializer serializer = serialization.findSerializerFor(message);
        byte[] bytes = serialization.serialize(message).get();
        return new WireMessage(name, serializer.identifier(), Serializers.manifestFor(serializer, message),
                Base64.getEncoder().encodeToString(bytes));
    }

    static Object deserialize(ActorSystem<?> system, int serId, String manifest, String payload) {
        return SerializationExtension.get(Adapter.toClassic(system))
                .deserialize(Base64.getDecoder().decode(payload), serId, manifest).get();
    }

    /**
     * What a serialized message says, as plain JSON: its CBOR read as a tree. Arrays of plain values are sorted,
     * since sets (lock-screen tasks, registered triggers) come out in an order that changes from JVM to JVM.
     */
    static JsonNode tree(ActorSystem<?> system, Object message) {
        return tree(Base64.getDecoder().decode(serialize(system, "", message).payload()));
    }

    static JsonNode tree(byte[] cbor) {
        try {
            JsonNode json = JSON.readTree(JSON.writeValueAsBytes(CBOR.readTree(cbor)));
            return normalized(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode normalized(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                object.set(name, normalized(object.get(name)));
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            List<JsonNode> items = new ArrayList<>();
            array.forEach(item -> items.add(normalized(item)));
            if (items.stream().allMatch(JsonNode::isValueNode)) {
                items.sort((a, b) -> a.toString().compareTo(b.toString()));
            }
            ArrayNode sorted = JSON.createArrayNode();
            items.forEach(sorted::add);
            return sorted;
        }
        return node;
    }

    // ---- the plugin's tables -------------------------------------------------------------------------

    /** Every event and snapshot row in the journal database of {@code config}, in key order. */
    static ObjectNode readRows(Config config) throws SQLException {
        ObjectNode rows = JSON.createObjectNode();
        ArrayNode events = rows.putArray("events");
        ArrayNode snapshots = rows.putArray("snapshots");
        try (Connection connection = connect(config)) {
            try (ResultSet rs = connection.createStatement().executeQuery("""
                    SELECT persistence_id, sequence_number, writer, write_timestamp, adapter_manifest, event_ser_id,
                           event_ser_manifest, event_payload
                    FROM event_journal WHERE deleted = false ORDER BY persistence_id, sequence_number""")) {
                while (rs.next()) {
                    events.add(JSON.valueToTree(new EventRow(rs.getString(1), rs.getLong(2), rs.getString(3),
                            rs.getLong(4), rs.getString(5), rs.getInt(6), rs.getString(7),
                            Base64.getEncoder().encodeToString(rs.getBytes(8)))));
                }
            }
            try (ResultSet rs = connection.createStatement().executeQuery("""
                    SELECT persistence_id, sequence_number, created, snapshot_ser_id, snapshot_ser_manifest,
                           snapshot_payload
                    FROM snapshot ORDER BY persistence_id, sequence_number""")) {
                while (rs.next()) {
                    snapshots.add(JSON.valueToTree(new SnapshotRow(rs.getString(1), rs.getLong(2), rs.getLong(3),
                            rs.getInt(4), rs.getString(5), Base64.getEncoder().encodeToString(rs.getBytes(6)))));
                }
            }
        }
        return rows;
    }

    /** Writes the rows into the (empty) journal tables of {@code config}'s database, as the journal would have. */
    static void loadRows(Config config, List<EventRow> events, List<SnapshotRow> snapshots) throws SQLException {
        try (Connection connection = connect(config)) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO event_journal (deleted, persistence_id, sequence_number, writer, write_timestamp,
                      adapter_manifest, event_payload, event_ser_id, event_ser_manifest)
                    VALUES (false, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (EventRow row : events) {
                    insert.setString(1, row.persistenceId());
                    insert.setLong(2, row.sequenceNumber());
                    insert.setString(3, row.writer());
                    insert.setLong(4, row.writeTimestamp());
                    insert.setString(5, row.adapterManifest());
                    insert.setBytes(6, Base64.getDecoder().decode(row.payload()));
                    insert.setInt(7, row.serId());
                    insert.setString(8, row.serManifest());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot_ser_id,
                      snapshot_ser_manifest, snapshot_payload) VALUES (?, ?, ?, ?, ?, ?)""")) {
                for (SnapshotRow row : snapshots) {
                    insert.setString(1, row.persistenceId());
                    insert.setLong(2, row.sequenceNumber());
                    insert.setLong(3, row.created());
                    insert.setInt(4, row.serId());
                    insert.setString(5, row.serManifest());
                    insert.setBytes(6, Base64.getDecoder().decode(row.payload()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }
    }

    private static Connection connect(Config config) throws SQLException {
        Config db = config.getConfig("akka-persistence-jdbc.shared-databases.default.db");
        return DriverManager.getConnection(db.getString("url"), db.getString("user"), db.getString("password"));
    }
}
