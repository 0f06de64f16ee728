package io.wakeline.broker.app;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
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

    public ShardedAppDirectory(ActorSystem<?> system, Duration askTimeout) {
        AppEntity.init(system);
        this.sharding = ClusterSharding.get(system);
        this.askTimeout = askTimeout;
    }

    @Override
    public CompletionStage<Boolean> isRegistered(String packageSid) {
        if (!PackageSid.isWellFormed(packageSid)) {
            return CompletableFuture.completedFuture(false);
        }
        return sharding.entityRefFor(AppEntity.ENTITY_KEY, packageSid)
                .<AppEntity.AppLookup>ask(AppEntity.Get::new, askTimeout)
                .thenApply(lookup -> lookup instanceof AppEntity.AppLookup.Found);
    }
}
