package io.wakeline.broker.app;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import com.typesafe.config.Config;
import io.wakeline.broker.app.AppEntity.AppLookup;
import io.wakeline.broker.app.AppEntity.RegisterResult;
import io.wakeline.broker.app.AppEntity.RemoveResult;
import io.wakeline.broker.app.AppEntity.RotateResult;
import io.wakeline.broker.app.AppEntity.VerifyResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway's routes and the node's start-up ask of the app registry, over sharding asks.
 *
 * <p>Secrets are hashed here, on the hashing dispatcher, before they travel to an entity; only
 * {@link #verify} sends a clear secret (to the entity holding the hash). Methods expect well-formed
 * package SIDs ({@link PackageSid#isWellFormed}); routes validate first, and a malformed SID here fails
 * the stage with {@link IllegalArgumentException} (except {@code verify}/{@code get}/{@code isRegistered},
 * which simply answer "not registered" without creating an entity).
 */
public final class AppRegistry {
    /** Attempts per configured app at start, one ask timeout each (see {@link #ensureRegisteredPatiently}). */
    static final int CONFIGURED_APP_ATTEMPTS = 12;

    private static final Logger log = LoggerFactory.getLogger(AppRegistry.class);

    /** Answer to {@link #register}: the admin API maps these to 201 / 200 / 409. */
    public enum RegisterOutcome {
        CREATED,
        UNCHANGED,
        CONFLICT
    }

    /** Answer to {@link #putSecret}: 201 when the app was new, 200 when its secret was replaced. */
    public enum PutOutcome {
        CREATED,
        ROTATED
    }

    /** What start-up did for one configured app. */
    public enum ConfiguredAppOutcome {
        REGISTERED,
        UNCHANGED,
        SECRET_UPDATED
    }

    private final ClusterSharding sharding;
    private final AppRegistrySettings settings;
    private final Executor hashing;
    private final ShardedAppDirectory directory;

    /** Starts sharding for {@link AppEntity} (idempotent) and reads settings from the system's config. */
    public static AppRegistry create(ActorSystem<?> system) {
        return new AppRegistry(system, AppRegistrySettings.fromConfig(system.settings().config()));
    }

    public AppRegistry(ActorSystem<?> system, AppRegistrySettings settings) {
        AppEntity.init(system);
        this.sharding = ClusterSharding.get(system);
        this.settings = settings;
        this.hashing = system.dispatchers().lookup(DispatcherSelector.fromConfig(AppRegistrySettings.HASHING_DISPATCHER));
        this.directory = new ShardedAppDirectory(system, settings.askTimeout());
    }

    /** The read side handed to the device side. */
    public AppDirectory directory() {
        return directory;
    }

    /**
     * Registers a new app. Identical re-registration is {@link RegisterOutcome#UNCHANGED}; an existing app
     * with another secret is {@link RegisterOutcome#CONFLICT} and keeps its secret.
     */
    public CompletionStage<RegisterOutcome> register(String packageSid, String clientSecret) {
        return checked(packageSid, clientSecret)
                .thenCompose(ok -> hash(clientSecret))
                .thenCompose(hash -> app(packageSid).<RegisterResult>ask(
                        replyTo -> new AppEntity.Register(hash, replyTo), settings.askTimeout()))
                .thenCompose(result -> switch (result) {
                    case REGISTERED -> CompletableFuture.completedFuture(RegisterOutcome.CREATED);
                    case ALREADY_REGISTERED -> verify(packageSid, clientSecret).thenApply(v ->
                            v == VerifyResult.VERIFIED ? RegisterOutcome.UNCHANGED : RegisterOutcome.CONFLICT);
                });
    }

    /** Sets the app's secret: registers the app if unknown, otherwise rotates its secret. */
    public CompletionStage<PutOutcome> putSecret(String packageSid, String clientSecret) {
        return checked(packageSid, clientSecret)
                .thenCompose(ok -> hash(clientSecret))
                .thenCompose(hash -> app(packageSid).<RegisterResult>ask(
                                replyTo -> new AppEntity.Register(hash, replyTo), settings.askTimeout())
                        .thenCompose(result -> switch (result) {
                            case REGISTERED -> CompletableFuture.completedFuture(PutOutcome.CREATED);
                            case ALREADY_REGISTERED -> rotate(packageSid, hash).thenApply(r -> PutOutcome.ROTATED);
                        }));
    }

    public CompletionStage<VerifyResult> verify(String packageSid, String clientSecret) {
        if (!PackageSid.isWellFormed(packageSid) || clientSecret == null || clientSecret.isEmpty()) {
            return CompletableFuture.completedFuture(VerifyResult.NOT_REGISTERED);
        }
        return app(packageSid).ask(replyTo -> new AppEntity.Verify(clientSecret, replyTo), settings.askTimeout());
    }

    public CompletionStage<Boolean> isRegistered(String packageSid) {
        return directory.isRegistered(packageSid);
    }

    public CompletionStage<AppLookup> get(String packageSid) {
        if (!PackageSid.isWellFormed(packageSid)) {
            return CompletableFuture.completedFuture(new AppLookup.NotFound(packageSid));
        }
        return app(packageSid).ask(AppEntity.Get::new, settings.askTimeout());
    }

    /** True when the app was registered and is now removed. Tokens already issued stay valid until they expire. */
    public CompletionStage<Boolean> remove(String packageSid) {
        if (!PackageSid.isWellFormed(packageSid)) {
            return CompletableFuture.completedFuture(false);
        }
        return app(packageSid).<RemoveResult>ask(AppEntity.Remove::new, settings.askTimeout())
                .thenApply(r -> r == RemoveResult.REMOVED);
    }

    /**
     * Registers the apps listed in {@code wakeline.apps}, idempotently: an app whose stored hash already
     * verifies the configured secret is left alone, an app with another secret gets the configured one.
     * Apps are handled one after the other, which bounds the hashing work at start.
     */
    public CompletionStage<Map<String, ConfiguredAppOutcome>> registerConfiguredApps(Config config) {
        List<ConfiguredApp> apps;
        try {
            apps = ConfiguredApp.fromConfig(config);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Map<String, ConfiguredAppOutcome> outcomes = new LinkedHashMap<>();
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (ConfiguredApp app : apps) {
            chain = chain.thenCompose(ignored -> ensureRegisteredPatiently(app, 1)).thenAccept(outcome -> {
                outcomes.put(app.packageSid(), outcome);
                log.info("Configured app packageSid={} outcome={}", app.packageSid(), outcome);
            });
        }
        return chain.thenApply(ignored -> outcomes);
    }

    /**
     * While a cluster forms (several nodes starting at once, a busy machine) the app shards may not answer within
     * one ask timeout; registering is idempotent, so a timed-out attempt is repeated rather than failing the start.
     */
    private CompletionStage<ConfiguredAppOutcome> ensureRegisteredPatiently(ConfiguredApp app, int attempt) {
        return ensureRegistered(app).handle((outcome, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(outcome);
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            boolean timedOut = cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof akka.pattern.AskTimeoutException;
            if (!timedOut || attempt >= CONFIGURED_APP_ATTEMPTS) {
                return CompletableFuture.<ConfiguredAppOutcome>failedFuture(cause);
            }
            log.info("Configured app packageSid={} not registered yet (attempt {} of {}: {}); trying again",
                    app.packageSid(), attempt, CONFIGURED_APP_ATTEMPTS, cause.toString());
            return ensureRegisteredPatiently(app, attempt + 1);
        }).thenCompose(stage -> stage);
    }

    private CompletionStage<ConfiguredAppOutcome> ensureRegistered(ConfiguredApp app) {
        return hash(app.clientSecret())
                .thenCompose(hash -> app(app.packageSid()).<RegisterResult>ask(
                                replyTo -> new AppEntity.Register(hash, replyTo), settings.askTimeout())
                        .thenCompose(result -> switch (result) {
                            case REGISTERED -> CompletableFuture.completedFuture(ConfiguredAppOutcome.REGISTERED);
                            case ALREADY_REGISTERED -> verify(app.packageSid(), app.clientSecret())
                                    .thenCompose(v -> v == VerifyResult.VERIFIED
                                            ? CompletableFuture.completedFuture(ConfiguredAppOutcome.UNCHANGED)
                                            : rotate(app.packageSid(), hash)
                                                    .thenApply(r -> ConfiguredAppOutcome.SECRET_UPDATED));
                        }));
    }

    private CompletionStage<RotateResult> rotate(String packageSid, SecretHash hash) {
        return app(packageSid).<RotateResult>ask(replyTo -> new AppEntity.RotateSecret(hash, replyTo), settings.askTimeout())
                .thenCompose(result -> result == RotateResult.ROTATED
                        ? CompletableFuture.completedFuture(result)
                        // removed between our two asks: nothing sensible to do but report it
                        : CompletableFuture.failedFuture(new IllegalStateException(
                                "app " + packageSid + " was removed while its secret was being set")));
    }

    private CompletionStage<SecretHash> hash(String clientSecret) {
        return CompletableFuture.supplyAsync(() -> SecretHash.of(clientSecret, settings.pbkdf2Iterations()), hashing);
    }

    private EntityRef<AppEntity.Command> app(String packageSid) {
        return sharding.entityRefFor(AppEntity.ENTITY_KEY, packageSid);
    }

    private static CompletionStage<Boolean> checked(String packageSid, String clientSecret) {
        if (!PackageSid.isWellFormed(packageSid)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a package SID: " + packageSid));
        }
        if (clientSecret == null || clientSecret.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("empty client secret"));
        }
        return CompletableFuture.completedFuture(true);
    }
}
