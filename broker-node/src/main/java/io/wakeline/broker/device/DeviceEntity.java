package io.wakeline.broker.device;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.javadsl.ClusterSharding.ShardCommand;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import com.fasterxml.jackson.annotation.JsonCreator;
import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.gateway.device.LinkAddress;
import io.wakeline.broker.gateway.device.LinkRegistry;
import io.wakeline.protocol.v1.NotificationType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * One device: its apps' channels (persisted) and its current link (transient).
 *
 * <p>Raw pushes never touch the journal (DESIGN.md "The two paths"): the entity forwards them to the
 * live link or drops them, keeping at most the latest one per app in memory when the sender asked for
 * {@code X-WNS-Cache-Policy: cache} (wns-spec 5.9). An entity with a link attached stays in memory; one
 * without passivates after {@link DeviceEntitySettings#passivateAfterIdle()}.
 */
public final class DeviceEntity
        extends EventSourcedBehaviorWithEnforcedReplies<DeviceEntity.Command, DeviceEntity.Event, DeviceEntity.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Device");

    // ---- commands ---------------------------------------------------------------------------------

    public sealed interface Command extends CborSerializable {
    }

    /** A link finished its handshake for this device; it replaces any earlier link. */
    public record Attach(LinkAddress link, DeviceCapabilities capabilities, ActorRef<Attached> replyTo)
            implements Command {
    }

    public record Attached(String deviceId, int channels) implements CborSerializable {
    }

    /** The link closed. Ignored unless it is still the current link (a newer one may have replaced it). */
    public record Detach(LinkAddress link) implements Command {
    }

    /** A device app asks for a push channel (wns-spec 4.2, 4.4: a new one each time, older ones stay valid). */
    public record RequestChannel(String appId, long nowMillis, ActorRef<ChannelGranted> replyTo) implements Command {
    }

    public record ChannelGranted(String appId, String channelId, String channelUri, long expiresAtMillis)
            implements CborSerializable {
    }

    public record DeliverRaw(RawPush push, ActorRef<RawPushOutcome> replyTo) implements Command {
    }

    /** For operators and tests: what the entity holds. */
    public record GetDevice(ActorRef<DeviceView> replyTo) implements Command {
    }

    public record DeviceView(String deviceId, boolean attached, Map<String, Map<String, Long>> channelsByApp)
            implements CborSerializable {
    }

    /** Internal: no message for {@code passivate-after-idle} while detached. */
    public enum IdleTimeout implements Command {
        INSTANCE
    }

    // ---- events -----------------------------------------------------------------------------------

    public sealed interface Event extends CborSerializable {
    }

    public record ChannelIssued(String appId, String channelId, long issuedAtMillis, long expiresAtMillis)
            implements Event {
    }

    // ---- state ------------------------------------------------------------------------------------

    /** appId → (channelId → expiresAtMillis). Expired channels are pruned whenever a new one is issued. */
    public record State(Map<String, Map<String, Long>> channelsByApp) implements CborSerializable {

        @JsonCreator
        public State {
        }

        static State empty() {
            return new State(Map.of());
        }

        boolean hasChannel(String appId, String channelId) {
            Map<String, Long> channels = channelsByApp.get(appId);
            return channels != null && channels.containsKey(channelId);
        }

        int channelCount() {
            return channelsByApp.values().stream().mapToInt(Map::size).sum();
        }

        State withChannel(ChannelIssued issued) {
            Map<String, Map<String, Long>> apps = new HashMap<>(channelsByApp);
            Map<String, Long> channels = new HashMap<>(apps.getOrDefault(issued.appId(), Map.of()));
            channels.values().removeIf(expiresAt -> expiresAt <= issued.issuedAtMillis());
            channels.put(issued.channelId(), issued.expiresAtMillis());
            apps.put(issued.appId(), Map.copyOf(channels));
            return new State(Map.copyOf(apps));
        }
    }

    // ---- behaviour --------------------------------------------------------------------------------

    private final String deviceId;
    private final ActorContext<Command> context;
    private final ActorRef<ShardCommand> shard;
    private final DeviceEntitySettings settings;
    private final Function<ChannelToken, String> channelUris;

    // transient: lost on passivation or failover by design; the device re-attaches when it reconnects
    private LinkAddress link;
    private final Map<String, RawPush> cachedRaw = new HashMap<>();

    private DeviceEntity(String deviceId, ActorContext<Command> context, ActorRef<ShardCommand> shard,
                         DeviceEntitySettings settings, Function<ChannelToken, String> channelUris) {
        super(PersistenceId.of(ENTITY_KEY.name(), deviceId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
        this.deviceId = deviceId;
        this.context = context;
        this.shard = shard;
        this.settings = settings;
        this.channelUris = channelUris;
        context.setReceiveTimeout(settings.passivateAfterIdle(), IdleTimeout.INSTANCE);
    }

    public static Behavior<Command> create(String deviceId, ActorRef<ShardCommand> shard,
                                           DeviceEntitySettings settings, Function<ChannelToken, String> channelUris) {
        return Behaviors.setup(ctx -> new DeviceEntity(deviceId, ctx, shard, settings, channelUris));
    }

    public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system, DeviceEntitySettings settings,
                                                          Function<ChannelToken, String> channelUris) {
        Entity<Command, ShardingEnvelope<Command>> entity = Entity.of(ENTITY_KEY,
                ctx -> create(ctx.getEntityId(), ctx.getShard(), settings, channelUris));
        if (!settings.entityRole().isEmpty()) {
            entity = entity.withRole(settings.entityRole()); // nodes without the role run a proxy only
        }
        return ClusterSharding.get(system).init(entity);
    }

    @Override
    public State emptyState() {
        return State.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Attach.class, this::onAttach)
                .onCommand(Detach.class, this::onDetach)
                .onCommand(RequestChannel.class, this::onRequestChannel)
                .onCommand(DeliverRaw.class, this::onDeliverRaw)
                .onCommand(GetDevice.class, this::onGetDevice)
                .onCommand(IdleTimeout.class, this::onIdleTimeout)
                .build();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onEvent(ChannelIssued.class, State::withChannel)
                .build();
    }

    private ReplyEffect<Event, State> onAttach(State state, Attach attach) {
        LinkAddress previous = link;
        if (previous != null && !previous.equals(attach.link())) {
            previous.registry().tell(new LinkRegistry.Replaced(previous.linkId()));
        }
        link = attach.link();
        context.cancelReceiveTimeout();
        context.getLog().debug("attached deviceId={} linkId={}", deviceId, link.linkId());
        return Effect().none()
                .thenRun(s -> flushCachedRaw())
                .thenReply(attach.replyTo(), s -> new Attached(deviceId, s.channelCount()));
    }

    private ReplyEffect<Event, State> onDetach(State state, Detach detach) {
        if (detach.link().equals(link)) {
            link = null;
            context.setReceiveTimeout(settings.passivateAfterIdle(), IdleTimeout.INSTANCE);
            context.getLog().debug("detached deviceId={} linkId={}", deviceId, detach.link().linkId());
        }
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onRequestChannel(State state, RequestChannel request) {
        long expiresAt = request.nowMillis() + settings.channelLifetime().toMillis();
        ChannelIssued issued = new ChannelIssued(request.appId(), UUID.randomUUID().toString(), request.nowMillis(), expiresAt);
        String uri = channelUris.apply(new ChannelToken(deviceId, issued.appId(), issued.channelId(), expiresAt));
        return Effect().persist(issued)
                .thenReply(request.replyTo(), s -> new ChannelGranted(issued.appId(), issued.channelId(), uri, expiresAt));
    }

    private ReplyEffect<Event, State> onDeliverRaw(State state, DeliverRaw command) {
        RawPush push = command.push();
        if (!state.hasChannel(push.appId(), push.channelId())) {
            return Effect().reply(command.replyTo(), new RawPushOutcome.ChannelUnknown());
        }
        if (link != null) {
            sendToLink(push);
            return Effect().reply(command.replyTo(), new RawPushOutcome.Delivered(DeviceConnectionStatus.CONNECTED));
        }
        if (push.cachePolicy() == RawPush.CachePolicy.CACHE) {
            cachedRaw.put(push.appId(), push); // wns-spec 5.9: only the latest raw is kept
            return Effect().reply(command.replyTo(), new RawPushOutcome.Cached(DeviceConnectionStatus.DISCONNECTED));
        }
        return Effect().reply(command.replyTo(),
                new RawPushOutcome.Dropped(DeviceConnectionStatus.DISCONNECTED, "device is offline and X-WNS-Cache-Policy is no-cache"));
    }

    private ReplyEffect<Event, State> onGetDevice(State state, GetDevice get) {
        return Effect().reply(get.replyTo(), new DeviceView(deviceId, link != null, state.channelsByApp()));
    }

    private ReplyEffect<Event, State> onIdleTimeout(State state, IdleTimeout timeout) {
        if (link == null) {
            shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
        }
        return Effect().noReply();
    }

    private void flushCachedRaw() {
        if (link == null || cachedRaw.isEmpty()) {
            return;
        }
        cachedRaw.values().forEach(this::sendToLink);
        cachedRaw.clear();
    }

    private void sendToLink(RawPush push) {
        link.registry().tell(new LinkRegistry.Deliver(link.linkId(), push.appId(), push.channelId(),
                NotificationType.RAW, push.payload(), push.messageId(), push.acceptedAtMillis()));
    }
}
