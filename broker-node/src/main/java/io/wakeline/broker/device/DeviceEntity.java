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
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.SignalHandler;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import com.fasterxml.jackson.annotation.JsonCreator;
import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEventPublisher;
import io.wakeline.broker.app.events.InMemoryAppEventPublisher;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.device.control.ControlChannelSettings;
import io.wakeline.broker.device.control.ControlEvent;
import io.wakeline.broker.device.control.ControlMessage;
import io.wakeline.broker.device.control.ControlOutbox;
import io.wakeline.broker.device.control.MessageFate;
import io.wakeline.broker.device.control.PendingReceipt;
import io.wakeline.broker.device.policy.ControlChannel;
import io.wakeline.broker.device.policy.AccessDecision;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.BackgroundAccessStatus;
import io.wakeline.broker.device.policy.ChannelClosing;
import io.wakeline.broker.device.policy.ChannelCreation;
import io.wakeline.broker.device.policy.ControlChannelTriggerResetReason;
import io.wakeline.broker.device.policy.ControlChannelTriggerResourceType;
import io.wakeline.broker.device.policy.ControlChannelTriggerStatus;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.policy.DeviceNotification;
import io.wakeline.broker.device.policy.DevicePolicy;
import io.wakeline.broker.device.policy.DevicePolicyEvent;
import io.wakeline.broker.device.policy.DevicePolicyState;
import io.wakeline.broker.device.policy.LockScreenConsent;
import io.wakeline.broker.device.policy.LockScreenRemoval;
import io.wakeline.broker.device.policy.LockScreenRemovalCause;
import io.wakeline.broker.device.policy.ManifestBackgroundTask;
import io.wakeline.broker.device.policy.PolicyChanges;
import io.wakeline.broker.device.policy.PolicyDecision;
import io.wakeline.broker.device.policy.PowerChange;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.policy.RawPushDecision;
import io.wakeline.broker.device.policy.RegistrationDecision;
import io.wakeline.broker.device.policy.TriggerKind;
import io.wakeline.broker.device.policy.UsageReport;
import io.wakeline.broker.device.policy.WakeDecision;
import io.wakeline.broker.gateway.device.LinkAddress;
import io.wakeline.broker.gateway.device.LinkRegistry;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.RawDelivery;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.push.EnergySaver;
import io.wakeline.broker.device.push.PowerReport;
import io.wakeline.broker.device.push.PushInbox;
import io.wakeline.broker.device.push.WebPushReceipts;
import akka.actor.Cancellable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * One device: its apps' channels and its Windows policy state (lock screen, control-channel slots, power,
 * app lifecycle, sandbox budgets; persisted) and its current link (transient). The rules themselves live in
 * {@link DevicePolicy} (functional core); this class persists the events each decision carries, then sends
 * the decision's notifications and answers.
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
    public record Attach(LinkAddress link, DeviceCapabilities capabilities, long nowMillis, ActorRef<Attached> replyTo)
            implements Command {
    }

    /**
     * @param entity the entity that took the link: the link's registry watches it, and the link attaches again when
     *               it stops (failover, shard handoff), since a restarted entity does not know its links
     */
    public record Attached(String deviceId, int channels, ActorRef<Command> entity) implements CborSerializable {
    }

    /** The link closed. Ignored unless it is still the current link (a newer one may have replaced it). */
    public record Detach(LinkAddress link, long nowMillis) implements Command {
    }

    /** Internal: recovered with the device marked connected but no link attached (the node died). */
    public record LinkLostWhileDown(long nowMillis) implements Command {
    }

    // lock screen (wns-spec 6)

    /** BackgroundExecutionManager.RequestAccessAsync. */
    public record RequestLockScreenAccess(String appId, Set<ManifestBackgroundTask> declaredTasks,
                                          ActorRef<LockScreenAnswer> replyTo) implements Command {
    }

    /** The user answered the consent dialog. */
    public record AnswerLockScreenConsent(String appId, LockScreenConsent consent, ActorRef<LockScreenAnswer> replyTo)
            implements Command {
    }

    /** The user added the app in PC settings. */
    public record AddToLockScreenByUser(String appId, Set<ManifestBackgroundTask> declaredTasks,
                                        ActorRef<LockScreenAnswer> replyTo) implements Command {
    }

    public record RemoveFromLockScreen(String appId, LockScreenRemovalCause cause, ActorRef<LockScreenAnswer> replyTo)
            implements Command {
    }

    /** {@code rejection} is empty unless the request was refused outright (then status is the current one). */
    public record LockScreenAnswer(String appId, BackgroundAccessStatus status, boolean showConsentPrompt,
                                   String rejection) implements CborSerializable {
    }

    // control channel triggers (wns-spec 7)

    public record CreateControlChannel(String appId, String channelId, int serverKeepAliveMinutes,
                                       ControlChannelTriggerResourceType resourceType,
                                       ActorRef<ControlChannelAnswer> replyTo) implements Command {
    }

    public record CloseControlChannel(String appId, String channelId, ActorRef<ControlChannelAnswer> replyTo)
            implements Command {
    }

    /** {@code status} is set for a create that got one; {@code rejection} when the request itself was invalid. */
    public record ControlChannelAnswer(String appId, String channelId, ControlChannelTriggerStatus status,
                                       boolean closed, String rejection, String controlChannelUri) implements CborSerializable {

        public ControlChannelAnswer(String appId, String channelId, ControlChannelTriggerStatus status, boolean closed,
                                    String rejection) {
            this(appId, channelId, status, closed, rejection, "");
        }
    }

    // guaranteed control-channel messages (DESIGN.md "The two paths": control channel)

    /** An app server's message for a control channel; answered after it is journaled. {@code clientMessageId} "" = none. */
    public record EnqueueControlMessage(String appId, String channelId, String clientMessageId, byte[] payload,
                                        long nowMillis, long expiresAtMillis, ActorRef<ControlSendReply> replyTo)
            implements Command {
    }

    public enum ControlSendResult {
        /** Journaled now. */
        ACCEPTED,
        /** The client message id was seen: the earlier message, nothing new stored. */
        DUPLICATE,
        /** The channel's backlog is full: nothing stored. */
        BACKLOG_FULL,
        /** The device has no such control channel (the app closed it, or the device reset its channels): nothing stored. */
        CHANNEL_CLOSED
    }

    public record ControlSendReply(ControlSendResult result, String messageId, long seq, int backlog)
            implements CborSerializable {
    }

    /** The fate of one message, for its status endpoint; {@code fate} is null once it is no longer retained. */
    public record GetControlMessage(String appId, String channelId, String messageId,
                                    ActorRef<ControlMessageStatus> replyTo) implements Command {
    }

    public record ControlMessageStatus(MessageFate fate) implements CborSerializable {
    }

    /** The device acked everything up to {@code upToSeq} on the channel (cumulative). */
    public record ControlAckReceived(String appId, String channelId, long upToSeq, long nowMillis) implements Command {
    }

    /** The device app's keep-alive on a control channel. */
    public record ControlKeepAliveReceived(String appId, String channelId, long nowMillis) implements Command {
    }

    /** A message from the device app to its app server over a control channel. */
    public record ControlUpstreamReceived(String appId, String channelId, long upstreamId, byte[] payload, long nowMillis)
            implements Command {
    }

    /** Internal: look for control messages that may go out now. */
    public enum ControlDeliveryDue implements Command {
        INSTANCE
    }

    /** Internal: TTLs, keep-alives and unpersisted acks are due. */
    public enum ControlTick implements Command {
        INSTANCE
    }

    /** Internal: persist the sends gathered since the last write, as one write (group commit). */
    public enum PersistSends implements Command {
        INSTANCE
    }

    /** Internal: publish pending receipts (after recovery, after a failed attempt). */
    public enum PublishReceipts implements Command {
        INSTANCE
    }

    /** Internal: the app event log recorded every receipt up to {@code upToReceiptNo}; {@code ok} false: retry later. */
    public record ReceiptsRecorded(long upToReceiptNo, boolean ok) implements Command {
    }

    public record ReportControlChannelReset(ControlChannelTriggerResetReason reason) implements Command {
    }

    // power and app lifecycle (wns-spec 5, 7.9)

    /** Any field may be null: left as it was. Battery saver drives delivery priority (wns-spec 4.17). */
    public record ReportPower(PowerState powerState, PowerSource powerSource, Boolean batterySaver, long nowMillis)
            implements Command {
    }

    public record ReportAppState(String appId, AppExecutionState state) implements Command {
    }

    // background tasks and the sandbox budget (wns-spec 8)

    public record RegisterTrigger(String appId, TriggerKind trigger, int freshnessMinutes, boolean unregister,
                                  ActorRef<TriggerAnswer> replyTo) implements Command {
    }

    public record TriggerAnswer(String appId, boolean accepted, String rejection) implements CborSerializable {
    }

    /** A time or maintenance trigger is due on the device: may its task run now? */
    public record RequestBackgroundTask(String appId, TriggerKind trigger, long nowMillis,
                                        ActorRef<BackgroundTaskAnswer> replyTo) implements Command {
    }

    public record BackgroundTaskAnswer(String appId, TaskVerdict verdict, long refillAtMillis, String reason)
            implements CborSerializable {
    }

    public enum TaskVerdict {
        RUN, DEFERRED, QUOTA_EXHAUSTED, REFUSED
    }

    /** What a finished background task used. */
    public record ReportBackgroundTask(String appId, TriggerKind trigger, long cpuMillis, long networkBytes,
                                       long nowMillis) implements Command {
    }

    /** A device app asks for a push channel (wns-spec 4.2, 4.4: a new one each time, older ones stay valid). */
    public record RequestChannel(String appId, long nowMillis, ActorRef<ChannelGranted> replyTo) implements Command {
    }

    public record ChannelGranted(String appId, String channelId, String channelUri, long expiresAtMillis)
            implements CborSerializable {
    }

    /** For operators and tests: what the entity holds. */
    public record GetDevice(ActorRef<DeviceView> replyTo) implements Command {
    }

    public record DeviceView(String deviceId, boolean attached, Map<String, Map<String, Long>> channelsByApp,
                             DevicePolicyState policy) implements CborSerializable {
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

    /** The device acknowledged Web Push messages ({@code WebPushAck}, RFC 8030 §6.2). */
    public record WebPushAcked(List<WebPushMessageRef> messages, long nowMillis) implements Command {
    }

    public record WebPushMessageRef(String subscriptionId, String messageId) implements CborSerializable {
    }

    /** Internal: Web Push messages may have passed their receipt deadline (TTL, ack wait). */
    public enum WebPushReceiptsDue implements Command {
        INSTANCE
    }

    /** Internal: record these push receipts (again, after a failed attempt). */
    public record RecordWebPushReceipts(List<WebPushReceipts.Receipt> receipts, int attempt) implements Command {
    }

    // ---- events -----------------------------------------------------------------------------------

    public sealed interface Event extends CborSerializable {
    }

    public record ChannelIssued(String appId, String channelId, long issuedAtMillis, long expiresAtMillis)
            implements Event {
    }

    /** A change to the Windows policy state, as decided by {@link DevicePolicy}. */
    public record PolicyChanged(DevicePolicyEvent change) implements Event {
        @JsonCreator
        public PolicyChanged {
        }
    }

    /** Channels the app closed (wns-spec 4.5); sends to them are answered 410 until they would have expired. */
    public record ChannelsClosed(String appId, List<String> channelIds, long closedAtMillis) implements Event {
    }

    public record WebPushSubscriptionIssued(String appId, String subscriptionId, long issuedAtMillis,
                                            long expiresAtMillis) implements Event {
    }

    public record WebPushSubscriptionRemoved(String subscriptionId, long removedAtMillis) implements Event {
    }

    /** A change to the control-channel outbox ({@link ControlOutbox}). */
    public record ControlChanged(ControlEvent change) implements Event {
        @JsonCreator
        public ControlChanged {
        }
    }

    /**
     * The changes to the control-channel outbox of one write, in order, as one journal event: one row per write
     * instead of one per change (the sends of a group commit, the acks of a batch with the receipts marker).
     */
    public record ControlChangedAll(List<ControlEvent> changes) implements Event {
        @JsonCreator
        public ControlChangedAll {
            changes = List.copyOf(changes);
        }
    }

    /** The control changes a journaled event holds, in order (none for other events). */
    public static List<ControlEvent> controlChangesOf(Object event) {
        if (event instanceof ControlChangedAll all) {
            return all.changes();
        }
        return event instanceof ControlChanged changed ? List.of(changed.change()) : List.of();
    }

    /** The journal events for the control changes of one write. */
    static List<Event> controlWrite(List<ControlEvent> changes) {
        return changes.size() == 1 ? List.of(new ControlChanged(changes.get(0))) : List.of(new ControlChangedAll(changes));
    }

    // ---- state ------------------------------------------------------------------------------------

    /**
     * Push channels: appId → (channelId → expiresAtMillis); expired channels are pruned whenever a new one is
     * issued. The device's Windows policy state.
     *
     * @param closedChannelsByApp  closed channels, kept until they would have expired so sends get 410
     * @param webPushSubscriptions subscriptionId → its app and expiry
     */
    public record State(
            Map<String, Map<String, Long>> channelsByApp,
            Map<String, Map<String, Long>> closedChannelsByApp,
            Map<String, WebPushSubscription> webPushSubscriptions,
            DevicePolicyState policy,
            ControlOutbox control) implements CborSerializable {

        @JsonCreator
        public State {
            control = control == null ? ControlOutbox.EMPTY : control;
            // snapshots written before channel close, Web Push and the device model lack the newer fields
            closedChannelsByApp = closedChannelsByApp == null ? Map.of() : closedChannelsByApp;
            webPushSubscriptions = webPushSubscriptions == null ? Map.of() : webPushSubscriptions;
            policy = policy == null ? DevicePolicyState.INITIAL : policy;
        }

        static State empty() {
            return new State(Map.of(), Map.of(), Map.of(), DevicePolicyState.INITIAL, ControlOutbox.EMPTY);
        }

        State withPolicy(PolicyChanged changed) {
            return new State(channelsByApp, closedChannelsByApp, webPushSubscriptions, policy.apply(changed.change()), control);
        }

        State withControl(ControlEvent change, ControlOutbox.Retention retention) {
            return new State(channelsByApp, closedChannelsByApp, webPushSubscriptions, policy, control.apply(change, retention));
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
            return new State(Map.copyOf(apps), Map.copyOf(closedApps), webPushSubscriptions, policy, control);
        }

        State withWebPushSubscription(WebPushSubscriptionIssued event) {
            Map<String, WebPushSubscription> subscriptions = new HashMap<>(webPushSubscriptions);
            subscriptions.values().removeIf(s -> s.expiresAtMillis() <= event.issuedAtMillis());
            subscriptions.put(event.subscriptionId(), new WebPushSubscription(event.appId(), event.expiresAtMillis()));
            return new State(channelsByApp, closedChannelsByApp, Map.copyOf(subscriptions), policy, control);
        }

        State withoutWebPushSubscription(WebPushSubscriptionRemoved event) {
            Map<String, WebPushSubscription> subscriptions = new HashMap<>(webPushSubscriptions);
            subscriptions.remove(event.subscriptionId());
            subscriptions.values().removeIf(s -> s.expiresAtMillis() <= event.removedAtMillis());
            return new State(channelsByApp, closedChannelsByApp, Map.copyOf(subscriptions), policy, control);
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
            return new State(Map.copyOf(apps), closedChannelsByApp, webPushSubscriptions, policy, control);
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
    private final DevicePolicy rules;
    private final PushEndpoints endpoints;
    private final AppEventPublisher appEvents;
    private final ControlChannelSettings control;
    private final ControlOutbox.Retention retention;

    // transient: lost on passivation or failover by design; the device re-attaches when it reconnects
    private LinkAddress link;
    /** When the current link asked to attach (its node's clock): an older attach arriving later must not replace it. */
    private long linkAttachedAtMillis;
    /** Pushes waiting for the app's running background task to finish (wns-spec 5.10); latest per app. */
    private final Map<String, Command> waitingForTask = new HashMap<>();
    /** How each raw push that passed the Windows rules reaches its app, by message id, until it is sent. */
    private final Map<String, RawDelivery> rawDeliveries = new HashMap<>();
    private final PushInbox inbox;
    private final WebPushReceipts webPushReceipts;
    private Cancellable webPushReceiptTimer;
    private long webPushReceiptTimerDueAt = Long.MAX_VALUE;
    /** Push receipts handed to the event logs and not yet confirmed (the entity stays in memory meanwhile). */
    private int webPushReceiptsInFlight;
    private PowerReport power = PowerReport.AFTER_HANDSHAKE;
    private EnergySaver energySaver = EnergySaver.Off;
    private Cancellable batchTimer;

    // control channels, transient: after a restart or a new link everything unacked is sent again
    /** By outbox key: highest sequence sent on the current link. */
    private final Map<String, Long> sentUpTo = new HashMap<>();
    /** By outbox key: acks received and not yet persisted (batched). */
    private final Map<String, Long> unpersistedAcks = new HashMap<>();
    private int acksSinceFlush;
    private long firstUnpersistedAckAt;
    /** By message id: when it was first sent (for the status endpoint's DELIVERED). */
    private final Map<String, Long> deliveredAt = new HashMap<>();
    /** By outbox key: last frame heard from the device app on the channel; stale channels below. */
    private final Map<String, Long> lastHeard = new HashMap<>();
    private final Set<String> stale = new java.util.HashSet<>();
    private boolean deliveryScheduled;
    private boolean publishingReceipts;
    /** Sends gathered for the next write; answered once it is durable. */
    private final List<EnqueueControlMessage> gatheredSends = new java.util.ArrayList<>();
    /**
     * Receipts the app event log confirmed, up to this number, not yet persisted as {@code ReceiptsPublished}: the
     * marker rides along with the next control write, or goes alone after {@code ack-batch-interval}. Lost in a crash,
     * it only means those receipts are published again, and the log records a key once.
     */
    private long receiptsConfirmedUpTo;
    private long receiptsConfirmedAt;
    private Cancellable controlTimer;
    private long controlTimerDueAt = Long.MAX_VALUE;

    private DeviceEntity(String deviceId, ActorContext<Command> context, ActorRef<ShardCommand> shard,
                         DeviceEntitySettings settings, PushEndpoints endpoints, AppEventPublisher appEvents) {
        super(PersistenceId.of(ENTITY_KEY.name(), deviceId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
        this.deviceId = deviceId;
        this.context = context;
        this.shard = shard;
        this.settings = settings;
        this.channelUris = endpoints::channelUri;
        this.endpoints = endpoints;
        this.appEvents = appEvents;
        this.control = settings.controlChannels();
        this.retention = ControlOutbox.Retention.of(control);
        this.rules = new DevicePolicy(settings.sandbox());
        this.inbox = new PushInbox(settings.push());
        this.webPushReceipts = new WebPushReceipts(deviceId, settings.push().webPushAckWait());
        context.setReceiveTimeout(settings.passivateAfterIdle(), IdleTimeout.INSTANCE);
    }

    public static Behavior<Command> create(String deviceId, ActorRef<ShardCommand> shard,
                                           DeviceEntitySettings settings, PushEndpoints endpoints,
                                           AppEventPublisher appEvents) {
        return Behaviors.setup(ctx -> new DeviceEntity(deviceId, ctx, shard, settings, endpoints, appEvents));
    }

    /** Events for app servers go to an in-memory log that nobody reads. */
    public static Behavior<Command> create(String deviceId, ActorRef<ShardCommand> shard,
                                           DeviceEntitySettings settings, PushEndpoints endpoints) {
        return create(deviceId, shard, settings, endpoints, new InMemoryAppEventPublisher(1000));
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
        return init(system, settings, endpoints, new InMemoryAppEventPublisher(10_000));
    }

    /** Starts sharding of device entities; receipts, upstream messages and channel states go to {@code appEvents}. */
    public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system, DeviceEntitySettings settings,
                                                          PushEndpoints endpoints, AppEventPublisher appEvents) {
        Entity<Command, ShardingEnvelope<Command>> entity = Entity.of(ENTITY_KEY,
                ctx -> create(ctx.getEntityId(), ctx.getShard(), settings, endpoints, appEvents));
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

    /**
     * One small dispatching handler per entity. Akka's handler builder allocates a case object and two lambdas per
     * command type for every entity it is built for (~3.5 KB here, measured with a heap histogram at 10,000
     * attached devices), which is a third of an idle device's cost; an {@code instanceof} chain costs nothing.
     */
    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return this::handle;
    }

    private ReplyEffect<Event, State> handle(State state, Command command) {
        if (command instanceof Attach c) {
            return onAttach(state, c);
        }
        if (command instanceof Detach c) {
            return onDetach(state, c);
        }
        if (command instanceof LinkLostWhileDown c) {
            return onLinkLostWhileDown(state, c);
        }
        if (command instanceof RequestLockScreenAccess c) {
            return onRequestLockScreenAccess(state, c);
        }
        if (command instanceof AnswerLockScreenConsent c) {
            return onAnswerLockScreenConsent(state, c);
        }
        if (command instanceof AddToLockScreenByUser c) {
            return onAddToLockScreenByUser(state, c);
        }
        if (command instanceof RemoveFromLockScreen c) {
            return onRemoveFromLockScreen(state, c);
        }
        if (command instanceof CreateControlChannel c) {
            return onCreateControlChannel(state, c);
        }
        if (command instanceof CloseControlChannel c) {
            return onCloseControlChannel(state, c);
        }
        if (command instanceof ReportControlChannelReset c) {
            return onReportControlChannelReset(state, c);
        }
        if (command instanceof ReportPower c) {
            return onReportPower(state, c);
        }
        if (command instanceof ReportAppState c) {
            return onReportAppState(state, c);
        }
        if (command instanceof RegisterTrigger c) {
            return onRegisterTrigger(state, c);
        }
        if (command instanceof RequestBackgroundTask c) {
            return onRequestBackgroundTask(state, c);
        }
        if (command instanceof ReportBackgroundTask c) {
            return onReportBackgroundTask(state, c);
        }
        if (command instanceof RequestChannel c) {
            return onRequestChannel(state, c);
        }
        if (command instanceof GetDevice c) {
            return onGetDevice(state, c);
        }
        if (command instanceof IdleTimeout c) {
            return onIdleTimeout(state, c);
        }
        if (command instanceof DeliverPush c) {
            return onDeliverPush(state, c);
        }
        if (command instanceof BatchDue c) {
            return onBatchDue(state, c);
        }
        if (command instanceof CloseChannel c) {
            return onCloseChannel(state, c);
        }
        if (command instanceof SubscribeWebPush c) {
            return onSubscribeWebPush(state, c);
        }
        if (command instanceof UnsubscribeWebPush c) {
            return onUnsubscribeWebPush(state, c);
        }
        if (command instanceof ManageWebPushMessage c) {
            return onManageWebPushMessage(state, c);
        }
        if (command instanceof WebPushAcked c) {
            return onWebPushAcked(state, c);
        }
        if (command instanceof WebPushReceiptsDue c) {
            return onWebPushReceiptsDue(state, c);
        }
        if (command instanceof RecordWebPushReceipts c) {
            return onRecordWebPushReceipts(state, c);
        }
        if (command instanceof EnqueueControlMessage c) {
            return onEnqueueControlMessage(state, c);
        }
        if (command instanceof PersistSends c) {
            return onPersistSends(state, c);
        }
        if (command instanceof GetControlMessage c) {
            return onGetControlMessage(state, c);
        }
        if (command instanceof ControlAckReceived c) {
            return onControlAck(state, c);
        }
        if (command instanceof ControlKeepAliveReceived c) {
            return onControlKeepAlive(state, c);
        }
        if (command instanceof ControlUpstreamReceived c) {
            return onControlUpstream(state, c);
        }
        if (command instanceof ControlDeliveryDue c) {
            return onControlDeliveryDue(state, c);
        }
        if (command instanceof ControlTick c) {
            return onControlTick(state, c);
        }
        if (command instanceof PublishReceipts c) {
            return onPublishReceipts(state, c);
        }
        if (command instanceof ReceiptsRecorded c) {
            return onReceiptsRecorded(state, c);
        }
        context.getLog().warn("unhandled command deviceId={} command={}", deviceId, command.getClass().getName());
        return Effect().unhandled().thenNoReply();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return this::applyEvent;
    }

    private State applyEvent(State state, Event event) {
        if (event instanceof ControlChanged changed) {
            return state.withControl(changed.change(), retention);
        }
        if (event instanceof ControlChangedAll all) {
            State next = state;
            for (ControlEvent change : all.changes()) {
                next = next.withControl(change, retention);
            }
            return next;
        }
        if (event instanceof PolicyChanged changed) {
            return state.withPolicy(changed);
        }
        if (event instanceof ChannelIssued issued) {
            return state.withChannel(issued);
        }
        if (event instanceof ChannelsClosed closed) {
            return state.withChannelsClosed(closed);
        }
        if (event instanceof WebPushSubscriptionIssued issued) {
            return state.withWebPushSubscription(issued);
        }
        if (event instanceof WebPushSubscriptionRemoved removed) {
            return state.withoutWebPushSubscription(removed);
        }
        throw new IllegalStateException("unknown event " + event.getClass().getName());
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (state.control().hasPending() || !state.control().receipts().isEmpty()) {
                        // receipts the event log had not confirmed go out again; TTLs are checked
                        context.getSelf().tell(PublishReceipts.INSTANCE);
                        context.getSelf().tell(ControlTick.INSTANCE);
                    }
                    if (state.policy().powerState() != PowerState.Off) {
                        // the node holding the link died: the device is off until it reconnects
                        context.getSelf().tell(new LinkLostWhileDown(System.currentTimeMillis()));
                    }
                })
                .build();
    }

    private ReplyEffect<Event, State> onAttach(State state, Attach attach) {
        LinkAddress previous = link;
        if (previous != null && !previous.equals(attach.link()) && attach.nowMillis() < linkAttachedAtMillis) {
            // An attach that waited longer than its link did (the link timed out waiting and the device has since
            // attached through a newer link): the newer link stays; the stale one, if still open, goes away.
            context.getLog().debug("stale attach deviceId={} linkId={} (current linkId={})", deviceId,
                    attach.link().linkId(), previous.linkId());
            attach.link().registry().tell(new LinkRegistry.Replaced(attach.link().linkId()));
            return Effect().reply(attach.replyTo(), new Attached(deviceId, state.channelCount(), context.getSelf()));
        }
        if (previous != null && !previous.equals(attach.link())) {
            previous.registry().tell(new LinkRegistry.Replaced(previous.linkId()));
        }
        link = attach.link();
        linkAttachedAtMillis = attach.nowMillis();
        power = PowerReport.AFTER_HANDSHAKE;
        context.cancelReceiveTimeout();
        context.getLog().debug("attached deviceId={} linkId={}", deviceId, link.linkId());
        List<DevicePolicyEvent> events = List.of();
        List<DeviceNotification> notifications = List.of();
        if (rules.connect(state.policy(), attach.capabilities(), attach.nowMillis()) instanceof PowerChange.Changed changed) {
            events = changed.events();
            notifications = changed.notifications();
        }
        List<DeviceNotification> toSend = notifications;
        return persistPolicy(events)
                .thenRun(s -> {
                    power = powerOf(s);
                    toSend.forEach(this::sendToLink);
                    long now = System.currentTimeMillis();
                    inbox.onLinkUp(power, now).forEach(this::sendAfterReconnect);
                    // RFC 8030 §6.2: a message sent but not acknowledged is retried until it expires
                    webPushReceipts.unacknowledged(now).forEach(this::sendToLink);
                    armBatchTimer(now);
                    // a new link (reconnect or replacement) gets everything unacked again, in order
                    sentUpTo.clear();
                    s.policy().controlChannels().channels().forEach(c -> lastHeard.put(ControlOutbox.key(c.appId(), c.channelId()), now));
                    scheduleControlDelivery();
                    armControlTimer(s, now);
                })
                .thenReply(attach.replyTo(), s -> new Attached(deviceId, s.channelCount(), context.getSelf()));
    }

    private ReplyEffect<Event, State> onDetach(State state, Detach detach) {
        if (!detach.link().equals(link)) {
            return Effect().noReply();
        }
        link = null;
        sentUpTo.clear();
        waitingForTask.clear();
        rawDeliveries.clear();
        inbox.onLinkDown(System.currentTimeMillis());
        context.setReceiveTimeout(settings.passivateAfterIdle(), IdleTimeout.INSTANCE);
        context.getLog().debug("detached deviceId={} linkId={}", deviceId, detach.link().linkId());
        return applyWithoutReply(rules.linkDown(state.policy(), detach.nowMillis()));
    }

    private ReplyEffect<Event, State> onLinkLostWhileDown(State state, LinkLostWhileDown lost) {
        if (link != null || state.policy().powerState() == PowerState.Off) {
            return Effect().noReply();
        }
        return applyWithoutReply(rules.linkDown(state.policy(), lost.nowMillis()));
    }

    // ---- lock screen ------------------------------------------------------------------------------

    private ReplyEffect<Event, State> onRequestLockScreenAccess(State state, RequestLockScreenAccess request) {
        return answerAccess(rules.requestAccess(state.policy(), request.appId(), request.declaredTasks()),
                request.appId(), request.replyTo());
    }

    private ReplyEffect<Event, State> onAnswerLockScreenConsent(State state, AnswerLockScreenConsent answer) {
        return answerAccess(rules.answerConsent(state.policy(), answer.appId(), answer.consent()),
                answer.appId(), answer.replyTo());
    }

    private ReplyEffect<Event, State> onAddToLockScreenByUser(State state, AddToLockScreenByUser add) {
        return answerAccess(rules.addToLockScreenByUser(state.policy(), add.appId(), add.declaredTasks()),
                add.appId(), add.replyTo());
    }

    private ReplyEffect<Event, State> onRemoveFromLockScreen(State state, RemoveFromLockScreen remove) {
        LockScreenRemoval removal = rules.removeFromLockScreen(state.policy(), remove.appId(), remove.cause());
        String rejection = removal instanceof LockScreenRemoval.NotOnLockScreen ? "NotOnLockScreen" : "";
        return apply(removal, remove.replyTo(), s -> new LockScreenAnswer(remove.appId(),
                rules.accessStatus(s.policy(), remove.appId()), false, rejection));
    }

    private ReplyEffect<Event, State> answerAccess(AccessDecision decision, String appId, ActorRef<LockScreenAnswer> replyTo) {
        if (decision instanceof AccessDecision.PromptUser) {
            return apply(decision, replyTo, s -> new LockScreenAnswer(appId, rules.accessStatus(s.policy(), appId), true, ""));
        }
        if (decision instanceof AccessDecision.Answer answer) {
            return apply(decision, replyTo, s -> new LockScreenAnswer(appId, answer.status(), false, ""));
        }
        AccessDecision.Rejected rejected = (AccessDecision.Rejected) decision;
        return apply(decision, replyTo, s -> new LockScreenAnswer(appId, rules.accessStatus(s.policy(), appId), false,
                rejected.reason().name()));
    }

    // ---- control channel triggers -----------------------------------------------------------------

    private ReplyEffect<Event, State> onCreateControlChannel(State state, CreateControlChannel create) {
        ChannelCreation creation = rules.createControlChannel(state.policy(), create.appId(), create.channelId(),
                create.serverKeepAliveMinutes(), create.resourceType());
        if (creation instanceof ChannelCreation.Completed completed) {
            boolean allocated = completed.status() == ControlChannelTriggerStatus.HardwareSlotAllocated
                    || completed.status() == ControlChannelTriggerStatus.SoftwareSlotAllocated;
            String uri = allocated ? endpoints.controlChannelUri(new ControlChannelToken(deviceId, create.appId(),
                    create.channelId(), System.currentTimeMillis())) : "";
            Optional<ControlEvent.ChannelReopened> reopened = allocated
                    ? state.control().reopen(create.appId(), create.channelId()) : Optional.empty();
            return persistPolicy(creation.events(), reopened)
                    .thenRun(s -> {
                        creation.notifications().forEach(this::sendToLink);
                        if (allocated) {
                            channelHeard(create.appId(), create.channelId(), System.currentTimeMillis(), "created");
                            scheduleControlDelivery(); // a channel created again under its id continues its queue
                            armControlTimer(s, System.currentTimeMillis());
                        }
                    })
                    .thenReply(create.replyTo(), s -> new ControlChannelAnswer(create.appId(), create.channelId(),
                            completed.status(), false, "", uri));
        }
        ChannelCreation.Rejected rejected = (ChannelCreation.Rejected) creation;
        return apply(creation, create.replyTo(),
                s -> new ControlChannelAnswer(create.appId(), create.channelId(), null, false, rejected.reason().name()));
    }

    private ReplyEffect<Event, State> onCloseControlChannel(State state, CloseControlChannel close) {
        ChannelClosing closing = rules.closeControlChannel(state.policy(), close.appId(), close.channelId());
        boolean closed = closing instanceof ChannelClosing.Closed;
        Function<State, ControlChannelAnswer> answer = s -> new ControlChannelAnswer(close.appId(), close.channelId(),
                null, closed, closed ? "" : "UnknownChannel");
        Optional<ControlEvent.ChannelClosed> queueClosed = closed
                ? state.control().close(close.appId(), close.channelId(), System.currentTimeMillis(), unpersistedAcks)
                : Optional.empty();
        // its unacked messages are rejected now (not left to their TTL) and later sends answered 410
        return persistPolicy(closing.events(), queueClosed)
                .thenRun(s -> {
                    closing.notifications().forEach(this::sendToLink);
                    if (queueClosed.isPresent()) {
                        publishReceipts(s);
                    }
                })
                .thenReply(close.replyTo(), answer::apply);
    }

    private ReplyEffect<Event, State> onReportControlChannelReset(State state, ReportControlChannelReset reset) {
        return applyWithoutReply(rules.resetControlChannels(state.policy(), reset.reason()));
    }

    // ---- power and app lifecycle ------------------------------------------------------------------

    private ReplyEffect<Event, State> onReportPower(State state, ReportPower report) {
        List<DevicePolicyEvent> events = new java.util.ArrayList<>();
        List<DeviceNotification> notifications = new java.util.ArrayList<>();
        DevicePolicyState policy = state.policy();
        if (report.powerSource() != null && report.powerSource() != policy.powerSource()) {
            PolicyChanges changes = rules.changePowerSource(policy, report.powerSource());
            events.addAll(changes.events());
            notifications.addAll(changes.notifications());
            policy = policy.applyAll(changes.events());
        }
        if (report.powerState() != null && report.powerState() != policy.powerState()) {
            PowerChange change = rules.changePowerState(policy, report.powerState(), report.nowMillis());
            if (change instanceof PowerChange.Rejected rejected) {
                context.getLog().info("power report refused deviceId={} to={} reason={}", deviceId, report.powerState(), rejected.reason());
            }
            events.addAll(change.events());
            notifications.addAll(change.notifications());
        }
        if (report.batterySaver() != null) {
            energySaver = report.batterySaver() ? EnergySaver.On : EnergySaver.Off;
        }
        return persistPolicy(events).thenRun(s -> {
            notifications.forEach(this::sendToLink);
            power = powerOf(s);
            if (link != null) {
                long now = System.currentTimeMillis();
                sendAll(inbox.onPowerChanged(power, now));
                armBatchTimer(now);
            }
            scheduleControlDelivery(); // e.g. software slots deliver again once the device is active
        }).thenNoReply();
    }

    /** The delivery-priority view of the device's power (wns-spec 4.17): the policy's state plus battery saver. */
    private PowerReport powerOf(State state) {
        PowerState powerState = state.policy().powerState() == PowerState.Off ? PowerState.Active : state.policy().powerState();
        return new PowerReport(powerState, state.policy().powerSource(), energySaver);
    }

    private ReplyEffect<Event, State> onReportAppState(State state, ReportAppState report) {
        PolicyChanges changes = rules.reportExecutionState(state.policy(), report.appId(), report.state());
        return persistPolicy(changes.events())
                .thenRun(s -> {
                    changes.notifications().forEach(this::sendToLink);
                    scheduleControlDelivery();
                })
                .thenNoReply();
    }

    // ---- background tasks -------------------------------------------------------------------------

    private ReplyEffect<Event, State> onRegisterTrigger(State state, RegisterTrigger register) {
        RegistrationDecision decision;
        if (register.unregister()) {
            decision = rules.unregisterTrigger(state.policy(), register.appId(), register.trigger());
        } else if (register.trigger() == TriggerKind.TimeTrigger || register.trigger() == TriggerKind.MaintenanceTrigger) {
            decision = rules.registerTimedTrigger(state.policy(), register.appId(), register.trigger(), register.freshnessMinutes());
        } else {
            decision = rules.registerTrigger(state.policy(), register.appId(), register.trigger());
        }
        String rejection = decision instanceof RegistrationDecision.Rejected r ? r.reason().name() : "";
        return apply(decision, register.replyTo(), s -> new TriggerAnswer(register.appId(), rejection.isEmpty(), rejection));
    }

    private ReplyEffect<Event, State> onRequestBackgroundTask(State state, RequestBackgroundTask request) {
        WakeDecision decision = rules.deviceTrigger(state.policy(), request.appId(), request.trigger(), request.nowMillis());
        BackgroundTaskAnswer answer;
        if (decision instanceof WakeDecision.Defer defer) {
            answer = new BackgroundTaskAnswer(request.appId(), TaskVerdict.DEFERRED, 0, defer.reason().name());
        } else if (decision instanceof WakeDecision.QuotaExhausted exhausted) {
            answer = new BackgroundTaskAnswer(request.appId(), TaskVerdict.QUOTA_EXHAUSTED, exhausted.refillAtMillis(),
                    "sandbox quota exhausted: " + exhausted.resources());
        } else if (decision instanceof WakeDecision.Refuse refuse) {
            answer = new BackgroundTaskAnswer(request.appId(), TaskVerdict.REFUSED, 0, refuse.reason().name());
        } else {
            answer = new BackgroundTaskAnswer(request.appId(), TaskVerdict.RUN, 0, "");
        }
        return apply(decision, request.replyTo(), s -> answer);
    }

    private ReplyEffect<Event, State> onReportBackgroundTask(State state, ReportBackgroundTask report) {
        UsageReport usage = rules.reportTaskCompleted(state.policy(), report.appId(), report.trigger(),
                report.cpuMillis(), report.networkBytes(), report.nowMillis());
        return persistPolicy(usage.events())
                .thenRun(s -> {
                    usage.notifications().forEach(this::sendToLink);
                    Command waiting = waitingForTask.remove(report.appId());
                    if (waiting != null) {
                        // wns-spec 5.10: the next trigger runs once the running task finished
                        context.getSelf().tell(waiting);
                    }
                    scheduleControlDelivery();
                })
                .thenNoReply();
    }

    private ReplyEffect<Event, State> onRequestChannel(State state, RequestChannel request) {
        long expiresAt = request.nowMillis() + settings.channelLifetime().toMillis();
        ChannelIssued issued = new ChannelIssued(request.appId(), UUID.randomUUID().toString(), request.nowMillis(), expiresAt);
        String uri = channelUris.apply(new ChannelToken(deviceId, issued.appId(), issued.channelId(), expiresAt));
        return Effect().persist(issued)
                .thenReply(request.replyTo(), s -> new ChannelGranted(issued.appId(), issued.channelId(), uri, expiresAt));
    }

    private ReplyEffect<Event, State> onGetDevice(State state, GetDevice get) {
        return Effect().reply(get.replyTo(), new DeviceView(deviceId, link != null, state.channelsByApp(), state.policy()));
    }

    private ReplyEffect<Event, State> onIdleTimeout(State state, IdleTimeout timeout) {
        if (link == null && !inbox.holdsLiveItems(System.currentTimeMillis()) && !publishingReceipts
                && state.control().receipts().isEmpty() && gatheredSends.isEmpty()
                && webPushReceipts.isEmpty() && webPushReceiptsInFlight == 0) {
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
        if (link != null && push instanceof WnsPush wns && wns.type() == WnsType.RAW) {
            return onConnectedRaw(state, command, wns);
        }
        return offer(command, push);
    }

    /**
     * A raw push to a connected device passes the Windows rules first (wns-spec 5.4-5.10): a foreground app
     * gets it as an event, a lock-screen app with a push trigger and budget as a background task, the next
     * one waits for the running task, anything else is dropped. What passes then follows the delivery
     * priority rules (wns-spec 4.17) like every other push.
     */
    private ReplyEffect<Event, State> onConnectedRaw(State state, DeliverPush command, WnsPush wns) {
        RawPushDecision decision = rules.rawPush(state.policy(), wns.appId(), System.currentTimeMillis());
        if (decision instanceof RawPushDecision.DeliverAsEvent) {
            rawDeliveries.put(wns.messageId(), RawDelivery.FOREGROUND_EVENT);
            return offer(command, wns);
        }
        if (decision instanceof RawPushDecision.StartBackgroundTask start) {
            rawDeliveries.put(wns.messageId(), RawDelivery.BACKGROUND_TASK);
            PushInbox.Offer offer = inbox.offer(wns, PushInbox.Link.Up, power, System.currentTimeMillis());
            return persistPolicy(start.events())
                    .thenRun(s -> {
                        offer.sendNow().ifPresent(this::sendToLink);
                        armBatchTimer(System.currentTimeMillis());
                    })
                    .thenReply(command.replyTo(), s -> offer.outcome());
        }
        if (decision instanceof RawPushDecision.WaitForRunningTask) {
            waitingForTask.put(wns.appId(), new DeliverPush(wns, context.getSystem().ignoreRef()));
            return Effect().reply(command.replyTo(),
                    new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED, PushOutcome.StoreReason.WAITING_FOR_BACKGROUND_TASK));
        }
        RawPushDecision.Drop drop = (RawPushDecision.Drop) decision;
        return Effect().reply(command.replyTo(), new PushOutcome.Dropped(DeviceConnectionStatus.CONNECTED, drop.reason().name()));
    }

    private ReplyEffect<Event, State> offer(DeliverPush command, Push push) {
        long now = System.currentTimeMillis();
        List<WebPushReceipts.Receipt> givenUp = push instanceof WebPushMessage message
                ? webPushReceipts.accepted(message, now) : List.of();
        PushInbox.Offer offer = inbox.offer(push, link == null ? PushInbox.Link.Down : PushInbox.Link.Up, power, now);
        offer.sendNow().ifPresent(this::sendToLink);
        armBatchTimer(now);
        if (push instanceof WebPushMessage message) {
            List<WebPushReceipts.Receipt> receipts = new java.util.ArrayList<>(givenUp);
            receipts.addAll(webPushReceipts.displaced(message, offer.displaced(), now));
            if (offer.outcome() instanceof PushOutcome.Dropped) {
                receipts.addAll(webPushReceipts.notDelivered(message, now));
            }
            recordWebPushReceipts(receipts);
            armWebPushReceiptTimer(now);
        }
        return Effect().reply(command.replyTo(), offer.outcome());
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
                .thenRun(s -> {
                    inbox.discardSubscription(unsubscribe.subscriptionId());
                    recordWebPushReceipts(webPushReceipts.unsubscribed(unsubscribe.subscriptionId(), unsubscribe.nowMillis()));
                })
                .thenNoReply();
    }

    private ReplyEffect<Event, State> onManageWebPushMessage(State state, ManageWebPushMessage manage) {
        long now = System.currentTimeMillis();
        boolean pending = manage.action() == MessageAction.Delete
                ? inbox.removeWebPush(manage.subscriptionId(), manage.messageId(), now)
                : inbox.findWebPush(manage.subscriptionId(), manage.messageId(), now).isPresent();
        if (pending && manage.action() == MessageAction.Delete) {
            recordWebPushReceipts(webPushReceipts.deleted(manage.subscriptionId(), manage.messageId(), now));
        }
        return Effect().reply(manage.replyTo(), new StoredWebPushMessage(pending));
    }

    // ---- Web Push receipts (RFC 8030 §5.1, §6.2, §6.3) -------------------------------------------------

    private ReplyEffect<Event, State> onWebPushAcked(State state, WebPushAcked acked) {
        List<WebPushReceipts.Receipt> receipts = new java.util.ArrayList<>();
        for (WebPushMessageRef ref : acked.messages()) {
            receipts.addAll(webPushReceipts.acknowledged(ref.subscriptionId(), ref.messageId(), acked.nowMillis()));
        }
        recordWebPushReceipts(receipts);
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onWebPushReceiptsDue(State state, WebPushReceiptsDue due) {
        webPushReceiptTimer = null;
        webPushReceiptTimerDueAt = Long.MAX_VALUE;
        long now = System.currentTimeMillis();
        recordWebPushReceipts(webPushReceipts.expire(now));
        armWebPushReceiptTimer(now);
        return Effect().noReply();
    }

    /** One timer for the earliest receipt deadline (a TTL's end, or the wait for an acknowledgement). */
    private void armWebPushReceiptTimer(long now) {
        Optional<Long> next = webPushReceipts.nextDeadline();
        if (next.isEmpty() || (webPushReceiptTimer != null && webPushReceiptTimerDueAt <= next.get())) {
            return;
        }
        if (webPushReceiptTimer != null) {
            webPushReceiptTimer.cancel();
        }
        webPushReceiptTimerDueAt = next.get();
        webPushReceiptTimer = context.scheduleOnce(Duration.ofMillis(Math.max(0, next.get() - now)), context.getSelf(),
                WebPushReceiptsDue.INSTANCE);
    }

    private ReplyEffect<Event, State> onRecordWebPushReceipts(State state, RecordWebPushReceipts record) {
        webPushReceiptsInFlight--;
        recordWebPushReceipts(record.receipts(), record.attempt());
        return Effect().noReply();
    }

    private void recordWebPushReceipts(List<WebPushReceipts.Receipt> receipts) {
        recordWebPushReceipts(receipts, 1);
    }

    /**
     * Hands receipts to their receipt subscriptions' event logs; what a log did not confirm is tried again after a
     * tick, a few times (the log records a receipt once, whatever the retries).
     */
    private void recordWebPushReceipts(List<WebPushReceipts.Receipt> receipts, int attempt) {
        if (receipts.isEmpty()) {
            return;
        }
        Map<String, List<AppEvent>> byLog = new java.util.LinkedHashMap<>();
        receipts.forEach(r -> byLog.computeIfAbsent(AppEvent.WebPushReceipt.logOf(r.receiptSubscriptionId()),
                k -> new java.util.ArrayList<>()).add(r.event()));
        ActorRef<Command> self = context.getSelf();
        ActorSystem<Void> system = context.getSystem();
        for (Map.Entry<String, List<AppEvent>> log : byLog.entrySet()) {
            List<WebPushReceipts.Receipt> ofLog = receipts.stream()
                    .filter(r -> AppEvent.WebPushReceipt.logOf(r.receiptSubscriptionId()).equals(log.getKey())).toList();
            webPushReceiptsInFlight++;
            safePublish(log.getKey(), log.getValue()).whenComplete((done, failure) -> {
                if (failure == null) {
                    self.tell(new RecordWebPushReceipts(List.of(), attempt));
                } else if (attempt < WEB_PUSH_RECEIPT_ATTEMPTS) {
                    system.log().warn("push receipts not recorded deviceId={} log={} attempt={}: {}",
                            deviceId, log.getKey(), attempt, failure.toString());
                    system.scheduler().scheduleOnce(control.tickInterval(),
                            () -> self.tell(new RecordWebPushReceipts(ofLog, attempt + 1)), system.executionContext());
                } else {
                    system.log().error("push receipts lost deviceId={} log={} receipts={}: {}", deviceId,
                            log.getKey(), ofLog.size(), failure.toString());
                    self.tell(new RecordWebPushReceipts(List.of(), attempt));
                }
            });
        }
    }

    private static final int WEB_PUSH_RECEIPT_ATTEMPTS = 5;

    /** Keeps one batch timer running while a connected device has batched pushes. */
    private void armBatchTimer(long now) {
        if (link != null && batchTimer == null && inbox.hasBatched(power, now)) {
            batchTimer = context.scheduleOnce(settings.push().batchInterval(), context.getSelf(), BatchDue.INSTANCE);
        }
    }

    /**
     * What the inbox kept while the device was away goes out once it is back; a kept raw notification reaches
     * its app only through the Windows rules as they stand now (wns-spec 5.4-5.10), like a fresh one.
     */
    private void sendAfterReconnect(Push push) {
        if (push instanceof WnsPush wns && wns.type() == WnsType.RAW && !rawDeliveries.containsKey(wns.messageId())) {
            context.getSelf().tell(new DeliverPush(wns, context.getSystem().ignoreRef()));
        } else {
            sendToLink(push);
        }
    }

    private void sendAll(List<Push> pushes) {
        if (link != null) {
            pushes.forEach(this::sendToLink);
        }
    }

    private void sendToLink(Push push) {
        if (push instanceof WnsPush wns) {
            RawDelivery delivery = wns.type() == WnsType.RAW
                    ? rawDeliveries.getOrDefault(wns.messageId(), RawDelivery.FOREGROUND_EVENT)
                    : RawDelivery.RAW_DELIVERY_UNSPECIFIED;
            rawDeliveries.remove(wns.messageId());
            link.registry().tell(new LinkRegistry.Deliver(link.linkId(), wns.appId(), wns.channelId(),
                    wns.type().linkType(), wns.payload(), wns.messageId(), wns.acceptedAtMillis(), delivery));
        } else if (push instanceof WebPushMessage message) {
            webPushReceipts.sent(message, System.currentTimeMillis());
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

    private void sendToLink(DeviceNotification notification) {
        if (link != null) {
            link.registry().tell(new LinkRegistry.Notify(link.linkId(), notification));
        }
    }

    // ---- guaranteed control-channel messages --------------------------------------------------------

    /**
     * Group commit: a send waits for the {@link PersistSends} it queues behind whatever is already in the mailbox, and
     * Akka stashes commands while a write is in flight, so every send that arrives during one write goes out as the
     * next write (DESIGN.md: one persist per message per round trip measured ~650/s on H2).
     */
    private ReplyEffect<Event, State> onEnqueueControlMessage(State state, EnqueueControlMessage send) {
        if (state.control().isClosed(send.appId(), send.channelId())) {
            return Effect().reply(send.replyTo(), new ControlSendReply(ControlSendResult.CHANNEL_CLOSED, "", 0, 0));
        }
        gatheredSends.add(send);
        if (gatheredSends.size() == 1) {
            context.getSelf().tell(PersistSends.INSTANCE);
        }
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onPersistSends(State state, PersistSends persist) {
        if (gatheredSends.isEmpty()) {
            return Effect().noReply();
        }
        List<EnqueueControlMessage> sends = new java.util.ArrayList<>(gatheredSends.size());
        for (EnqueueControlMessage send : gatheredSends) {
            if (!state.control().isClosed(send.appId(), send.channelId())) {
                sends.add(send);
            } else { // closed while the send waited for this write
                send.replyTo().tell(new ControlSendReply(ControlSendResult.CHANNEL_CLOSED, "", 0, 0));
            }
        }
        gatheredSends.clear();
        List<ControlOutbox.Enqueue> decisions = state.control().enqueueAll(
                sends.stream().map(c -> new ControlOutbox.Send(c.appId(), c.channelId(), c.clientMessageId(), c.payload(),
                        c.nowMillis(), c.expiresAtMillis())).toList(),
                () -> UUID.randomUUID().toString(), control.backlogPerChannel());
        List<ControlSendReply> replies = new java.util.ArrayList<>(sends.size());
        List<ControlEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < sends.size(); i++) {
            ControlOutbox.Enqueue decision = decisions.get(i);
            if (decision instanceof ControlOutbox.Enqueue.Accepted accepted) {
                events.add(accepted.event());
                replies.add(new ControlSendReply(ControlSendResult.ACCEPTED, accepted.event().messageId(),
                        accepted.event().seq(), 0));
            } else if (decision instanceof ControlOutbox.Enqueue.Duplicate duplicate) {
                replies.add(new ControlSendReply(ControlSendResult.DUPLICATE, duplicate.fate().messageId(),
                        duplicate.fate().seq(), 0));
            } else {
                ControlOutbox.Enqueue.BacklogFull full = (ControlOutbox.Enqueue.BacklogFull) decision;
                context.getLog().debug("control backlog full deviceId={} appId={} channelId={} backlog={}", deviceId,
                        sends.get(i).appId(), sends.get(i).channelId(), full.backlog());
                replies.add(new ControlSendReply(ControlSendResult.BACKLOG_FULL, "", 0, full.backlog()));
            }
        }
        Runnable answer = () -> {
            for (int i = 0; i < sends.size(); i++) {
                sends.get(i).replyTo().tell(replies.get(i));
            }
        };
        if (events.isEmpty()) {
            answer.run();
            return Effect().noReply();
        }
        // acks received since the last write ride along instead of waiting for a write of their own (a device that
        // acks each message before the next one arrives costs one row per message, not two)
        Map<String, Long> flushedAcks = Map.copyOf(unpersistedAcks);
        List<ControlEvent> write = new java.util.ArrayList<>(unpersistedAckEvents(state, System.currentTimeMillis()));
        unpersistedAcks.clear();
        acksSinceFlush = 0;
        write.addAll(events);
        // journaled before the replies: a 2xx means the message survives a crash (DESIGN.md "The two paths"); a
        // duplicate of a message in this same write is answered after it too
        return Effect().persist(controlWrite(withReceiptMarker(state, write)))
                .thenRun(s -> {
                    answer.run();
                    if (!flushedAcks.isEmpty()) {
                        deliveredAt.keySet().removeIf(id -> isFinished(s, id, flushedAcks));
                    }
                    scheduleControlDelivery();
                    publishReceipts(s);
                    armControlTimer(s, System.currentTimeMillis());
                })
                .thenNoReply();
    }

    /** {@code events} plus, when the event log confirmed receipts since the last marker, the marker. */
    private List<ControlEvent> withReceiptMarker(State state, List<ControlEvent> events) {
        Optional<ControlEvent.ReceiptsPublished> marker = state.control().receiptsConfirmed(receiptsConfirmedUpTo);
        if (marker.isEmpty()) {
            return events;
        }
        List<ControlEvent> all = new java.util.ArrayList<>(events);
        all.add(marker.get());
        return all;
    }

    private ReplyEffect<Event, State> onGetControlMessage(State state, GetControlMessage get) {
        MessageFate fate = state.control().fate(get.appId(), get.channelId(), get.messageId())
                .map(f -> {
                    Long sentAt = deliveredAt.get(f.messageId());
                    if (f.state() == MessageFate.State.ACCEPTED && sentAt != null) {
                        return new MessageFate(f.messageId(), f.clientMessageId(), f.seq(), MessageFate.State.DELIVERED,
                                f.acceptedAtMillis(), sentAt, 0, f.expiresAtMillis(), 0);
                    }
                    return f;
                })
                .orElse(null);
        return Effect().reply(get.replyTo(), new ControlMessageStatus(fate));
    }

    private ReplyEffect<Event, State> onControlAck(State state, ControlAckReceived ack) {
        String key = ControlOutbox.key(ack.appId(), ack.channelId());
        channelHeard(ack.appId(), ack.channelId(), ack.nowMillis(), "ack");
        Optional<ControlEvent.MessagesAcked> acked = state.control().ack(ack.appId(), ack.channelId(), ack.upToSeq(), ack.nowMillis());
        if (acked.isPresent() && acked.get().upToSeq() > unpersistedAcks.getOrDefault(key, 0L)) {
            if (unpersistedAcks.isEmpty()) {
                firstUnpersistedAckAt = ack.nowMillis();
            }
            unpersistedAcks.put(key, acked.get().upToSeq());
            acksSinceFlush++;
            scheduleControlDelivery(); // the window has room again
        }
        if (acksSinceFlush >= control.ackBatchSize()) {
            return flushAcks(state, ack.nowMillis());
        }
        armControlTimer(state, ack.nowMillis());
        return Effect().noReply();
    }

    /** Persists the batched acks: one event per channel, the highest sequence acked. */
    private ReplyEffect<Event, State> flushAcks(State state, long nowMillis) {
        if (unpersistedAcks.isEmpty()) {
            acksSinceFlush = 0;
            return Effect().noReply();
        }
        List<ControlEvent> events = unpersistedAckEvents(state, nowMillis);
        Map<String, Long> flushed = Map.copyOf(unpersistedAcks);
        unpersistedAcks.clear();
        acksSinceFlush = 0;
        if (events.isEmpty()) {
            return Effect().noReply();
        }
        return Effect().persist(controlWrite(withReceiptMarker(state, events)))
                .thenRun(s -> {
                    deliveredAt.keySet().removeIf(id -> isFinished(s, id, flushed));
                    publishReceipts(s);
                    armControlTimer(s, System.currentTimeMillis());
                })
                .thenNoReply();
    }

    /** The acks received and not yet persisted, one event per channel (the highest sequence acked), in key order. */
    private List<ControlEvent> unpersistedAckEvents(State state, long nowMillis) {
        List<ControlEvent> events = new java.util.ArrayList<>();
        new java.util.TreeMap<>(unpersistedAcks).forEach((key, upTo) -> {
            int cut = key.indexOf('\n');
            state.control().ack(key.substring(0, cut), key.substring(cut + 1), upTo, nowMillis).ifPresent(events::add);
        });
        return events;
    }

    private static boolean isFinished(State state, String messageId, Map<String, Long> keys) {
        for (String key : keys.keySet()) {
            var queue = state.control().queues().get(key);
            if (queue != null && queue.pending().stream().anyMatch(m -> m.messageId().equals(messageId))) {
                return false;
            }
        }
        return true;
    }

    private ReplyEffect<Event, State> onControlKeepAlive(State state, ControlKeepAliveReceived keepAlive) {
        if (state.policy().controlChannels().find(keepAlive.appId(), keepAlive.channelId()).isEmpty()) {
            return Effect().noReply();
        }
        channelHeard(keepAlive.appId(), keepAlive.channelId(), keepAlive.nowMillis(), "keep-alive");
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onControlUpstream(State state, ControlUpstreamReceived upstream) {
        if (state.policy().controlChannels().find(upstream.appId(), upstream.channelId()).isEmpty()) {
            context.getLog().debug("upstream on unknown control channel deviceId={} appId={} channelId={}", deviceId,
                    upstream.appId(), upstream.channelId());
            return Effect().noReply();
        }
        channelHeard(upstream.appId(), upstream.channelId(), upstream.nowMillis(), "upstream");
        publish(upstream.appId(), List.of(new AppEvent.UpstreamMessage(deviceId, upstream.channelId(),
                upstream.upstreamId(), upstream.payload(), upstream.nowMillis())));
        return Effect().noReply();
    }

    /** Traffic from the device app on the channel: it is alive; a stale channel is active again. */
    private void channelHeard(String appId, String channelId, long nowMillis, String why) {
        String key = ControlOutbox.key(appId, channelId);
        lastHeard.put(key, nowMillis);
        if (stale.remove(key)) {
            publish(appId, List.of(new AppEvent.ChannelStateChanged(deviceId, channelId, AppEvent.ChannelState.ACTIVE,
                    why, nowMillis)));
        }
    }

    private void scheduleControlDelivery() {
        if (!deliveryScheduled && link != null) {
            deliveryScheduled = true;
            context.getSelf().tell(ControlDeliveryDue.INSTANCE);
        }
    }

    /**
     * Sends what the window, the channels' slots and the device's power allow (wns-spec 7.9, seed 000, via
     * {@link DevicePolicy#controlChannelMessage}). Where a background task is woken, its start is persisted (charged
     * to the app's sandbox budget) once per app and round: the messages of that round go to the one task.
     */
    private ReplyEffect<Event, State> onControlDeliveryDue(State state, ControlDeliveryDue due) {
        deliveryScheduled = false;
        if (link == null || !state.control().hasPending()) {
            return Effect().noReply();
        }
        long now = System.currentTimeMillis();
        List<DevicePolicyEvent> started = new java.util.ArrayList<>();
        Map<String, RawDelivery> deliveryByApp = new HashMap<>();
        List<ControlMessage> toSend = state.control().nextToDeliver(sentUpTo, unpersistedAcks, control.window(), now,
                queue -> {
                    WakeDecision decision = rules.controlChannelMessage(state.policy(), queue.appId(), queue.channelId(), now);
                    if (decision instanceof WakeDecision.DeliverToForegroundApp) {
                        deliveryByApp.putIfAbsent(queue.appId(), RawDelivery.FOREGROUND_EVENT);
                        return true;
                    }
                    if (decision instanceof WakeDecision.StartBackgroundTask start) {
                        if (deliveryByApp.putIfAbsent(queue.appId(), RawDelivery.BACKGROUND_TASK) == null) {
                            started.addAll(start.events());
                        }
                        return true;
                    }
                    return false; // deferred (power, slot, running task, quota) or refused (no such channel now)
                });
        if (toSend.isEmpty()) {
            return Effect().noReply();
        }
        for (ControlMessage m : toSend) {
            sentUpTo.merge(ControlOutbox.key(m.appId(), m.channelId()), m.seq(), Math::max);
            deliveredAt.putIfAbsent(m.messageId(), now);
        }
        LinkAddress target = link;
        return persistPolicy(started)
                .thenRun(s -> {
                    Map<String, List<AppEvent>> receipts = new HashMap<>();
                    for (ControlMessage m : toSend) {
                        target.registry().tell(new LinkRegistry.Deliver(target.linkId(), m.appId(), "", NotificationType.CONTROL,
                                m.payload(), m.messageId(), m.acceptedAtMillis(),
                                deliveryByApp.getOrDefault(m.appId(), RawDelivery.FOREGROUND_EVENT), m.channelId(), m.seq()));
                        receipts.computeIfAbsent(m.appId(), a -> new java.util.ArrayList<>()).add(new AppEvent.MessageReceipt(
                                deviceId, m.channelId(), m.messageId(), AppEvent.MessageFate.DELIVERED, "", now));
                    }
                    receipts.forEach(this::publish); // best effort: deliveries are not journaled
                })
                .thenNoReply();
    }

    /** Expired messages, missed keep-alives, acks waiting too long to be persisted. */
    private ReplyEffect<Event, State> onControlTick(State state, ControlTick tick) {
        controlTimer = null;
        controlTimerDueAt = Long.MAX_VALUE;
        long now = System.currentTimeMillis();
        for (ControlChannel channel : state.policy().controlChannels().channels()) {
            String key = ControlOutbox.key(channel.appId(), channel.channelId());
            long last = lastHeard.computeIfAbsent(key, k -> now);
            if (now - last > keepAliveMillis(channel) && stale.add(key)) {
                context.getLog().info("control channel stale deviceId={} appId={} channelId={}", deviceId,
                        channel.appId(), channel.channelId());
                publish(channel.appId(), List.of(new AppEvent.ChannelStateChanged(deviceId, channel.channelId(),
                        AppEvent.ChannelState.STALE, "no keep-alive within " + channel.serverKeepAliveIntervalInMinutes()
                        + " keep-alive units", now)));
            }
        }
        List<ControlEvent> events = new java.util.ArrayList<>();
        if (!unpersistedAcks.isEmpty() && now - firstUnpersistedAckAt >= control.ackBatchInterval().toMillis()) {
            events.addAll(unpersistedAckEvents(state, now));
            unpersistedAcks.clear();
            acksSinceFlush = 0;
        }
        events.addAll(state.control().expire(now, unpersistedAcks));
        state.control().receiptsConfirmed(receiptsConfirmedUpTo).ifPresent(events::add);
        if (events.isEmpty()) {
            armControlTimer(state, now);
            return Effect().noReply();
        }
        return Effect().persist(controlWrite(events))
                .thenRun(s -> {
                    deliveredAt.keySet().removeIf(id -> s.control().queues().values().stream()
                            .noneMatch(q -> q.pending().stream().anyMatch(m -> m.messageId().equals(id))));
                    publishReceipts(s);
                    scheduleControlDelivery();
                    armControlTimer(s, System.currentTimeMillis());
                })
                .thenNoReply();
    }

    private long keepAliveMillis(ControlChannel channel) {
        return control.keepAliveUnit().toMillis() * channel.serverKeepAliveIntervalInMinutes();
    }

    /** One timer for the earliest of: next expiry, next keep-alive deadline, batched acks due; never sooner than a tick. */
    private void armControlTimer(State state, long now) {
        long due = Long.MAX_VALUE;
        Optional<Long> expiry = state.control().nextExpiry();
        if (expiry.isPresent()) {
            due = expiry.get();
        }
        for (ControlChannel channel : state.policy().controlChannels().channels()) {
            String key = ControlOutbox.key(channel.appId(), channel.channelId());
            if (!stale.contains(key)) {
                due = Math.min(due, lastHeard.getOrDefault(key, now) + keepAliveMillis(channel) + 1);
            }
        }
        if (!unpersistedAcks.isEmpty()) {
            due = Math.min(due, firstUnpersistedAckAt + control.ackBatchInterval().toMillis());
        }
        if (state.control().receiptsConfirmed(receiptsConfirmedUpTo).isPresent()) {
            due = Math.min(due, receiptsConfirmedAt + control.ackBatchInterval().toMillis());
        }
        if (due == Long.MAX_VALUE) {
            return;
        }
        due = Math.max(due, now + control.tickInterval().toMillis());
        if (controlTimer != null && controlTimerDueAt <= due) {
            return;
        }
        if (controlTimer != null) {
            controlTimer.cancel();
        }
        controlTimerDueAt = due;
        controlTimer = context.scheduleOnce(Duration.ofMillis(due - now), context.getSelf(), ControlTick.INSTANCE);
    }

    private ReplyEffect<Event, State> onPublishReceipts(State state, PublishReceipts publish) {
        publishReceipts(state);
        return Effect().noReply();
    }

    /**
     * Hands the oldest unconfirmed receipts to the app event log, one batch at a time; what it confirmed is persisted
     * as a small {@code ReceiptsPublished} with the next control write (see {@link #receiptsConfirmedUpTo}). What it
     * did not confirm before a crash is published again after recovery: at least once, and the log de-duplicates by key.
     */
    private void publishReceipts(State state) {
        if (publishingReceipts) {
            return;
        }
        List<PendingReceipt> batch = state.control().receiptsToPublish(receiptsConfirmedUpTo, RECEIPT_BATCH);
        if (batch.isEmpty()) {
            return;
        }
        publishingReceipts = true;
        long upTo = batch.get(batch.size() - 1).no();
        Map<String, List<AppEvent>> byApp = new java.util.LinkedHashMap<>();
        batch.forEach(r -> byApp.computeIfAbsent(r.appId(), a -> new java.util.ArrayList<>()).add(r.toEvent(deviceId)));
        java.util.concurrent.CompletableFuture<?>[] stages = byApp.entrySet().stream()
                .map(e -> safePublish(e.getKey(), e.getValue()).toCompletableFuture())
                .toArray(java.util.concurrent.CompletableFuture[]::new);
        ActorRef<Command> self = context.getSelf();
        java.util.concurrent.CompletableFuture.allOf(stages)
                .orTimeout(settings.askTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((done, failure) -> self.tell(new ReceiptsRecorded(upTo, failure == null)));
    }

    private static final int RECEIPT_BATCH = 256;

    private ReplyEffect<Event, State> onReceiptsRecorded(State state, ReceiptsRecorded recorded) {
        publishingReceipts = false;
        if (!recorded.ok()) {
            context.getLog().warn("app event log did not record receipts deviceId={}; retrying", deviceId);
            context.scheduleOnce(control.tickInterval(), context.getSelf(), PublishReceipts.INSTANCE);
            return Effect().noReply();
        }
        long now = System.currentTimeMillis();
        if (state.control().receiptsConfirmed(receiptsConfirmedUpTo).isEmpty()) {
            receiptsConfirmedAt = now; // the oldest confirmation waiting for its marker
        }
        receiptsConfirmedUpTo = Math.max(receiptsConfirmedUpTo, recorded.upToReceiptNo());
        publishReceipts(state);
        armControlTimer(state, now);
        return Effect().noReply();
    }

    private java.util.concurrent.CompletionStage<akka.Done> safePublish(String appId, List<AppEvent> events) {
        try {
            return appEvents.publish(appId, events);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /** Best effort (deliveries, upstream, channel states): a failure is logged, not retried. */
    private void publish(String appId, List<AppEvent> events) {
        safePublish(appId, events).whenComplete((done, failure) -> {
            if (failure != null) {
                context.getSystem().log().warn("app event not recorded deviceId={} appId={}: {}", deviceId, appId,
                        failure.toString());
            }
        });
    }

    /** Resets and closes of control channels reach the app server as channel states. */
    private void publishChannelStates(List<DevicePolicyEvent> events) {
        long now = System.currentTimeMillis();
        for (DevicePolicyEvent event : events) {
            if (event instanceof DevicePolicyEvent.ControlChannelsReset reset) {
                publish(reset.appId(), reset.channelIds().stream().<AppEvent>map(id -> new AppEvent.ChannelStateChanged(
                        deviceId, id, AppEvent.ChannelState.RESET, reset.reason().name(), now)).toList());
                reset.channelIds().forEach(id -> stale.remove(ControlOutbox.key(reset.appId(), id)));
            } else if (event instanceof DevicePolicyEvent.ControlChannelClosed closed) {
                publish(closed.appId(), List.of(new AppEvent.ChannelStateChanged(deviceId, closed.channelId(),
                        AppEvent.ChannelState.CLOSED, closed.cause().name(), now)));
                stale.remove(ControlOutbox.key(closed.appId(), closed.channelId()));
            }
        }
    }

    // ---- applying decisions -----------------------------------------------------------------------

    private akka.persistence.typed.javadsl.EffectBuilder<Event, State> persistPolicy(List<DevicePolicyEvent> events) {
        return persistPolicy(events, Optional.empty());
    }

    /** The policy's events and, in the same write, a change of the control outbox that goes with them. */
    private akka.persistence.typed.javadsl.EffectBuilder<Event, State> persistPolicy(List<DevicePolicyEvent> events,
            Optional<? extends ControlEvent> control) {
        if (events.isEmpty() && control.isEmpty()) {
            return Effect().none();
        }
        List<Event> all = new java.util.ArrayList<>(events.size() + 1);
        events.forEach(e -> all.add(new PolicyChanged(e)));
        control.ifPresent(e -> all.add(new ControlChanged(e)));
        return Effect().persist(all).thenRun(s -> publishChannelStates(events));
    }

    /** Persists the decision's events, then sends its notifications and the reply made from the new state. */
    private <R> ReplyEffect<Event, State> apply(PolicyDecision decision, ActorRef<R> replyTo, Function<State, R> reply) {
        return persistPolicy(decision.events())
                .thenRun(s -> decision.notifications().forEach(this::sendToLink))
                .thenReply(replyTo, reply::apply);
    }

    private ReplyEffect<Event, State> applyWithoutReply(PolicyDecision decision) {
        return persistPolicy(decision.events())
                .thenRun(s -> decision.notifications().forEach(this::sendToLink))
                .thenNoReply();
    }
}
