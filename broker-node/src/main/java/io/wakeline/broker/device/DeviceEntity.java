package io.wakeline.broker.device;

import akka.actor.Cancellable;
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
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.push.PowerReport;
import io.wakeline.broker.device.push.PushInbox;
import io.wakeline.broker.gateway.device.LinkAddress;
import io.wakeline.broker.gateway.device.LinkRegistry;
import io.wakeline.protocol.v1.NotificationType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    // ---- commands: pushes of every kind (WNS toast/tile/badge/raw, Web Push) ------------------------

    /** A push from an app-server gateway: delivered, kept (offline cache, batch, hold) or dropped (PushInbox). */
    public record DeliverPush(Push push, ActorRef<PushOutcome> replyTo) implements Command {
    }

    /**
     * The device reported its power facts over the link. Transient; when the entity keeps the device's power
     * state itself, that state replaces this report.
     */
    public record ReportPower(PowerReport power) implements Command {
    }

    /** Internal: the batch interval elapsed (wns-spec 4.17 "Medium batched"). */
    public enum BatchDue implements Command {
        INSTANCE
    }

    /** {@code PushNotificationChannel.Close()}: that channel and every older one of the app (wns-spec 4.5). */
    public record CloseChannel(String appId, String channelId, long nowMillis, ActorRef<ChannelsClosedReply> replyTo)
            implements Command {
    }

    /** {@code closedChannelIds} is empty when the channel was unknown, expired or already closed. */
    public record ChannelsClosedReply(String appId, List<String> closedChannelIds) implements CborSerializable {
    }

    /** A device app creates a Web Push subscription (RFC 8030 §4), optionally restricted to a key (RFC 8292 §4). */
    public record SubscribeWebPush(String appId, byte[] applicationServerKey, long nowMillis,
                                   ActorRef<WebPushSubscribed> replyTo) implements Command {
    }

    public record WebPushSubscribed(String appId, String subscriptionId, String endpoint, long expiresAtMillis)
            implements CborSerializable {
    }

    /** The device app dropped a subscription; later sends to it are answered "gone". */
    public record UnsubscribeWebPush(String subscriptionId, long nowMillis) implements Command {
    }

    /** The app server looks at ({@link MessageAction#Query}) or deletes a stored Web Push message. */
    public record ManageWebPushMessage(String subscriptionId, String messageId, MessageAction action,
                                       ActorRef<StoredWebPushMessage> replyTo) implements Command {
    }

    public enum MessageAction {
        Query,
        Delete
    }

    /** Whether the message was still stored, undelivered and unexpired (before a delete removed it). */
    public record StoredWebPushMessage(boolean pending) implements CborSerializable {
    }

    // ---- events -----------------------------------------------------------------------------------

    public sealed interface Event extends CborSerializable {
    }

    public record ChannelIssued(String appId, String channelId, long issuedAtMillis, long expiresAtMillis)
            implements Event {
    }

    /** Channels the app closed (wns-spec 4.5); sends to them are answered 410 until they would have expired. */
    public record ChannelsClosed(String appId, List<String> channelIds, long closedAtMillis) implements Event {
    }

    public record WebPushSubscriptionIssued(String appId, String subscriptionId, long issuedAtMillis,
                                            long expiresAtMillis) implements Event {
    }

    public record WebPushSubscriptionRemoved(String subscriptionId, long removedAtMillis) implements Event {
    }

    // ---- state ------------------------------------------------------------------------------------

    /**
     * appId → (channelId → expiresAtMillis). Expired channels are pruned whenever a new one is issued.
     *
     * @param closedChannelsByApp  closed channels, kept until they would have expired so sends get 410
     * @param webPushSubscriptions subscriptionId → its app and expiry
     */
    public record State(
            Map<String, Map<String, Long>> channelsByApp,
            Map<String, Map<String, Long>> closedChannelsByApp,
            Map<String, WebPushSubscription> webPushSubscriptions) implements CborSerializable {

        @JsonCreator
        public State {
            // snapshots written before channel close and Web Push lack the newer maps
            closedChannelsByApp = closedChannelsByApp == null ? Map.of() : closedChannelsByApp;
            webPushSubscriptions = webPushSubscriptions == null ? Map.of() : webPushSubscriptions;
        }

        public State(Map<String, Map<String, Long>> channelsByApp) {
            this(channelsByApp, Map.of(), Map.of());
        }

        static State empty() {
            return new State(Map.of());
        }

        boolean isChannelClosed(String appId, String channelId) {
            Map<String, Long> closed = closedChannelsByApp.get(appId);
            return closed != null && closed.containsKey(channelId);
        }

        boolean hasWebPushSubscription(String subscriptionId) {
            return webPushSubscriptions.containsKey(subscriptionId);
        }

        State withChannelsClosed(ChannelsClosed event) {
            Map<String, Map<String, Long>> apps = new HashMap<>(channelsByApp);
            Map<String, Long> open = new HashMap<>(apps.getOrDefault(event.appId(), Map.of()));
            Map<String, Map<String, Long>> closedApps = new HashMap<>(closedChannelsByApp);
            Map<String, Long> closed = new HashMap<>(closedApps.getOrDefault(event.appId(), Map.of()));
            closed.values().removeIf(expiresAt -> expiresAt <= event.closedAtMillis());
            for (String channelId : event.channelIds()) {
                Long expiresAt = open.remove(channelId);
                if (expiresAt != null) {
                    closed.put(channelId, expiresAt);
                }
            }
            apps.put(event.appId(), Map.copyOf(open));
            closedApps.put(event.appId(), Map.copyOf(closed));
            return new State(Map.copyOf(apps), Map.copyOf(closedApps), webPushSubscriptions);
        }

        State withWebPushSubscription(WebPushSubscriptionIssued event) {
            Map<String, WebPushSubscription> subscriptions = new HashMap<>(webPushSubscriptions);
            subscriptions.values().removeIf(s -> s.expiresAtMillis() <= event.issuedAtMillis());
            subscriptions.put(event.subscriptionId(), new WebPushSubscription(event.appId(), event.expiresAtMillis()));
            return new State(channelsByApp, closedChannelsByApp, Map.copyOf(subscriptions));
        }

        State withoutWebPushSubscription(WebPushSubscriptionRemoved event) {
            Map<String, WebPushSubscription> subscriptions = new HashMap<>(webPushSubscriptions);
            subscriptions.remove(event.subscriptionId());
            subscriptions.values().removeIf(s -> s.expiresAtMillis() <= event.removedAtMillis());
            return new State(channelsByApp, closedChannelsByApp, Map.copyOf(subscriptions));
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
            return new State(Map.copyOf(apps), closedChannelsByApp, webPushSubscriptions);
        }
    }

    /** A live Web Push subscription as the entity keeps it. */
    public record WebPushSubscription(String appId, long expiresAtMillis) implements CborSerializable {
    }

    // ---- behaviour --------------------------------------------------------------------------------

    private final String deviceId;
    private final ActorContext<Command> context;
    private final ActorRef<ShardCommand> shard;
    private final DeviceEntitySettings settings;
    private final Function<ChannelToken, String> channelUris;
    private final PushEndpoints endpoints;

    // transient: lost on passivation or failover by design; the device re-attaches when it reconnects
    private LinkAddress link;
    private final Map<String, RawPush> cachedRaw = new HashMap<>();
    private final PushInbox inbox;
    private PowerReport power = PowerReport.AFTER_HANDSHAKE;
    private Cancellable batchTimer;

    private DeviceEntity(String deviceId, ActorContext<Command> context, ActorRef<ShardCommand> shard,
                         DeviceEntitySettings settings, PushEndpoints endpoints) {
        super(PersistenceId.of(ENTITY_KEY.name(), deviceId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
        this.deviceId = deviceId;
        this.context = context;
        this.shard = shard;
        this.settings = settings;
        this.channelUris = endpoints::channelUri;
        this.endpoints = endpoints;
        this.inbox = new PushInbox(settings.push());
        context.setReceiveTimeout(settings.passivateAfterIdle(), IdleTimeout.INSTANCE);
    }

    public static Behavior<Command> create(String deviceId, ActorRef<ShardCommand> shard,
                                           DeviceEntitySettings settings, PushEndpoints endpoints) {
        return Behaviors.setup(ctx -> new DeviceEntity(deviceId, ctx, shard, settings, endpoints));
    }

    /** Without Web Push: subscription requests fail. */
    public static Behavior<Command> create(String deviceId, ActorRef<ShardCommand> shard,
                                           DeviceEntitySettings settings, Function<ChannelToken, String> channelUris) {
        return create(deviceId, shard, settings, channelUrisOnly(channelUris));
    }

    public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system, DeviceEntitySettings settings,
                                                          Function<ChannelToken, String> channelUris) {
        return init(system, settings, channelUrisOnly(channelUris));
    }

    public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system, DeviceEntitySettings settings,
                                                          PushEndpoints endpoints) {
        Entity<Command, ShardingEnvelope<Command>> entity = Entity.of(ENTITY_KEY,
                ctx -> create(ctx.getEntityId(), ctx.getShard(), settings, endpoints));
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
                .onCommand(DeliverPush.class, this::onDeliverPush)
                .onCommand(ReportPower.class, this::onReportPower)
                .onCommand(BatchDue.class, this::onBatchDue)
                .onCommand(CloseChannel.class, this::onCloseChannel)
                .onCommand(SubscribeWebPush.class, this::onSubscribeWebPush)
                .onCommand(UnsubscribeWebPush.class, this::onUnsubscribeWebPush)
                .onCommand(ManageWebPushMessage.class, this::onManageWebPushMessage)
                .build();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onEvent(ChannelIssued.class, State::withChannel)
                .onEvent(ChannelsClosed.class, State::withChannelsClosed)
                .onEvent(WebPushSubscriptionIssued.class, State::withWebPushSubscription)
                .onEvent(WebPushSubscriptionRemoved.class, State::withoutWebPushSubscription)
                .build();
    }

    private ReplyEffect<Event, State> onAttach(State state, Attach attach) {
        LinkAddress previous = link;
        if (previous != null && !previous.equals(attach.link())) {
            previous.registry().tell(new LinkRegistry.Replaced(previous.linkId()));
        }
        link = attach.link();
        power = PowerReport.AFTER_HANDSHAKE;
        context.cancelReceiveTimeout();
        context.getLog().debug("attached deviceId={} linkId={}", deviceId, link.linkId());
        return Effect().none()
                .thenRun(s -> flushCachedRaw())
                .thenRun(s -> {
                    long now = System.currentTimeMillis();
                    sendAll(inbox.onLinkUp(power, now));
                    armBatchTimer(now);
                })
                .thenReply(attach.replyTo(), s -> new Attached(deviceId, s.channelCount()));
    }

    private ReplyEffect<Event, State> onDetach(State state, Detach detach) {
        if (detach.link().equals(link)) {
            link = null;
            inbox.onLinkDown(System.currentTimeMillis());
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
        if (link == null && !inbox.holdsLiveItems(System.currentTimeMillis())) {
            shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
        }
        return Effect().noReply();
    }

    // ---- pushes of every kind --------------------------------------------------------------------------

    private ReplyEffect<Event, State> onDeliverPush(State state, DeliverPush command) {
        Push push = command.push();
        if (push instanceof WnsPush wns) {
            if (state.isChannelClosed(wns.appId(), wns.channelId())) {
                return Effect().reply(command.replyTo(), new PushOutcome.TargetClosed());
            }
            if (!state.hasChannel(wns.appId(), wns.channelId())) {
                return Effect().reply(command.replyTo(), new PushOutcome.TargetUnknown());
            }
        } else if (push instanceof WebPushMessage message && !state.hasWebPushSubscription(message.subscriptionId())) {
            return Effect().reply(command.replyTo(), new PushOutcome.TargetUnknown());
        }
        long now = System.currentTimeMillis();
        PushInbox.Offer offer = inbox.offer(push, link == null ? PushInbox.Link.Down : PushInbox.Link.Up, power, now);
        offer.sendNow().ifPresent(this::sendToLink);
        armBatchTimer(now);
        return Effect().reply(command.replyTo(), offer.outcome());
    }

    private ReplyEffect<Event, State> onReportPower(State state, ReportPower report) {
        power = report.power();
        context.getLog().debug("power reported deviceId={} power={}", deviceId, power);
        if (link != null) {
            long now = System.currentTimeMillis();
            sendAll(inbox.onPowerChanged(power, now));
            armBatchTimer(now);
        }
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onBatchDue(State state, BatchDue due) {
        batchTimer = null;
        if (link != null) {
            long now = System.currentTimeMillis();
            sendAll(inbox.onBatchDue(power, now));
            armBatchTimer(now);
        }
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onCloseChannel(State state, CloseChannel close) {
        Map<String, Long> open = state.channelsByApp().getOrDefault(close.appId(), Map.of());
        Long closedExpiry = open.get(close.channelId());
        if (closedExpiry == null || closedExpiry <= close.nowMillis()) {
            return Effect().reply(close.replyTo(), new ChannelsClosedReply(close.appId(), List.of()));
        }
        // "that and older": channels share one lifetime, so the older ones are those that expire no later
        List<String> closed = open.entrySet().stream()
                .filter(e -> e.getValue() <= closedExpiry && e.getValue() > close.nowMillis())
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        ChannelsClosed event = new ChannelsClosed(close.appId(), closed, close.nowMillis());
        return Effect().persist(event)
                .thenRun(s -> inbox.discardChannels(close.appId(), Set.copyOf(closed)))
                .thenReply(close.replyTo(), s -> new ChannelsClosedReply(close.appId(), closed));
    }

    private ReplyEffect<Event, State> onSubscribeWebPush(State state, SubscribeWebPush subscribe) {
        long expiresAt = subscribe.nowMillis() + settings.push().webPushSubscriptionLifetime().toMillis();
        WebPushSubscriptionIssued issued = new WebPushSubscriptionIssued(subscribe.appId(), UUID.randomUUID().toString(),
                subscribe.nowMillis(), expiresAt);
        String endpoint = endpoints.webPushEndpoint(new WebPushSubscriptionToken(deviceId, issued.appId(),
                issued.subscriptionId(), expiresAt, subscribe.applicationServerKey()));
        return Effect().persist(issued)
                .thenReply(subscribe.replyTo(), s -> new WebPushSubscribed(issued.appId(), issued.subscriptionId(),
                        endpoint, expiresAt));
    }

    private ReplyEffect<Event, State> onUnsubscribeWebPush(State state, UnsubscribeWebPush unsubscribe) {
        if (!state.hasWebPushSubscription(unsubscribe.subscriptionId())) {
            return Effect().noReply();
        }
        return Effect().persist(new WebPushSubscriptionRemoved(unsubscribe.subscriptionId(), unsubscribe.nowMillis()))
                .thenRun(s -> inbox.discardSubscription(unsubscribe.subscriptionId()))
                .thenNoReply();
    }

    private ReplyEffect<Event, State> onManageWebPushMessage(State state, ManageWebPushMessage manage) {
        long now = System.currentTimeMillis();
        boolean pending = manage.action() == MessageAction.Delete
                ? inbox.removeWebPush(manage.subscriptionId(), manage.messageId(), now)
                : inbox.findWebPush(manage.subscriptionId(), manage.messageId(), now).isPresent();
        return Effect().reply(manage.replyTo(), new StoredWebPushMessage(pending));
    }

    /** Keeps one batch timer running while a connected device has batched pushes. */
    private void armBatchTimer(long now) {
        if (link != null && batchTimer == null && inbox.hasBatched(power, now)) {
            batchTimer = context.scheduleOnce(settings.push().batchInterval(), context.getSelf(), BatchDue.INSTANCE);
        }
    }

    private void sendAll(List<Push> pushes) {
        if (link != null) {
            pushes.forEach(this::sendToLink);
        }
    }

    private void sendToLink(Push push) {
        if (push instanceof WnsPush wns) {
            link.registry().tell(new LinkRegistry.Deliver(link.linkId(), wns.appId(), wns.channelId(),
                    wns.type().linkType(), wns.payload(), wns.messageId(), wns.acceptedAtMillis()));
        } else if (push instanceof WebPushMessage message) {
            link.registry().tell(new LinkRegistry.DeliverWebPush(link.linkId(), message.appId(),
                    message.subscriptionId(), message.payload(), message.contentEncoding(), message.messageId(),
                    message.acceptedAtMillis()));
        }
    }

    private static PushEndpoints channelUrisOnly(Function<ChannelToken, String> channelUris) {
        return new PushEndpoints() {
            @Override
            public String channelUri(ChannelToken token) {
                return channelUris.apply(token);
            }

            @Override
            public String webPushEndpoint(WebPushSubscriptionToken token) {
                throw new UnsupportedOperationException("this entity was created without Web Push endpoints");
            }
        };
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
