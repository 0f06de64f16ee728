package io.wakeline.broker.app.events;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link AppEventPublisher} onto the sharded {@link AppEventLog}s, through this node's {@link AppEventBatcher}.
 * A publish completes when its batch is recorded, and fails when the write fails or does not finish within
 * {@code wakeline.app-events.record-timeout} (the batcher's one bound; a publish adds no timeout of its own).
 * Call {@link AppEventLog#init} on the node first (entities may live on other nodes with the entity role).
 */
public final class ShardedAppEventPublisher implements AppEventPublisher {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ActorRef<AppEventBatcher.Command> batcher;

    public ShardedAppEventPublisher(ActorSystem<?> system, AppEventsSettings settings) {
        this.batcher = system.systemActorOf(AppEventBatcher.create(settings),
                "app-event-batcher-" + INSTANCES.incrementAndGet(), Props.empty());
    }

    @Override
    public CompletionStage<Done> publish(String appId, List<AppEvent> events) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        CompletableFuture<Done> done = new CompletableFuture<>();
        batcher.tell(new AppEventBatcher.Publish(appId, List.copyOf(events), done));
        return done;
    }
}
