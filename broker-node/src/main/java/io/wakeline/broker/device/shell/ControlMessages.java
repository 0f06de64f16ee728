package io.wakeline.broker.device.shell;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.device.DeviceEntity.Command;
import io.wakeline.broker.device.DeviceEntity.ControlAckReceived;
import io.wakeline.broker.device.DeviceEntity.ControlKeepAliveReceived;
import io.wakeline.broker.device.DeviceEntity.ControlMessageStatus;
import io.wakeline.broker.device.DeviceEntity.ControlSendReply;
import io.wakeline.broker.device.DeviceEntity.ControlUpstreamReceived;
import io.wakeline.broker.device.DeviceEntity.EnqueueControlMessage;
import io.wakeline.broker.device.DeviceEntity.Event;
import io.wakeline.broker.device.DeviceEntity.GetControlMessage;
import io.wakeline.broker.device.DeviceEntity.State;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.control.AckBatch;
import io.wakeline.broker.device.control.ChannelLiveness;
import io.wakeline.broker.device.control.ControlChannelSettings;
import io.wakeline.broker.device.control.ControlEvent;
import io.wakeline.broker.device.control.ControlOutbox;
import io.wakeline.broker.device.control.DeliveryWindow;
import io.wakeline.broker.device.control.GroupCommit;
import io.wakeline.broker.device.control.ReceiptPublishing;
import io.wakeline.broker.device.link.LinkAddress;
import io.wakeline.broker.device.link.LinkMessage;
import io.wakeline.broker.device.policy.ControlChannel;
import io.wakeline.broker.device.policy.DevicePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The device entity's guaranteed control-channel messages (DESIGN.md "The two paths": control channel): the part of
 * its shell that applies the {@code device.control} rule objects' decisions: group commit of sends, the delivery
 * window, ack batching, keep-alive staleness, expiry, and receipts to the app event log. Journaled through the entity;
 * its in-memory state is lost with the entity by design (everything unacked is sent again).
 */
final class ControlMessages {
    /** Look for control messages that may go out now. */
    enum DeliveryDue implements DeviceEntity.Internal {
        INSTANCE
    }

    /** TTLs, keep-alives, unjournaled acks or the receipts marker are due. */
    enum Tick implements DeviceEntity.Internal {
        INSTANCE
    }

    /** Journal the sends gathered since the last write, as one write (group commit). */
    enum PersistSends implements DeviceEntity.Internal {
        INSTANCE
    }

    /** Publish pending receipts (after recovery, after a failed attempt). */
    enum PublishReceipts implements DeviceEntity.Internal {
        INSTANCE
    }

    /** The app event log recorded every receipt up to {@code upToReceiptNo}. */
    record ReceiptsRecorded(long upToReceiptNo) implements DeviceEntity.Internal {
    }

    /** The app event log did not record the batch (failed or timed out): publish again after a tick. */
    record ReceiptsNotRecorded(String failure) implements DeviceEntity.Internal {
    }

    private final DeviceEntityShell entity;
    private final String deviceId;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final DevicePolicy rules;
    private final ControlChannelSettings settings;
    private final DeliveryWindow window = new DeliveryWindow();
    private final AckBatch acks = new AckBatch();
    private final ChannelLiveness liveness;
    private final ReceiptPublishing receipts = new ReceiptPublishing();
    private final GroupCommit<ActorRef<ControlSendReply>> sends = new GroupCommit<>();
    private final EarliestDeadline timer = new EarliestDeadline();
    private boolean deliveryScheduled;

    ControlMessages(DeviceEntityShell entity, String deviceId, ActorContext<Command> context,
                    TimerScheduler<Command> timers, DevicePolicy rules, ControlChannelSettings settings) {
        this.entity = entity;
        this.deviceId = deviceId;
        this.context = context;
        this.timers = timers;
        this.rules = rules;
        this.settings = settings;
        this.liveness = new ChannelLiveness(settings.keepAliveUnit());
    }

    // ---- sends ---------------------------------------------------------------------------------------------

