package io.wakeline.broker.device;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.device.channels.PushChannels;
import io.wakeline.broker.device.channels.WebPushSubscription;
import io.wakeline.broker.device.control.ControlEvent;
import io.wakeline.broker.device.control.ControlOutbox;
import io.wakeline.broker.device.control.MessageFate;
import io.wakeline.broker.device.link.LinkAddress;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.BackgroundAccessStatus;
import io.wakeline.broker.device.policy.ControlChannelTriggerResetReason;
import io.wakeline.broker.device.policy.ControlChannelTriggerResourceType;
import io.wakeline.broker.device.policy.ControlChannelTriggerStatus;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.policy.DevicePolicyEvent;
import io.wakeline.broker.device.policy.DevicePolicyState;
import io.wakeline.broker.device.policy.LockScreenConsent;
import io.wakeline.broker.device.policy.LockScreenRemovalCause;
import io.wakeline.broker.device.policy.ManifestBackgroundTask;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.policy.TriggerKind;
import io.wakeline.broker.device.policy.WakeDecision;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One device, as a sharded event-sourced entity: its apps' push channels and Web Push subscriptions and its Windows
 * policy state (lock screen, control-channel slots, power, app lifecycle, sandbox budgets) and guaranteed control
 * messages, persisted; its link and pushes, in memory. This class is the entity's protocol: the commands, answers,
 * events and state. {@code device.shell.DeviceEntityShell} starts it and is its behaviour: the shell that applies the
 * rule objects' decisions (docs/architecture.md).
 *
 * <p>Class names and fields here are wire forms: commands and answers cross nodes (gateways on any node, the entity
 * on one), events and the state are in the journal. Renaming one breaks rolling upgrades and old journals; the
 * fixtures of {@code CrossNodeWireTest} and {@code OldJournalRecoveryTest} catch it.
 */
public final class DeviceEntity {
    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Device");

    private DeviceEntity() {
    }

    public sealed interface Command extends CborSerializable {
    }

    // ---- the link ---------------------------------------------------------------------------------------------

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

    // ---- the lock screen (wns-spec 6) ---------------------------------------------------------------------------

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

    /** {@code rejection} is {@code None} unless the request was refused outright (then status is the current one). */
    public record LockScreenAnswer(String appId, BackgroundAccessStatus status, boolean showConsentPrompt,
                                   LockScreenRejection rejection) implements CborSerializable {
    }

    // ---- control channel triggers (wns-spec 7) ------------------------------------------------------------------

    public record CreateControlChannel(String appId, String channelId, int serverKeepAliveMinutes,
                                       ControlChannelTriggerResourceType resourceType,
                                       ActorRef<ControlChannelAnswer> replyTo) implements Command {
    }

    public record CloseControlChannel(String appId, String channelId, ActorRef<ControlChannelAnswer> replyTo)
            implements Command {
    }

    /**
     * A create answers with the channel's status (and its URI when it got a slot); a close that closed the channel
     * with neither; a request refused outright with its rejection. The device's frame also says {@code closed}.
     */
    @JsonIgnoreProperties(value = "closed", allowGetters = true)
    public record ControlChannelAnswer(String appId, String channelId, Optional<ControlChannelTriggerStatus> status,
                                       ControlChannelRejection rejection, String controlChannelUri)
            implements CborSerializable {

        public static ControlChannelAnswer created(String appId, String channelId, ControlChannelTriggerStatus status,
                                                   String controlChannelUri) {
            return new ControlChannelAnswer(appId, channelId, Optional.of(status), ControlChannelRejection.None,
                    controlChannelUri);
        }

        public static ControlChannelAnswer closed(String appId, String channelId) {
            return new ControlChannelAnswer(appId, channelId, Optional.empty(), ControlChannelRejection.None, "");
        }

        public static ControlChannelAnswer rejected(String appId, String channelId, ControlChannelRejection rejection) {
            return new ControlChannelAnswer(appId, channelId, Optional.empty(), rejection, "");
        }

        /** Whether a close closed the channel. */
        @JsonProperty("closed")
        public boolean closed() {
            return status.isEmpty() && rejection == ControlChannelRejection.None;
        }
    }

    public record ReportControlChannelReset(ControlChannelTriggerResetReason reason) implements Command {
    }

    // ---- guaranteed control-channel messages (DESIGN.md "The two paths": control channel) --------------------

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

