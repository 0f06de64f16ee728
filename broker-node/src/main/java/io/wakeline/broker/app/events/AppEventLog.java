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
import java.util.ArrayList;
import java.util.List;

/**
 * One app's event log (issue "fate to the sender"): its {@link AppEvent}s in the order they were recorded,
 * one journal event each, so an event's sequence number is its id on the event stream ({@code GET /events}).
 *
 * <p>The entity id is the package SID; the persistence id is {@code AppEvents|<packageSid>}. A {@link Record}
 * carries a batch (gathered by {@link AppEventBatcher}); the records that arrive while a write is in flight are written
 * together with one {@code persist(List)} (group commit); events
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
        return Behaviors.setup(ctx -> EventSourcedBehavior.start(new AppEventLog(packageSid, settings, ctx.getSelf()), ctx));
    }

    private final AppEventsSettings settings;
    private final ActorRef<Command> self;
    /** Records gathered for the next write; answered once it is durable. */
    private final List<Record> gathered = new ArrayList<>();

    private AppEventLog(String packageSid, AppEventsSettings settings, ActorRef<Command> self) {
        super(persistenceIdOf(packageSid),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
        this.settings = settings;
        this.self = self;
    }

    // ---- commands and replies ----------------------------------------------------------------------

    public sealed interface Command extends CborSerializable {
    }

    /** Records {@code events} in order, skipping recently recorded keys; answered once durable. */
    public record Record(List<AppEvent> events, ActorRef<Recorded> replyTo) implements Command {
    }

    public record Recorded(int recorded, int duplicates) implements CborSerializable {
    }

    /** Internal: write the records gathered since the last write, as one write. */
    public enum WriteGathered implements Command {
        INSTANCE
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
                .onCommand(WriteGathered.class, this::onWriteGathered)
                .build();
    }

    /**
     * Group commit: a record waits for the {@link WriteGathered} it queues behind whatever is already in the mailbox,
     * and Akka stashes commands while a write is in flight, so all records that arrive during one write (from every
     * node's batcher) go out together as the next one. One log per app cannot afford a journal round trip per record.
     */
    private ReplyEffect<AppEvent, State> onRecord(State state, Record cmd) {
        gathered.add(cmd);
        if (gathered.size() == 1) {
            self.tell(WriteGathered.INSTANCE);
        }
        return Effect().noReply();
    }

    private ReplyEffect<AppEvent, State> onWriteGathered(State state, WriteGathered write) {
        if (gathered.isEmpty()) {
            return Effect().noReply();
        }
        List<Record> records = List.copyOf(gathered);
        gathered.clear();
        List<List<AppEvent>> fresh = state.recent().freshEach(records.stream().map(Record::events).toList(), AppEvent::key);
        List<AppEvent> events = fresh.stream().flatMap(List::stream).toList();
        Runnable answer = () -> {
            for (int i = 0; i < records.size(); i++) {
                Record r = records.get(i);
                r.replyTo().tell(new Recorded(fresh.get(i).size(), r.events().size() - fresh.get(i).size()));
            }
        };
        if (events.isEmpty()) {
            answer.run();
            return Effect().noReply();
        }
        return Effect().persist(events).thenRun(s -> answer.run()).thenNoReply();
    }

    @Override
    public EventHandler<State, AppEvent> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onAnyEvent(State::recorded);
    }
}
