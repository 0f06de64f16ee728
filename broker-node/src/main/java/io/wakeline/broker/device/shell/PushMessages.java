package io.wakeline.broker.device.shell;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.DeviceEntity.ChannelGranted;
import io.wakeline.broker.device.DeviceEntity.ChannelIssued;
import io.wakeline.broker.device.DeviceEntity.ChannelsClosed;
import io.wakeline.broker.device.DeviceEntity.ChannelsClosedReply;
import io.wakeline.broker.device.DeviceEntity.CloseChannel;
import io.wakeline.broker.device.DeviceEntity.Command;
import io.wakeline.broker.device.DeviceEntity.DeliverPush;
import io.wakeline.broker.device.DeviceEntity.Event;
import io.wakeline.broker.device.DeviceEntity.ManageWebPushMessage;
import io.wakeline.broker.device.DeviceEntity.MessageAction;
import io.wakeline.broker.device.DeviceEntity.RequestChannel;
import io.wakeline.broker.device.DeviceEntity.State;
import io.wakeline.broker.device.DeviceEntity.StoredWebPushMessage;
import io.wakeline.broker.device.DeviceEntity.SubscribeWebPush;
import io.wakeline.broker.device.DeviceEntity.UnsubscribeWebPush;
import io.wakeline.broker.device.DeviceEntity.WebPushAcked;
import io.wakeline.broker.device.DeviceEntity.WebPushSubscribed;
import io.wakeline.broker.device.DeviceEntity.WebPushSubscriptionIssued;
import io.wakeline.broker.device.DeviceEntity.WebPushSubscriptionRemoved;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushEndpoints;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.WebPushMessage;
import io.wakeline.broker.device.WnsPush;
import io.wakeline.broker.device.channels.PushChannels;
import io.wakeline.broker.device.policy.DevicePolicy;
import io.wakeline.broker.device.policy.DevicePolicyState;
import io.wakeline.broker.device.push.PushDelivery;
import io.wakeline.broker.device.push.WebPushReceiptLogs;
import io.wakeline.broker.device.push.WebPushReceipts;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The device entity's pushes of every kind (WNS toast, tile, badge, raw; Web Push) and the channels and subscriptions
 * they are sent to: the part of its shell that applies {@link PushChannels} and {@link PushDelivery} decisions, and
 * records Web Push receipts in their event logs (RFC 8030 §5.1, retried a few times). Pushes live in memory only.
 */
final class PushMessages {
    /** The batch interval elapsed (wns-spec 4.17 "Medium batched"). */
    enum BatchDue implements DeviceEntity.Internal {
        INSTANCE
    }

    /** Web Push messages may have passed their receipt deadline (TTL, ack wait). */
    enum ReceiptsDue implements DeviceEntity.Internal {
        INSTANCE
    }

    /** A receipt log answered a batch of push receipts; {@code failure} is empty when it recorded them. */
    record ReceiptsAnswered(WebPushReceiptLogs.Batch batch, String failure) implements DeviceEntity.Internal {
    }

    /** Publish a batch of push receipts again (after a failed attempt). */
    record RetryReceipts(WebPushReceiptLogs.Batch batch) implements DeviceEntity.Internal {
    }

    private final DeviceEntityShell entity;
    private final String deviceId;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final DeviceEntitySettings settings;
    private final PushEndpoints endpoints;
    private final PushDelivery pushes;
    private final WebPushReceiptLogs receiptLogs = new WebPushReceiptLogs();
    private final EarliestDeadline receiptTimer = new EarliestDeadline();

    PushMessages(DeviceEntityShell entity, String deviceId, ActorContext<Command> context,
                 TimerScheduler<Command> timers, DeviceEntitySettings settings, PushEndpoints endpoints, DevicePolicy rules) {
        this.entity = entity;
        this.deviceId = deviceId;
        this.context = context;
        this.timers = timers;
        this.settings = settings;
        this.endpoints = endpoints;
        this.pushes = new PushDelivery(deviceId, rules, settings.push());
    }

    // ---- push channels and Web Push subscriptions ------------------------------------------------------------

