package io.wakeline.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.TestClusters;
import io.wakeline.broker.TestDatabase;
import io.wakeline.broker.app.AppEntity.AppLookup;
import io.wakeline.broker.app.AppEntity.VerifyResult;
import io.wakeline.broker.app.AppRegistry.ConfiguredAppOutcome;
import io.wakeline.broker.app.AppRegistry.PutOutcome;
import io.wakeline.broker.app.AppRegistry.RegisterOutcome;
import io.wakeline.broker.node.PersistenceBackend;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry facade over sharded app entities on a one-node cluster, messages serialized, events in
 * the node's real journal. Runs once per journal backend ({@link AppRegistryOnH2Test},
 * {@link AppRegistryOnPostgresTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppRegistryTest {
    private final PersistenceBackend backend;
    private TestDatabase database;
    private Config config;
    private ActorTestKit testKit;
    private AppRegistry registry;

    AppRegistryTest(PersistenceBackend backend) {
        this.backend = backend;
    }

    @BeforeAll
    void start(@TempDir Path dataDir) {
        if (!TestDatabase.isAvailable(backend)) {
            return; // requireDatabase() reports it on every test
        }
        database = TestDatabase.create(backend, "app_registry");
        config = TestClusters.journaledConfig(dataDir, database, "");
        startNode();
    }

    private void startNode() {
        testKit = TestClusters.startJoined("AppRegistryTest", config);
        registry = AppRegistry.create(testKit.system());
    }

    @BeforeEach
    void requireDatabase() {
        TestDatabase.require(backend);
    }

    @AfterAll
    void stop() throws Exception {
        if (testKit != null) {
            testKit.shutdownTestKit();
        }
        if (database != null) {
            database.close();
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    @Test
    void registerIsCreatedThenUnchangedThenConflictForAnotherSecret() throws Exception {
        String sid = "ms-app://S-1-15-2-10";
        assertEquals(RegisterOutcome.CREATED, await(registry.register(sid, "secret-a")));
        assertEquals(RegisterOutcome.UNCHANGED, await(registry.register(sid, "secret-a")));
        assertEquals(RegisterOutcome.CONFLICT, await(registry.register(sid, "secret-b")));
        assertEquals(VerifyResult.VERIFIED, await(registry.verify(sid, "secret-a")));
        assertEquals(VerifyResult.SECRET_MISMATCH, await(registry.verify(sid, "secret-b")));
    }

    @Test
    void putSecretCreatesOrRotates() throws Exception {
        String sid = "ms-app://S-1-15-2-11";
        assertEquals(PutOutcome.CREATED, await(registry.putSecret(sid, "first")));
        assertEquals(PutOutcome.ROTATED, await(registry.putSecret(sid, "second")));
        assertEquals(VerifyResult.SECRET_MISMATCH, await(registry.verify(sid, "first")));
        assertEquals(VerifyResult.VERIFIED, await(registry.verify(sid, "second")));
    }

    @Test
    void removeAndLookup() throws Exception {
        String sid = "ms-app://S-1-15-2-12";
        assertFalse(await(registry.isRegistered(sid)));
        assertFalse(await(registry.remove(sid)));
        await(registry.register(sid, "s"));
        assertTrue(await(registry.isRegistered(sid)));
        assertTrue(await(registry.directory().isRegistered(sid)));
        assertInstanceOf(AppLookup.Found.class, await(registry.get(sid)));
        assertTrue(await(registry.remove(sid)));
        assertFalse(await(registry.isRegistered(sid)));
        assertInstanceOf(AppLookup.NotFound.class, await(registry.get(sid)));
    }

    @Test
    void malformedSidsNeverReachAnEntity() throws Exception {
        assertEquals(VerifyResult.NOT_REGISTERED, await(registry.verify("S-1-15-2-1", "s")));
        assertFalse(await(registry.isRegistered("../etc")));
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(registry.register("nope", "s")));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertThrows(ExecutionException.class, () -> await(registry.register("ms-app://S-1", "")));
    }

    @Test
    void configuredAppsAreRegisteredIdempotently() throws Exception {
        Config config = ConfigFactory.parseString("""
                wakeline.apps = [
                  { package-sid = "ms-app://S-1-15-2-20", client-secret = "configured-one" },
                  {},
                  { package-sid = "ms-app://S-1-15-2-21", client-secret = "configured-two" }
                ]
                """);
        assertEquals(Map.of("ms-app://S-1-15-2-20", ConfiguredAppOutcome.REGISTERED,
                "ms-app://S-1-15-2-21", ConfiguredAppOutcome.REGISTERED), await(registry.registerConfiguredApps(config)));
        assertEquals(Map.of("ms-app://S-1-15-2-20", ConfiguredAppOutcome.UNCHANGED,
                "ms-app://S-1-15-2-21", ConfiguredAppOutcome.UNCHANGED), await(registry.registerConfiguredApps(config)));

        Config changed = ConfigFactory.parseString("""
                wakeline.apps = [ { package-sid = "ms-app://S-1-15-2-21", client-secret = "configured-two-rotated" } ]
                """);
        assertEquals(Map.of("ms-app://S-1-15-2-21", ConfiguredAppOutcome.SECRET_UPDATED),
                await(registry.registerConfiguredApps(changed)));
        assertEquals(VerifyResult.VERIFIED, await(registry.verify("ms-app://S-1-15-2-21", "configured-two-rotated")));
        assertEquals(VerifyResult.VERIFIED, await(registry.verify("ms-app://S-1-15-2-20", "configured-one")));
    }

    @Test
    void registrationsRotationsAndRemovalsSurviveARestartOfTheNode() throws Exception {
        String kept = "ms-app://S-1-15-2-30";
        String rotated = "ms-app://S-1-15-2-31";
        String removed = "ms-app://S-1-15-2-32";
        assertEquals(RegisterOutcome.CREATED, await(registry.register(kept, "kept-secret")));
        assertEquals(PutOutcome.CREATED, await(registry.putSecret(rotated, "before")));
        assertEquals(PutOutcome.ROTATED, await(registry.putSecret(rotated, "after")));
        await(registry.register(removed, "gone"));
        assertTrue(await(registry.remove(removed)));

        testKit.shutdownTestKit();
        startNode(); // same journal database, new actor system: every app entity recovers from its events

        assertEquals(VerifyResult.VERIFIED, await(registry.verify(kept, "kept-secret")));
        assertEquals(VerifyResult.VERIFIED, await(registry.verify(rotated, "after")));
        assertEquals(VerifyResult.SECRET_MISMATCH, await(registry.verify(rotated, "before")));
        assertFalse(await(registry.isRegistered(removed)));
        assertEquals(RegisterOutcome.UNCHANGED, await(registry.register(kept, "kept-secret")));
    }

    @Test
    void aBrokenAppsListFailsTheStage() {
        Config broken = ConfigFactory.parseString("wakeline.apps = [ { package-sid = \"ms-app://S-1\" } ]");
        assertThrows(ExecutionException.class, () -> await(registry.registerConfiguredApps(broken)));
    }
}