        public static ControlSendReply of(ControlOutbox.Enqueue decision) {
            if (decision instanceof ControlOutbox.Enqueue.Accepted accepted) {
                return new ControlSendReply(ControlSendResult.ACCEPTED, accepted.event().messageId(), accepted.event().seq(), 0);
            }
            if (decision instanceof ControlOutbox.Enqueue.Duplicate duplicate) {
                return new ControlSendReply(ControlSendResult.DUPLICATE, duplicate.fate().messageId(), duplicate.fate().seq(), 0);
            }
            if (decision instanceof ControlOutbox.Enqueue.BacklogFull full) {
                return new ControlSendReply(ControlSendResult.BACKLOG_FULL, "", 0, full.backlog());
            }
            return new ControlSendReply(ControlSendResult.CHANNEL_CLOSED, "", 0, 0);
        }
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

    // ---- power and app lifecycle (wns-spec 5, 7.9) ------------------------------------------------------------

    /** Any field may be null: left as it was. Battery saver drives delivery priority (wns-spec 4.17). */
    public record ReportPower(PowerState powerState, PowerSource powerSource, Boolean batterySaver, long nowMillis)
            implements Command {
    }

    public record ReportAppState(String appId, AppExecutionState state) implements Command {
    }

    // ---- background tasks and the sandbox budget (wns-spec 8) -------------------------------------------------

    /** {@code BackgroundTaskBuilder.Register}, or unregistering the task; the wire keeps the boolean "unregister". */
    public record RegisterTrigger(String appId, TriggerKind trigger, int freshnessMinutes,
                                  @JsonProperty("unregister") Change change, ActorRef<TriggerAnswer> replyTo)
            implements Command {

        public enum Change {
            Register, Unregister;

            @JsonValue
            public boolean unregisters() {
                return this == Unregister;
            }

            @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
            public static Change ofUnregister(boolean unregister) {
                return unregister ? Unregister : Register;
            }
        }
    }

    /** The device's frame also says {@code accepted}: no rejection. */
    @JsonIgnoreProperties(value = "accepted", allowGetters = true)
    public record TriggerAnswer(String appId, TriggerRejection rejection) implements CborSerializable {

        @JsonProperty("accepted")
        public boolean accepted() {
            return rejection == TriggerRejection.None;
        }
    }

    /** A time or maintenance trigger is due on the device: may its task run now? */
    public record RequestBackgroundTask(String appId, TriggerKind trigger, long nowMillis,
                                        ActorRef<BackgroundTaskAnswer> replyTo) implements Command {
    }

    public record BackgroundTaskAnswer(String appId, TaskVerdict verdict, long refillAtMillis, String reason)
            implements CborSerializable {

        public static BackgroundTaskAnswer of(String appId, WakeDecision decision) {
            if (decision instanceof WakeDecision.Defer defer) {
                return new BackgroundTaskAnswer(appId, TaskVerdict.DEFERRED, 0, defer.reason().name());
            }
            if (decision instanceof WakeDecision.QuotaExhausted exhausted) {
                return new BackgroundTaskAnswer(appId, TaskVerdict.QUOTA_EXHAUSTED, exhausted.refillAtMillis(),
                        "sandbox quota exhausted: " + exhausted.resources());
            }
            if (decision instanceof WakeDecision.Refuse refuse) {
                return new BackgroundTaskAnswer(appId, TaskVerdict.REFUSED, 0, refuse.reason().name());
            }
            return new BackgroundTaskAnswer(appId, TaskVerdict.RUN, 0, "");
        }
    }

    public enum TaskVerdict {
        RUN, DEFERRED, QUOTA_EXHAUSTED, REFUSED
    }

    /** What a finished background task used. */
    public record ReportBackgroundTask(String appId, TriggerKind trigger, long cpuMillis, long networkBytes,
                                       long nowMillis) implements Command {
    }

    // ---- push channels and Web Push subscriptions -----------------------------------------------------------

    /** A device app asks for a push channel (wns-spec 4.2, 4.4: a new one each time, older ones stay valid). */
    public record RequestChannel(String appId, long nowMillis, ActorRef<ChannelGranted> replyTo) implements Command {
    }

