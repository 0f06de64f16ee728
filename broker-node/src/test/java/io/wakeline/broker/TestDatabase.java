package io.wakeline.broker;

import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.wakeline.broker.node.PersistenceBackend;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The journal database of a persistence test on one backend. H2 lives in the test's data dir, so it is
 * fresh per test already. PostgreSQL gets a database of its own, created through the admin database named
 * by WAKELINE_TEST_PG_URL / _USER / _PASSWORD and dropped on {@link #close()}, so tests are isolated and
 * re-runnable. Without those variables a PostgreSQL test fails when CI=true (CI cannot go green without
 * PostgreSQL) and is skipped with the reason otherwise.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String URL_ENV = "WAKELINE_TEST_PG_URL";
    public static final String USER_ENV = "WAKELINE_TEST_PG_USER";
    public static final String PASSWORD_ENV = "WAKELINE_TEST_PG_PASSWORD";
    private static final String DATABASE_PREFIX = "wakeline_test_";

    private final PersistenceBackend backend;
    private final Config config;
    private final String postgresDatabase;

    private TestDatabase(PersistenceBackend backend, Config config, String postgresDatabase) {
        this.backend = backend;
        this.config = config;
        this.postgresDatabase = postgresDatabase;
    }

    /** The embedded default: an H2 file under the node's data dir. */
    public static TestDatabase h2() {
        return new TestDatabase(PersistenceBackend.H2, backendConfig(PersistenceBackend.H2), null);
    }

    /** A fresh database on {@code backend}; {@code purpose} goes into the PostgreSQL database's name. */
    public static TestDatabase create(PersistenceBackend backend, String purpose) {
        return switch (backend) {
            case H2 -> h2();
            case POSTGRES -> createPostgres(purpose);
        };
    }

    public PersistenceBackend backend() {
        return backend;
    }

    /** {@code wakeline.persistence.*} overrides selecting this database; put them under a node's config. */
    public Config config() {
        return config;
    }

    /** Drops the PostgreSQL database, closing whatever connections a stopped node left open. */
    @Override
    public void close() throws SQLException {
        if (postgresDatabase == null) {
            return;
        }
        try (Connection admin = adminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + postgresDatabase + "\" WITH (FORCE)");
        }
    }

    @Override
    public String toString() {
        return postgresDatabase == null ? backend.configName() : backend.configName() + " database " + postgresDatabase;
    }

    private static TestDatabase createPostgres(String purpose) {
        require(PersistenceBackend.POSTGRES);
        String name = DATABASE_PREFIX + purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        if (name.length() > 63) { // PostgreSQL identifiers
            name = DATABASE_PREFIX + name.substring(name.length() - 63 + DATABASE_PREFIX.length());
        }
        try (Connection admin = adminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " through " + System.getenv(URL_ENV)
                    + " (the role needs CREATEDB): " + e.getMessage(), e);
        }
        Config config = backendConfig(PersistenceBackend.POSTGRES)
                .withValue("wakeline.persistence.postgres.url", ConfigValueFactory.fromAnyRef(urlOf(name)))
                .withValue("wakeline.persistence.postgres.user", ConfigValueFactory.fromAnyRef(System.getenv(USER_ENV)))
                .withValue("wakeline.persistence.postgres.password", ConfigValueFactory.fromAnyRef(password()));
        return new TestDatabase(PersistenceBackend.POSTGRES, config, name);
    }

    /** Whether tests on {@code backend} can run here: always for H2, with the variables above for PostgreSQL. */
    public static boolean isAvailable(PersistenceBackend backend) {
        return backend == PersistenceBackend.H2 || (isSet(System.getenv(URL_ENV)) && isSet(System.getenv(USER_ENV)));
    }

    /**
     * Ends the calling test unless {@code backend} is available: a failure when CI=true, a skip with the
     * reason otherwise. Test classes that set up in {@code @BeforeAll} call it from {@code @BeforeEach}
     * too, so each of their tests reports the reason (a class-level skip shows up as no test at all).
     */
    public static void require(PersistenceBackend backend) {
        if (isAvailable(backend)) {
            return;
        }
        String reason = "PostgreSQL variant: set " + URL_ENV + " (e.g. jdbc:postgresql://127.0.0.1:5432/wakeline), "
                + USER_ENV + " and " + PASSWORD_ENV + " for a role with CREATEDB; .ci/run installs PostgreSQL and sets them";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + ". CI=true, so the PostgreSQL variants must run.");
        }
        Assumptions.abort("skipped, " + reason);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** The admin URL with its database replaced by {@code database}, and the driver option production uses. */
    private static String urlOf(String database) {
        String admin = System.getenv(URL_ENV);
        int query = admin.indexOf('?');
        String base = query < 0 ? admin : admin.substring(0, query);
        String params = query < 0 ? "" : admin.substring(query + 1);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        String server = slash < 0 ? base : base.substring(0, slash);
        if (!params.contains("reWriteBatchedInserts")) {
            params = params.isEmpty() ? "reWriteBatchedInserts=true" : params + "&reWriteBatchedInserts=true";
        }
        return server + "/" + database + "?" + params;
    }

    private static Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(System.getenv(URL_ENV), System.getenv(USER_ENV), password());
    }

    private static String password() {
        String password = System.getenv(PASSWORD_ENV);
        return password == null ? "" : password;
    }

    private static Config backendConfig(PersistenceBackend backend) {
        return ConfigFactory.empty().withValue(PersistenceBackend.KEY, ConfigValueFactory.fromAnyRef(backend.configName()));
    }
}
