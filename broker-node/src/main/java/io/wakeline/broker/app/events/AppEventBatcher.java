package io.wakeline.broker.app.events;

import akka.Done;
import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.wakeline.broker.AkkaStages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per node: gathers the events published for each app for up to {@code batch.max-delay} or
 * {@code batch.max-events}, then sends the app's {@link AppEventLog} one {@link AppEventLog.Record} (one journal
 * write) and completes every publisher of the batch with its outcome. Batches of one app leave in publish
 * order, and one sender's messages to an entity arrive in order, so the log keeps the publish order.
 *
 * <p>Every publish is completed: by its batch's write (bounded by {@code record-timeout}), or failed when the batcher
 * stops with it still gathered. Publishers therefore add no timeout of their own (one bound per hop).
 */
public final class AppEventBatcher extends AbstractBehavior<AppEventBatcher.Command> {
    private static final Logger log = LoggerFactory.getLogger(AppEventBatcher.class);

    /** Local only: carries a future, never crosses the network. */
    public sealed interface Command extends NoSerializationVerificationNeeded {
    }

    public record Publish(String appId, List<AppEvent> events, CompletableFuture<Done> done) implements Command {
    }

    private record Flush(String appId) implements Command {
    }

    private static final class Pending {
        final List<AppEvent> events = new ArrayList<>();
        final List<CompletableFuture<Done>> waiters = new ArrayList<>();
    }

    public static Behavior<Command> create(AppEventsSettings settings) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new AppEventBatcher(ctx, timers, settings)));
    }

    private final TimerScheduler<Command> timers;
    private final AppEventsSettings settings;
    private final ClusterSharding sharding;
    private final Map<String, Pending> pending = new HashMap<>();

    private AppEventBatcher(ActorContext<Command> ctx, TimerScheduler<Command> timers, AppEventsSettings settings) {
        super(ctx);
        this.timers = timers;
        this.settings = settings;
        this.sharding = ClusterSharding.get(ctx.getSystem());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Publish.class, this::onPublish)
                .onMessage(Flush.class, this::onFlush)
                .onSignal(PostStop.class, stop -> onStop())
                .build();
    }

    private Behavior<Command> onPublish(Publish publish) {
        Pending batch = pending.computeIfAbsent(publish.appId(), appId -> {
            timers.startSingleTimer(appId, new Flush(appId), settings.batchMaxDelay());
            return new Pending();
        });
        batch.events.addAll(publish.events());
        batch.waiters.add(publish.done());
        if (batch.events.size() >= settings.batchMaxEvents()) {
            timers.cancel(publish.appId());
            send(publish.appId(), pending.remove(publish.appId()));
        }
        return this;
    }

    private Behavior<Command> onFlush(Flush flush) {
        Pending batch = pending.remove(flush.appId());
        if (batch != null) {
            send(flush.appId(), batch);
        }
        return this;
    }

    private Behavior<Command> onStop() {
        IllegalStateException stopped = new IllegalStateException("app event batcher stopped");
        pending.values().forEach(batch -> batch.waiters.forEach(w -> w.completeExceptionally(stopped)));
        return this;
    }

    private void send(String appId, Pending batch) {
        List<AppEvent> events = List.copyOf(batch.events);
        AkkaStages.on(sharding.entityRefFor(AppEventLog.ENTITY_KEY, appId)
                        .<AppEventLog.Recorded>ask(replyTo -> new AppEventLog.Record(events, replyTo), settings.recordTimeout()),
                        getContext().getExecutionContext())
                .whenComplete((recorded, failure) -> {
                    if (failure != null) {
                        log.warn("App events not recorded appId={} events={} reason={}", appId, events.size(),
                                failure.toString());
                        batch.waiters.forEach(w -> w.completeExceptionally(failure));
                    } else {
                        log.debug("App events recorded appId={} recorded={} duplicates={}", appId,
                                recorded.recorded(), recorded.duplicates());
                        batch.waiters.forEach(w -> w.complete(Done.getInstance()));
                    }
                });
    }
}