    public record ChannelGranted(String appId, String channelId, String channelUri, long expiresAtMillis)
            implements CborSerializable {
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

    // ---- pushes of every kind (WNS toast/tile/badge/raw, Web Push) ------------------------------------------

    /** A push from an app-server gateway: delivered, kept (offline cache, batch, hold) or dropped (PushDelivery). */
    public record DeliverPush(Push push, ActorRef<PushOutcome> replyTo) implements Command {
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

    // ---- for operators -----------------------------------------------------------------------------------------

    /** What the entity holds. */
    public record GetDevice(ActorRef<DeviceView> replyTo) implements Command {
    }

    public record DeviceView(String deviceId, boolean attached, Map<String, Map<String, Long>> channelsByApp,
                             DevicePolicyState policy) implements CborSerializable {
    }

    /**
     * The entity's own messages (its timers, its callbacks), declared beside the shell code that sends them to itself;
     * never sent by anything else, never across nodes.
     */
    public non-sealed interface Internal extends Command {
    }

    // ---- events -----------------------------------------------------------------------------------------------

    public sealed interface Event extends CborSerializable {
    }

    public record ChannelIssued(String appId, String channelId, long issuedAtMillis, long expiresAtMillis)
            implements Event {
    }

    /** A change to the Windows policy state, as decided by {@code DevicePolicy}. */
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

    /** One change to the control-channel outbox; older journals hold one per change, still applied. */
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

    /** The journal event for the control changes of one write. */
    public static Event controlWrite(List<ControlEvent> changes) {
        return changes.size() == 1 ? new ControlChanged(changes.get(0)) : new ControlChangedAll(changes);
    }

    // ---- state ------------------------------------------------------------------------------------------------

    /**
     * The journaled state, as snapshots hold it: the push channels and Web Push subscriptions ({@link PushChannels}
     * keeps their rules), the Windows policy state, and the control-channel outbox. Changed only by {@link #apply}.
     *
     * @param channelsByApp        appId → (channelId → expiresAtMillis)
     * @param closedChannelsByApp  closed channels, kept until they would have expired so sends get 410
     * @param webPushSubscriptions subscriptionId → its app and expiry
     */
    public record State(
            Map<String, Map<String, Long>> channelsByApp,
            Map<String, Map<String, Long>> closedChannelsByApp,
            Map<String, WebPushSubscription> webPushSubscriptions,
            DevicePolicyState policy,
            ControlOutbox control) implements CborSerializable {

        public static final State EMPTY = new State(Map.of(), Map.of(), Map.of(), DevicePolicyState.INITIAL,
                ControlOutbox.EMPTY);

        @JsonCreator
        public State {
            control = control == null ? ControlOutbox.EMPTY : control;
            // snapshots written before channel close, Web Push and the device model lack the newer fields
            closedChannelsByApp = closedChannelsByApp == null ? Map.of() : closedChannelsByApp;
            webPushSubscriptions = webPushSubscriptions == null ? Map.of() : webPushSubscriptions;
            policy = policy == null ? DevicePolicyState.INITIAL : policy;
        }

        public PushChannels channels() {
            return new PushChannels(channelsByApp, closedChannelsByApp, webPushSubscriptions);
        }

        public boolean hasChannel(String appId, String channelId) {
            return channels().channel(appId, channelId) == PushChannels.Target.Open;
        }

        public boolean hasWebPushSubscription(String subscriptionId) {
            return webPushSubscriptions.containsKey(subscriptionId);
        }

        /** Folds one journaled event in; the same events give the same state, whatever the clock. */
        public State apply(Event event, ControlOutbox.Retention retention) {
            if (event instanceof ControlChanged changed) {
                return with(control.apply(changed.change(), retention));
            }
            if (event instanceof ControlChangedAll all) {
                ControlOutbox outbox = control;
                for (ControlEvent change : all.changes()) {
                    outbox = outbox.apply(change, retention);
                }
                return with(outbox);
            }
            if (event instanceof PolicyChanged changed) {
                return new State(channelsByApp, closedChannelsByApp, webPushSubscriptions, policy.apply(changed.change()),
                        control);
            }
            PushChannels channels = channels();
            if (event instanceof ChannelIssued e) {
                return with(channels.issued(e.appId(), e.channelId(), e.issuedAtMillis(), e.expiresAtMillis()));
            }
            if (event instanceof ChannelsClosed e) {
                return with(channels.closed(e.appId(), e.channelIds(), e.closedAtMillis()));
            }
            if (event instanceof WebPushSubscriptionIssued e) {
                return with(channels.subscribed(e.appId(), e.subscriptionId(), e.issuedAtMillis(), e.expiresAtMillis()));
            }
            WebPushSubscriptionRemoved e = (WebPushSubscriptionRemoved) event;
            return with(channels.unsubscribed(e.subscriptionId(), e.removedAtMillis()));
        }

        private State with(ControlOutbox outbox) {
            return new State(channelsByApp, closedChannelsByApp, webPushSubscriptions, policy, outbox);
        }

        private State with(PushChannels channels) {
            return new State(channels.open(), channels.closed(), channels.subscriptions(), policy, control);
        }
    }
}
