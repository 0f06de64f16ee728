package io.wakeline.broker.app.events;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.SnapshotAdapter;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import io.wakeline.broker.CborSerializable;
import java.time.Duration;
import java.util.List;

/**
 * One app's event log (issue "fate to the sender"): its {@link AppEvent}s in the order they were recorded,
 * one journal event each, so an event's sequence number is its id on the event stream ({@code GET /events}).
 *
 * <p>The entity id is the package SID; the persistence id is {@code AppEvents|<packageSid>}. A {@link Record}
 * carries a batch (gathered by {@link AppEventBatcher}) and is written with one {@code persist(List)}; events
 * whose {@link AppEvent#key()} is still in the {@link RecentKeys} window are dropped as duplicates. The reply
 * goes out once the batch is durable. The window is part of the snapshot, so de-duplication survives recovery.
 */
public final class AppEventLog
        extends EventSourcedBehaviorWithEnforcedReplies<AppEventLog.Command, AppEvent, AppEventLog.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "AppEvents");

    public static void init(ActorSystem<?> system, AppEventsSettings settings) {
        var entity = Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings));
        String role = system.settings().config().getString("wakeline.entity-role");
        ClusterSharding.get(system).init(role.isEmpty() ? entity : entity.withRole(role));
    }

    public static PersistenceId persistenceIdOf(String packageSid) {
        return PersistenceId.of(ENTITY_KEY.name(), packageSid);
    }

    public static Behavior<Command> create(String packageSid, AppEventsSettings settings) {
        return Behaviors.setup(ctx -> EventSourcedBehavior.start(new AppEventLog(packageSid, settings), ctx));
    }

    private final AppEventsSettings settings;

    private AppEventLog(String packageSid, AppEventsSettings settings) {
        super(persistenceIdOf(packageSid),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
        this.settings = settings;
    }

    // ---- commands and replies ----------------------------------------------------------------------

    public sealed interface Command extends CborSerializable {
    }

    /** Records {@code events} in order, skipping recently recorded keys; answered once durable. */
    public record Record(List<AppEvent> events, ActorRef<Recorded> replyTo) implements Command {
    }

    public record Recorded(int recorded, int duplicates) implements CborSerializable {
    }

    // ---- state -------------------------------------------------------------------------------------

    /**
     * The de-duplication window. Mutable for speed (thousands of events a second, one handler call each);
     * it never leaves the entity: snapshots take a copy ({@link Snapshot}) on the entity's thread.
     */
    public static final class State {
        private final RecentKeys recent;

        State(RecentKeys recent) {
            this.recent = recent;
        }

        State recorded(AppEvent event) {
            recent.remember(event.key());
            return this;
        }

        RecentKeys recent() {
            return recent;
        }
    }

    /** What a snapshot stores: the window's keys, oldest first. */
    public record Snapshot(List<String> recentKeys) implements CborSerializable {
    }

    @Override
    public State emptyState() {
        return new State(new RecentKeys(settings.recentKeys()));
    }

    @Override
    public SnapshotAdapter<State> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(State state) {
                return new Snapshot(state.recent().keysOldestFirst());
            }

            @Override
            public State fromJournal(Object from) {
                return new State(new RecentKeys(settings.recentKeys(), ((Snapshot) from).recentKeys()));
            }
        };
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        var criteria = RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
        return settings.deleteEvents() ? criteria.withDeleteEventsOnSnapshot() : criteria;
    }

    @Override
    public CommandHandlerWithReply<Command, AppEvent, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Record.class, this::onRecord)
                .build();
    }

    private ReplyEffect<AppEvent, State> onRecord(State state, Record cmd) {
        List<AppEvent> fresh = state.recent().fresh(cmd.events(), AppEvent::key);
        Recorded reply = new Recorded(fresh.size(), cmd.events().size() - fresh.size());
        if (fresh.isEmpty()) {
            return Effect().reply(cmd.replyTo(), reply);
        }
        return Effect().persist(fresh).thenReply(cmd.replyTo(), s -> reply);
    }

    @Override
    public EventHandler<State, AppEvent> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onAnyEvent(State::recorded);
    }
}
