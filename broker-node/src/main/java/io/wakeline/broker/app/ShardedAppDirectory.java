package io.wakeline.broker.app;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.wakeline.broker.AkkaStages;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link AppDirectory} over the sharded {@link AppEntity}s (starting their sharding if nobody has yet).
 * Malformed SIDs are answered without an ask.
 */
public final class ShardedAppDirectory implements AppDirectory {
    private final ClusterSharding sharding;
    private final Duration askTimeout;
    private final java.util.concurrent.Executor executor;

    public ShardedAppDirectory(ActorSystem<?> system, Duration askTimeout) {
        AppEntity.init(system);
        this.sharding = ClusterSharding.get(system);
        this.askTimeout = askTimeout;
        this.executor = system.executionContext();
    }

    @Override
    public CompletionStage<Boolean> isRegistered(String packageSid) {
        if (!PackageSid.isWellFormed(packageSid)) {
            return CompletableFuture.completedFuture(false);
        }
        return AkkaStages.on(sharding.entityRefFor(AppEntity.ENTITY_KEY, packageSid)
                        .<AppEntity.AppLookup>ask(AppEntity.Get::new, askTimeout), executor)
                .thenApply(lookup -> lookup instanceof AppEntity.AppLookup.Found);
    }
}
