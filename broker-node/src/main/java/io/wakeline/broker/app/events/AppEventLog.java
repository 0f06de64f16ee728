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
 * One app's event log (issue "fate to the sender"): its {@link AppEvent}s in the order they were recorded. Each write
 * is one journal event, an {@link Events} entry of up to {@link #EVENTS_PER_ENTRY} app events, so a busy app costs
 * one journal row per write rather than one per receipt (three receipts per guaranteed message). An event's id on
 * the stream ({@code GET /events}) is {@link #eventId}: its entry's sequence number × 1000 + its index in the entry,
 * strictly increasing and never reused.
 *
 * <p>The entity id is the package SID; the persistence id is {@code AppEvents|<packageSid>}. A {@link Record}
 * carries a batch (gathered by {@link AppEventBatcher}); the records that arrive while a write is in flight are written
 * together with one {@code persist(List)} (group commit); events
 * whose {@link AppEvent#key()} is still in the {@link RecentKeys} window are dropped as duplicates. The reply
 * goes out once the batch is durable. The window is part of the snapshot, so de-duplication survives recovery.
 */
public final class AppEventLog
        extends EventSourcedBehaviorWithEnforcedReplies<AppEventLog.Command, AppEventLog.Entry, AppEventLog.State> {

    /** At most this many app events per journal event; the factor between an entry's sequence number and event ids. */
    public static final int EVENTS_PER_ENTRY = 1000;

    /** The stream id of the {@code index}th event of the entry with {@code sequenceNr}. */
    public static long eventId(long sequenceNr, int index) {
        return sequenceNr * EVENTS_PER_ENTRY + index;
    }

    /** The sequence number of the entry holding event {@code eventId}. */
    public static long entryOf(long eventId) {
        return eventId / EVENTS_PER_ENTRY;
    }

    /** What the log journals: an {@link Events} entry per write, or (logs written before entries) one event each. */
    public sealed interface Entry extends CborSerializable permits AppEvent, Events {
    }

    /** The app events of one write, in the order recorded. */
    public record Events(List<AppEvent> events) implements Entry {
    }

    /** The app events a journaled entry holds, in order. */
    public static List<AppEvent> eventsOf(Object entry) {
        if (entry instanceof Events events) {
            return events.events();
        }
        return entry instanceof AppEvent event ? List.of(event) : List.of();
    }

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

        State recorded(Entry entry) {
            for (AppEvent event : eventsOf(entry)) {
                recent.remember(event.key());
            }
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
    public CommandHandlerWithReply<Command, Entry, State> commandHandler() {
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
    private ReplyEffect<Entry, State> onRecord(State state, Record cmd) {
        gathered.add(cmd);
        if (gathered.size() == 1) {
            self.tell(WriteGathered.INSTANCE);
        }
        return Effect().noReply();
    }

    private ReplyEffect<Entry, State> onWriteGathered(State state, WriteGathered write) {
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
        List<Entry> entries = new ArrayList<>(events.size() / EVENTS_PER_ENTRY + 1);
        for (int from = 0; from < events.size(); from += EVENTS_PER_ENTRY) {
            entries.add(new Events(List.copyOf(events.subList(from, Math.min(events.size(), from + EVENTS_PER_ENTRY)))));
        }
        return Effect().persist(entries).thenRun(s -> answer.run()).thenNoReply();
    }

    @Override
    public EventHandler<State, Entry> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onAnyEvent(State::recorded);
    }
}