    ReplyEffect<Event, State> onRequestChannel(RequestChannel request) {
        long expiresAt = request.nowMillis() + settings.channelLifetime().toMillis();
        ChannelIssued issued = new ChannelIssued(request.appId(), UUID.randomUUID().toString(), request.nowMillis(), expiresAt);
        String uri = endpoints.channelUri(new ChannelToken(deviceId, issued.appId(), issued.channelId(), expiresAt));
        return entity.Effect().persist(issued)
                .thenReply(request.replyTo(), s -> new ChannelGranted(issued.appId(), issued.channelId(), uri, expiresAt));
    }

    ReplyEffect<Event, State> onCloseChannel(State state, CloseChannel close) {
        List<String> closed = state.channels().closing(close.appId(), close.channelId(), close.nowMillis());
        if (closed.isEmpty()) {
            return entity.Effect().reply(close.replyTo(), new ChannelsClosedReply(close.appId(), List.of()));
        }
        return entity.Effect().persist(new ChannelsClosed(close.appId(), closed, close.nowMillis()))
                .thenRun(s -> pushes.channelsClosed(close.appId(), closed))
                .thenReply(close.replyTo(), s -> new ChannelsClosedReply(close.appId(), closed));
    }

    ReplyEffect<Event, State> onSubscribeWebPush(SubscribeWebPush subscribe) {
        long expiresAt = subscribe.nowMillis() + settings.push().webPushSubscriptionLifetime().toMillis();
        WebPushSubscriptionIssued issued = new WebPushSubscriptionIssued(subscribe.appId(), UUID.randomUUID().toString(),
                subscribe.nowMillis(), expiresAt);
        String endpoint = endpoints.webPushEndpoint(new WebPushSubscriptionToken(deviceId, issued.appId(),
                issued.subscriptionId(), expiresAt, subscribe.applicationServerKey()));
        return entity.Effect().persist(issued).thenReply(subscribe.replyTo(),
                s -> new WebPushSubscribed(issued.appId(), issued.subscriptionId(), endpoint, expiresAt));
    }

    ReplyEffect<Event, State> onUnsubscribeWebPush(State state, UnsubscribeWebPush unsubscribe) {
        if (!state.hasWebPushSubscription(unsubscribe.subscriptionId())) {
            return entity.Effect().noReply();
        }
        return entity.Effect().persist(new WebPushSubscriptionRemoved(unsubscribe.subscriptionId(), unsubscribe.nowMillis()))
                .thenRun(s -> record(pushes.unsubscribed(unsubscribe.subscriptionId(), unsubscribe.nowMillis())))
                .thenNoReply();
    }

    // ---- pushes ----------------------------------------------------------------------------------------------

    ReplyEffect<Event, State> onDeliverPush(State state, DeliverPush deliver) {
        Push push = deliver.push();
        PushChannels.Target target = push instanceof WnsPush wns
                ? state.channels().channel(wns.appId(), wns.channelId())
                : state.channels().subscription(((WebPushMessage) push).subscriptionId());
        if (target != PushChannels.Target.Open) {
            return entity.Effect().reply(deliver.replyTo(),
                    target == PushChannels.Target.Closed ? new PushOutcome.TargetClosed() : new PushOutcome.TargetUnknown());
        }
        long now = entity.now();
        PushDelivery.Offered offered = pushes.offer(push, entity.link().isUp(), state.policy(), now);
        return entity.persist(offered.step().events())
                .thenRun(s -> perform(offered.step(), now))
                .thenReply(deliver.replyTo(), s -> offered.outcome());
    }

    ReplyEffect<Event, State> onBatchDue() {
        long now = entity.now();
        perform(pushes.batchDue(entity.link().isUp(), now), now);
        return entity.Effect().noReply();
    }

    /** The link came up with {@code policy} (after the handshake): what waited for it, through the rules as they are. */
    PushDelivery.Step linkUp(DevicePolicyState policy, long now) {
        return pushes.linkUp(policy, now);
    }

    void linkDown(long now) {
        pushes.linkDown(now);
    }

    /** New power facts ({@code batterySaver} null: unchanged), with {@code policy} after the report. */
    PushDelivery.Step powerReported(DevicePolicyState policy, Boolean batterySaver, long now) {
        return pushes.powerReported(policy, batterySaver, entity.link().isUp(), now);
    }