    /**
     * Group commit: a send waits for the {@link PersistSends} it queues behind whatever is already in the mailbox, and
     * Akka stashes commands while a write is in flight, so every send that arrives during one write goes out as the
     * next write.
     */
    ReplyEffect<Event, State> onEnqueue(State state, EnqueueControlMessage send) {
        if (state.control().isClosed(send.appId(), send.channelId())) {
            return entity.Effect().reply(send.replyTo(), ControlSendReply.of(new ControlOutbox.Enqueue.Closed()));
        }
        if (sends.gather(new ControlOutbox.Send(send.appId(), send.channelId(), send.clientMessageId(), send.payload(),
                send.nowMillis(), send.expiresAtMillis()), send.replyTo())) {
            context.getSelf().tell(PersistSends.INSTANCE);
        }
        return entity.Effect().noReply();
    }

    ReplyEffect<Event, State> onPersistSends(State state) {
        if (sends.isEmpty()) {
            return entity.Effect().noReply();
        }
        GroupCommit.Write<ActorRef<ControlSendReply>> write = sends.take(state.control(),
                () -> UUID.randomUUID().toString(), settings.backlogPerChannel());
        write.refused().forEach(answer -> answer.replyTo().tell(ControlSendReply.of(answer.result())));
        Runnable answerAll = () -> write.answers().forEach(a -> a.replyTo().tell(ControlSendReply.of(a.result())));
        if (write.accepted().isEmpty()) {
            answerAll.run();
            return entity.Effect().noReply();
        }
        // acks received since the last write ride along instead of waiting for a write of their own (a device that
        // acks each message before the next one arrives costs one row per message, not two)
        AckBatch.Taken flushed = acks.take(state.control(), entity.now());
        List<ControlEvent> changes = new ArrayList<>(flushed.events());
        changes.addAll(write.accepted());
        // journaled before the replies: a 2xx means the message survives a crash (DESIGN.md "The two paths"); a
        // duplicate of a message in this same write is answered after it too
        return journal(state, changes, flushed.keys())
                .thenRun(s -> {
                    answerAll.run();
                    scheduleDelivery();
                })
                .thenNoReply();
    }

    ReplyEffect<Event, State> onGetControlMessage(State state, GetControlMessage get) {
        return entity.Effect().reply(get.replyTo(), new ControlMessageStatus(state.control()
                .fate(get.appId(), get.channelId(), get.messageId()).map(window::shown).orElse(null)));
    }

    // ---- what the device app says on its channels ------------------------------------------------------------

    ReplyEffect<Event, State> onAck(State state, ControlAckReceived ack) {
        heard(ack.appId(), ack.channelId(), ack.nowMillis(), "ack");
        Optional<ControlEvent.MessagesAcked> acked = state.control().ack(ack.appId(), ack.channelId(), ack.upToSeq(),
                ack.nowMillis());
        if (acked.isPresent() && acks.add(acked.get(), ack.nowMillis())) {
            scheduleDelivery(); // the window has room again
        }
        if (acks.isFull(settings.ackBatchSize())) {
            AckBatch.Taken batch = acks.take(state.control(), ack.nowMillis());
            return batch.events().isEmpty() ? entity.Effect().noReply()
                    : journal(state, batch.events(), batch.keys()).thenNoReply();
        }
        armTimer(state, ack.nowMillis());
        return entity.Effect().noReply();
    }

    ReplyEffect<Event, State> onKeepAlive(State state, ControlKeepAliveReceived keepAlive) {
        if (state.policy().controlChannels().find(keepAlive.appId(), keepAlive.channelId()).isPresent()) {
            heard(keepAlive.appId(), keepAlive.channelId(), keepAlive.nowMillis(), "keep-alive");
        }
        return entity.Effect().noReply();
    }

    ReplyEffect<Event, State> onUpstream(State state, ControlUpstreamReceived upstream) {
        if (state.policy().controlChannels().find(upstream.appId(), upstream.channelId()).isEmpty()) {
            context.getLog().debug("upstream on unknown control channel deviceId={} appId={} channelId={}", deviceId,
                    upstream.appId(), upstream.channelId());
            return entity.Effect().noReply();
        }
        heard(upstream.appId(), upstream.channelId(), upstream.nowMillis(), "upstream");
        entity.publish(upstream.appId(), List.of(new AppEvent.UpstreamMessage(deviceId, upstream.channelId(),
                upstream.upstreamId(), upstream.payload(), upstream.nowMillis())));
        return entity.Effect().noReply();
    }

