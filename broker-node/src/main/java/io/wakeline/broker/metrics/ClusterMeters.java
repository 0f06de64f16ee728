package io.wakeline.broker.metrics;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.HashCodeMessageExtractor;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Akka's own figures for this node: cluster members by status and unreachable members (read from the cluster
 * state when scraped), and the shards and running entities of each entity type on this node, which only the
 * shard region can tell: it is asked every {@code wakeline.metrics.sharding-poll-interval}. The device shards
 * it hosts also tell the {@link ReceiptLedger} which devices' backlogs this node can still see.
 */
public final class ClusterMeters {
    public sealed interface Command {
    }

    private enum Poll implements Command {
        INSTANCE
    }

    private enum RegionUnanswered implements Command {
        INSTANCE
    }

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    private record RegionState(String entityType, ShardRegion.CurrentShardRegionState state, long askedAtMillis)
            implements Command {
    }

    private static final List<MemberStatus> STATUSES = List.of(MemberStatus.joining(), MemberStatus.weaklyUp(),
            MemberStatus.up(), MemberStatus.leaving(), MemberStatus.exiting(), MemberStatus.down());

    private final ActorContext<Command> context;
    private final List<EntityTypeKey<?>> types;
    private final String deviceType;
    private final HashCodeMessageExtractor<Object> deviceShards;
    private final ReceiptLedger ledger;
    private final Map<String, ShardCounts> counts;

    private ClusterMeters(ActorContext<Command> context, List<EntityTypeKey<?>> types, EntityTypeKey<?> deviceType,
                          ReceiptLedger ledger, Map<String, ShardCounts> counts) {
        this.context = context;
        this.types = types;
        this.deviceType = deviceType.name();
        this.deviceShards = new HashCodeMessageExtractor<>(
                context.getSystem().settings().config().getInt("akka.cluster.sharding.number-of-shards"));
        this.ledger = ledger;
        this.counts = counts;
    }

    /**
     * Registers the gauges in {@code registry} and polls the regions of {@code types}; {@code counts} is where the
     * last answers are kept (also read by the console).
     */
    public static Behavior<Command> create(MeterRegistry registry, List<EntityTypeKey<?>> types, EntityTypeKey<?> deviceType,
                                           ReceiptLedger ledger, Duration interval, Map<String, ShardCounts> counts) {
        return Behaviors.setup(context -> {
            Cluster cluster = Cluster.get(context.getSystem());
            for (MemberStatus status : STATUSES) {
                Gauge.builder("wakeline.cluster.members", cluster, c -> membersWith(c, status))
                        .description("Cluster members as this node sees them, by status")
                        .tag("status", statusTag(status))
                        .register(registry);
            }
            Gauge.builder("wakeline.cluster.unreachable.members", cluster, c -> c.state().getUnreachable().size())
                    .description("Cluster members this node's failure detector marks unreachable")
                    .register(registry);
            for (EntityTypeKey<?> type : types) {
                counts.putIfAbsent(type.name(), new ShardCounts(type.name(), 0, 0));
                Gauge.builder("wakeline.sharding.shards", counts, c -> c.get(type.name()).shards())
                        .description("Shards of each entity type hosted on this node")
                        .tag("type", type.name())
                        .register(registry);
                Gauge.builder("wakeline.sharding.entities", counts, c -> c.get(type.name()).entities())
                        .description("Running (not passivated) entities of each entity type on this node")
                        .tag("type", type.name())
                        .register(registry);
            }
            return Behaviors.withTimers(timers -> {
                timers.startTimerWithFixedDelay(Poll.INSTANCE, Duration.ZERO, interval);
                return new ClusterMeters(context, types, deviceType, ledger, counts).behavior();
            });
        });
    }

    /** The status tag: Akka's status name in lower case with underscores ({@code weakly_up}). */
    public static String statusTag(MemberStatus status) {
        return status.toString().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static double membersWith(Cluster cluster, MemberStatus status) {
        ClusterEvent.CurrentClusterState state = cluster.state();
        return StreamSupport.stream(state.getMembers().spliterator(), false)
                .filter(member -> member.status().equals(status)).count();
    }

    private Behavior<Command> behavior() {
        return Behaviors.receive(Command.class)
                .onMessageEquals(Poll.INSTANCE, this::poll)
                .onMessage(RegionState.class, this::onRegionState)
                .onMessageEquals(RegionUnanswered.INSTANCE, Behaviors::same) // the figures stay as last answered
                .build();
    }

    private Behavior<Command> poll() {
        long now = System.currentTimeMillis();
        ActorRef<akka.cluster.sharding.typed.ClusterShardingQuery> query = ClusterSharding.get(context.getSystem()).shardState();
        for (EntityTypeKey<?> type : types) {
            // an ask per type: the answer does not name its type, and one message adapter per class would mix them up
            context.ask(ShardRegion.CurrentShardRegionState.class, query, ASK_TIMEOUT,
                    replyTo -> new GetShardRegionState(type, replyTo),
                    (state, failure) -> failure == null ? new RegionState(type.name(), state, now) : RegionUnanswered.INSTANCE);
        }
        return Behaviors.same();
    }

    private Behavior<Command> onRegionState(RegionState answer) {
        Set<ShardRegion.ShardState> shards = answer.state().getShards();
        int entities = shards.stream().mapToInt(shard -> shard.getEntityIds().size()).sum();
        counts.put(answer.entityType(), new ShardCounts(answer.entityType(), shards.size(), entities));
        if (answer.entityType().equals(deviceType)) {
            Set<String> hosted = shards.stream().map(ShardRegion.ShardState::shardId).collect(Collectors.toSet());
            ledger.retainDevices(deviceId -> hosted.contains(deviceShards.shardId(deviceId)), answer.askedAtMillis());
        }
        return Behaviors.same();
    }

    /** A fresh map for {@link #create}'s {@code counts}. */
    public static Map<String, ShardCounts> newCounts() {
        return new ConcurrentHashMap<>();
    }
}
