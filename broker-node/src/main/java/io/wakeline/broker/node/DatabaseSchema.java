package io.wakeline.broker.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the journal database answers and holds the journal and snapshot tables, before the actor
 * system starts: a node whose database is unreachable refuses to start with a message naming the
 * database, instead of joining the cluster and failing every persist (the pool waits 10 s per write).
 *
 * <p>The plugin's SchemaUtils is not used: it swallows every SQLException at DEBUG (so a permission
 * error passes unseen) and its PostgreSQL script has CREATE INDEX CONCURRENTLY without IF NOT EXISTS
 * (akka-stack.md 2.2, 2.3). Our scripts (schema/*-create-schema.sql) are idempotent, so any error is real.
 */
public final class DatabaseSchema {
    private static final Logger log = LoggerFactory.getLogger(DatabaseSchema.class);
    private static final Pattern STATEMENT_END = Pattern.compile(";\\s*$", Pattern.MULTILINE);

    private DatabaseSchema() {
    }

    /** Connects to the configured journal database and creates whatever tables and indexes are missing. */
    public static void createIfMissing(Config config) {
        PersistenceBackend backend = PersistenceBackend.fromConfig(config);
        if (!config.getString(BrokerConfig.SHARED_DATABASE + ".profile").equals(config.getString(backend.databasePath() + ".profile"))) {
            throw new IllegalStateException(BrokerConfig.SHARED_DATABASE + " is not the database of " + PersistenceBackend.KEY
                    + " = " + backend.configName() + "; load the configuration with BrokerConfig");
        }
        Config db = config.getConfig(BrokerConfig.SHARED_DATABASE + ".db");
        String url = db.getString("url");
        String where = backend.configName() + " at " + withoutQuery(url) + " as user \"" + db.getString("user") + "\"";
        List<String> statements = statements(backend.schemaResource());

        Properties properties = backend.connectionProperties(config);
        properties.setProperty("user", db.getString("user"));
        properties.setProperty("password", db.getString("password"));
        try (Connection connection = connect(url, properties, where)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw new IllegalStateException("cannot create the journal schema in the " + where + ": " + e.getMessage(), e);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("journal database " + where + ": " + e.getMessage(), e);
        }
        log.info("journal database ready: {} (schema checked, {} statements)", where, statements.size());
    }

    private static Connection connect(String url, Properties properties, String where) {
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the journal database, " + where
                    + " (wakeline.persistence.*, WAKELINE_DB_URL / WAKELINE_DB_USER / WAKELINE_DB_PASSWORD): " + e.getMessage(), e);
        }
    }

    /** The URL without its query, which may carry a password. */
    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    static List<String> statements(String resource) {
        String script;
        try (InputStream in = DatabaseSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema script " + resource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String withoutComments = script.lines()
                .filter(line -> !line.strip().startsWith("--"))
                .collect(Collectors.joining("\n"));
        return Arrays.stream(STATEMENT_END.split(withoutComments))
                .map(String::strip)
                .filter(sql -> !sql.isEmpty())
                .toList();
    }
}