    /** Traffic from the device app on the channel: it is alive; a stale channel is active again. */
    void heard(String appId, String channelId, long nowMillis, String why) {
        if (liveness.heard(appId, channelId, nowMillis)) {
            entity.publish(appId, List.of(new AppEvent.ChannelStateChanged(deviceId, channelId,
                    AppEvent.ChannelState.ACTIVE, why, nowMillis)));
        }
    }

    // ---- delivery ----------------------------------------------------------------------------------------------

    /** A link came up (or another replaced it): everything unacked goes again, in order; every channel counts as heard. */
    void linkUp(State state, long nowMillis) {
        window.newLink();
        liveness.linkUp(state.policy().controlChannels().channels(), nowMillis);
        scheduleDelivery();
        armTimer(state, nowMillis);
    }

    void linkDown() {
        window.newLink();
    }

    void scheduleDelivery() {
        if (!deliveryScheduled && entity.link().isUp()) {
            deliveryScheduled = true;
            context.getSelf().tell(DeliveryDue.INSTANCE);
        }
    }

    /**
     * Sends what the window, the channels' slots and the device's power allow (wns-spec 7.9, seed 000, through
     * {@link DevicePolicy#controlChannelMessage}). Where a background task is woken, its start is journaled (charged
     * to the app's sandbox budget) once per app and round: the messages of that round go to the one task.
     */
    ReplyEffect<Event, State> onDeliveryDue(State state) {
        deliveryScheduled = false;
        Optional<LinkAddress> target = entity.link().current();
        if (target.isEmpty() || !state.control().hasPending()) {
            return entity.Effect().noReply();
        }
        long now = entity.now();
        DeliveryWindow.Round round = window.next(state.control(), acks.view(), settings.window(), now,
                (appId, channelId) -> rules.controlChannelMessage(state.policy(), appId, channelId, now));
        if (round.messages().isEmpty()) {
            return entity.Effect().noReply();
        }
        return entity.persist(round.taskStarts())
                .thenRun(s -> {
                    Map<String, List<AppEvent>> delivered = new LinkedHashMap<>();
                    round.messages().forEach(m -> {
                        entity.tellLink(target.get(), new LinkMessage.DeliverControl(m.appId(), m.channelId(), m.seq(),
                                m.payload(), m.messageId(), m.acceptedAtMillis(), round.modeOf(m.appId())));
                        delivered.computeIfAbsent(m.appId(), a -> new ArrayList<>()).add(new AppEvent.MessageReceipt(
                                deviceId, m.channelId(), m.messageId(), AppEvent.MessageFate.DELIVERED, "", now));
                    });
                    delivered.forEach(entity::publish); // best effort: deliveries are not journaled
                })
                .thenNoReply();
    }

    /** Expired messages, missed keep-alives, acks and the receipts marker waiting too long to be journaled. */
    ReplyEffect<Event, State> onTick(State state) {
        timer.fired();
        long now = entity.now();
        for (ControlChannel stale : liveness.newlyStale(state.policy().controlChannels().channels(), now)) {
            context.getLog().info("control channel stale deviceId={} appId={} channelId={}", deviceId, stale.appId(),
                    stale.channelId());
            entity.publish(stale.appId(), List.of(new AppEvent.ChannelStateChanged(deviceId, stale.channelId(),
                    AppEvent.ChannelState.STALE, "no keep-alive within " + stale.serverKeepAliveIntervalInMinutes()
                    + " keep-alive units", now)));
        }
        List<ControlEvent> changes = new ArrayList<>();
        if (acks.isDue(now, settings.ackBatchInterval())) {
            changes.addAll(acks.take(state.control(), now).events());
        }
        changes.addAll(state.control().expire(now, acks.view()));
        if (changes.isEmpty() && receipts.marker(state.control()).isEmpty()) {
            armTimer(state, now);
            return entity.Effect().noReply();
        }
        return journal(state, changes, null).thenRun(s -> scheduleDelivery()).thenNoReply();
    }

    // ---- channels coming and going -------------------------------------------------------------------------