    /** The app's background task finished: the raw waiting for it, if its channel is still open (wns-spec 5.10). */
    PushDelivery.Step taskFinished(State state, String appId, DevicePolicyState policy, long now) {
        PushChannels channels = state.channels();
        return pushes.taskFinished(appId, policy,
                raw -> channels.channel(raw.appId(), raw.channelId()) == PushChannels.Target.Open, now);
    }

    /** What a push step says once its events are journaled: send, record receipts, keep the timers running. */
    void perform(PushDelivery.Step step, long now) {
        entity.link().current().ifPresent(address -> step.sends().forEach(message -> entity.tellLink(address, message)));
        record(step.receipts());
        if (pushes.wantsBatchTimer(entity.link().isUp(), now) && !timers.isTimerActive(BatchDue.INSTANCE)) {
            timers.startSingleTimer(BatchDue.INSTANCE, settings.push().batchInterval());
        }
        pushes.nextReceiptDeadline().ifPresent(due -> receiptTimer.arm(due, now)
                .ifPresent(delay -> timers.startSingleTimer(ReceiptsDue.INSTANCE, Duration.ofMillis(delay))));
    }

    /** Whether nothing held could still be delivered and no receipt is on its way (the entity may passivate). */
    boolean isIdle(long now) {
        return pushes.isIdle(now) && receiptLogs.isIdle();
    }

    // ---- Web Push messages and receipts (RFC 8030 §5, §6.2, §6.3) ---------------------------------------------

    ReplyEffect<Event, State> onManageWebPushMessage(ManageWebPushMessage manage) {
        long now = entity.now();
        boolean pending;
        if (manage.action() == MessageAction.Delete) {
            Optional<List<WebPushReceipts.Receipt>> deleted = pushes.delete(manage.subscriptionId(), manage.messageId(), now);
            deleted.ifPresent(this::record);
            pending = deleted.isPresent();
        } else {
            pending = pushes.isStored(manage.subscriptionId(), manage.messageId(), now);
        }
        return entity.Effect().reply(manage.replyTo(), new StoredWebPushMessage(pending));
    }

    ReplyEffect<Event, State> onWebPushAcked(WebPushAcked acked) {
        record(acked.messages().stream()
                .flatMap(ref -> pushes.acknowledged(ref.subscriptionId(), ref.messageId(), acked.nowMillis()).stream())
                .toList());
        return entity.Effect().noReply();
    }

    ReplyEffect<Event, State> onReceiptsDue() {
        receiptTimer.fired();
        long now = entity.now();
        perform(new PushDelivery.Step(List.of(), List.of(), pushes.receiptsDue(now)), now);
        return entity.Effect().noReply();
    }

    /** Hands receipts to their receipt subscriptions' event logs; each log's batch is retried on failure. */
    private void record(List<WebPushReceipts.Receipt> receipts) {
        if (!receipts.isEmpty()) {
            receiptLogs.batches(receipts).forEach(this::publish);
        }
    }

    private void publish(WebPushReceiptLogs.Batch batch) {
        ActorRef<Command> self = context.getSelf();
        entity.publishOrFail(batch.log(), batch.events()).whenComplete((done, failure) ->
                self.tell(new ReceiptsAnswered(batch, failure == null ? "" : failure.toString())));
    }

    ReplyEffect<Event, State> onReceiptsAnswered(ReceiptsAnswered answered) {
        WebPushReceiptLogs.Batch batch = answered.batch();
        WebPushReceiptLogs.Next next = answered.failure().isEmpty() ? receiptLogs.recorded(batch) : receiptLogs.failed(batch);
        if (next instanceof WebPushReceiptLogs.Next.Retry retry) {
            context.getLog().warn("push receipts not recorded deviceId={} log={} attempt={}: {}", deviceId, batch.log(),
                    batch.attempt(), answered.failure());
            context.scheduleOnce(settings.controlChannels().tickInterval(), context.getSelf(), new RetryReceipts(retry.batch()));
        } else if (((WebPushReceiptLogs.Next.Done) next).lost()) {
            context.getLog().error("push receipts lost deviceId={} log={} receipts={}: {}", deviceId, batch.log(),
                    batch.receipts().size(), answered.failure());
        }
        return entity.Effect().noReply();
    }

    ReplyEffect<Event, State> onRetryReceipts(RetryReceipts retry) {
        publish(retry.batch());
        return entity.Effect().noReply();
    }
}