    /** The device app created (again) a channel that got a slot: its queue continues, it counts as heard now. */
    void channelCreated(State state, String appId, String channelId, long nowMillis) {
        heard(appId, channelId, nowMillis, "created");
        scheduleDelivery();
        armTimer(state, nowMillis);
    }

    /** What closing the channel does to its queue: its unacked messages end rejected (journaled with the close). */
    Optional<ControlEvent.ChannelClosed> closing(State state, String appId, String channelId) {
        return state.control().close(appId, channelId, entity.now(), acks.view());
    }

    /** The channel was reset or closed by the device: it is not stale any more. */
    void channelGone(String appId, String channelId) {
        liveness.forget(appId, channelId);
    }

    // ---- the journal and the timer -------------------------------------------------------------------------

    /**
     * Journals control changes, with the receipts marker when one waits, as one event; then forgets the delivery
     * times of what finished ({@code finishedIn}: the channels to look at, null for all), publishes receipts and
     * re-arms the timer.
     */
    private EffectBuilder<Event, State> journal(State state, List<ControlEvent> changes, List<String> finishedIn) {
        List<ControlEvent> write = new ArrayList<>(changes);
        receipts.marker(state.control()).ifPresent(write::add);
        return entity.Effect().persist(DeviceEntity.controlWrite(write)).thenRun(s -> {
            if (finishedIn == null) {
                window.forgetFinished(s.control());
            } else {
                window.forgetFinished(s.control(), finishedIn);
            }
            publishReceipts(s);
            armTimer(s, entity.now());
        });
    }

    /** One timer for the earliest of: next expiry, next keep-alive deadline, acks or marker due; never sooner than a tick. */
    void armTimer(State state, long now) {
        Stream.of(state.control().nextExpiry(), liveness.nextDeadline(state.policy().controlChannels().channels(), now),
                        acks.dueAt(settings.ackBatchInterval()), receipts.markerDueAt(state.control(), settings.ackBatchInterval()))
                .flatMap(Optional::stream).min(Long::compare)
                .ifPresent(due -> timer.arm(Math.max(due, now + settings.tickInterval().toMillis()), now)
                        .ifPresent(delay -> timers.startSingleTimer(Tick.INSTANCE, Duration.ofMillis(delay))));
    }

    // ---- receipts to the app event log ----------------------------------------------------------------------

    ReplyEffect<Event, State> onPublishReceipts(State state) {
        publishReceipts(state);
        return entity.Effect().noReply();
    }

    /**
     * Hands the oldest unconfirmed receipts to the app event log, one batch at a time (at least once; the log
     * de-duplicates by key). The publisher bounds how long that takes ({@code wakeline.app-events.record-timeout}).
     */
    void publishReceipts(State state) {
        receipts.next(state.control(), deviceId).ifPresent(batch -> {
            ActorRef<Command> self = context.getSelf();
            CompletableFuture.allOf(batch.byApp().entrySet().stream()
                            .map(e -> entity.publishOrFail(e.getKey(), e.getValue()).toCompletableFuture())
                            .toArray(CompletableFuture[]::new))
                    .whenComplete((done, failure) -> self.tell(failure == null
                            ? new ReceiptsRecorded(batch.upToNo()) : new ReceiptsNotRecorded(failure.toString())));
        });
    }

    ReplyEffect<Event, State> onReceiptsRecorded(State state, ReceiptsRecorded recorded) {
        long now = entity.now();
        receipts.recorded(recorded.upToReceiptNo(), state.control(), now);
        publishReceipts(state);
        armTimer(state, now);
        return entity.Effect().noReply();
    }

    ReplyEffect<Event, State> onReceiptsNotRecorded(ReceiptsNotRecorded failed) {
        receipts.failed();
        context.getLog().warn("app event log did not record receipts deviceId={}; retrying: {}", deviceId, failed.failure());
        context.scheduleOnce(settings.tickInterval(), context.getSelf(), PublishReceipts.INSTANCE);
        return entity.Effect().noReply();
    }

    /** Whether nothing waits to be journaled or confirmed (the entity may passivate). */
    boolean isIdle(State state) {
        return sends.isEmpty() && !receipts.isPublishing() && state.control().receipts().isEmpty();
    }
}
