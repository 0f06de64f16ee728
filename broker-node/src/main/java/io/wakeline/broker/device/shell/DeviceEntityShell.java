package io.wakeline.broker.device.shell;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.javadsl.ClusterSharding.ShardCommand;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.device.ControlChannelRejection;
import io.wakeline.broker.device.DeviceEntity.*;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.LockScreenRejection;
import io.wakeline.broker.device.TriggerRejection;
import io.wakeline.broker.device.channels.PushChannels;
import io.wakeline.broker.device.control.ControlEvent;
import io.wakeline.broker.device.control.ControlOutbox;
import io.wakeline.broker.device.link.LinkAddress;
import io.wakeline.broker.device.link.LinkArbiter;
import io.wakeline.broker.device.link.LinkMessage;
import io.wakeline.broker.device.policy.AccessDecision;
import io.wakeline.broker.device.policy.ChannelClosing;
import io.wakeline.broker.device.policy.ChannelCreation;
import io.wakeline.broker.device.policy.ControlChannelTriggerStatus;
import io.wakeline.broker.device.policy.DeviceNotification;
import io.wakeline.broker.device.policy.DevicePolicy;
import io.wakeline.broker.device.policy.DevicePolicyEvent;
import io.wakeline.broker.device.policy.DevicePolicyState;
import io.wakeline.broker.device.policy.LockScreenRemoval;
import io.wakeline.broker.device.policy.PolicyChanges;
import io.wakeline.broker.device.policy.PolicyDecision;
import io.wakeline.broker.device.policy.PowerChange;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.policy.RegistrationDecision;
import io.wakeline.broker.device.policy.TriggerKind;
import io.wakeline.broker.device.policy.UsageReport;
import io.wakeline.broker.device.push.PushDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The device entity's shell: it routes each command to the rule objects, which decide without Akka (the Windows rules
 * in {@link DevicePolicy}, push channels in {@link PushChannels}, pushes in {@link PushDelivery}, the link in
 * {@link LinkArbiter}, guaranteed messages in {@code device.control}), and applies their decisions: journal the
 * events, then send to the link, publish to the apps' event logs, answer, arm timers. One {@code onX} per command.
 *
 * <p>Raw pushes never touch the journal unless they start a background task (DESIGN.md "The two paths"). An entity
 * with a link attached stays in memory; one without passivates after {@code passivate-after-idle} once nothing it
 * holds in memory could still be delivered or published.
 */
public final class DeviceEntityShell extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, State> {
    /** Recovered with the device marked connected but no link attached (the node holding it died). */
    enum LinkLostWhileDown implements DeviceEntity.Internal {
        INSTANCE
    }

    /** No message for {@code passivate-after-idle} while detached. */
    enum IdleTimeout implements DeviceEntity.Internal {
        INSTANCE
    }

    private final String deviceId;
    private final ActorContext<Command> context;
    private final ActorRef<ShardCommand> shard;
    private final DeviceEntitySettings settings;
    private final DeviceServices services;
    private final ControlOutbox.Retention retention;
    private final DevicePolicy rules;

    // in memory only: lost on passivation or failover by design; the device attaches again when it reconnects, and
    // after a restart everything unacked is sent again
    private final LinkArbiter link = new LinkArbiter();
    private final PushMessages pushes;
    private final ControlMessages control;

    /** Starts sharding of device entities on this node (a proxy only on a node without the entity role). */
    public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system, DeviceEntitySettings settings,
                                                          DeviceServices services) {
        Entity<Command, ShardingEnvelope<Command>> entity = Entity.of(DeviceEntity.ENTITY_KEY,
                ctx -> create(ctx.getEntityId(), ctx.getShard(), settings, services));
        if (!settings.entityRole().isEmpty()) {
            entity = entity.withRole(settings.entityRole());
        }
        return ClusterSharding.get(system).init(entity);
    }

    /** The entity of {@code deviceId}; {@code shard} is told when it may passivate. */
    public static Behavior<Command> create(String deviceId, ActorRef<ShardCommand> shard, DeviceEntitySettings settings,
                                           DeviceServices services) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new DeviceEntityShell(deviceId, context, timers, shard, settings, services)));
    }

    private DeviceEntityShell(String deviceId, ActorContext<Command> context, TimerScheduler<Command> timers,
                              ActorRef<ShardCommand> shard, DeviceEntitySettings settings, DeviceServices services) {
        super(PersistenceId.of(DeviceEntity.ENTITY_KEY.name(), deviceId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
        this.deviceId = deviceId;
        this.context = context;
        this.shard = shard;
        this.settings = settings;
        this.services = services;
        this.retention = ControlOutbox.Retention.of(settings.controlChannels());
        this.rules = new DevicePolicy(settings.sandbox());
        this.pushes = new PushMessages(this, deviceId, context, timers, settings, services.endpoints(), rules);
        this.control = new ControlMessages(this, deviceId, context, timers, rules, settings.controlChannels());
        context.setReceiveTimeout(settings.passivateAfterIdle(), IdleTimeout.INSTANCE);
    }

    @Override
    public State emptyState() {
        return State.EMPTY;
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return (state, event) -> state.apply(event, retention);
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
            if (state.control().hasPending() || !state.control().receipts().isEmpty()) {
                // receipts the event log had not confirmed go out again; TTLs are checked
                context.getSelf().tell(ControlMessages.PublishReceipts.INSTANCE);
                context.getSelf().tell(ControlMessages.Tick.INSTANCE);
            }
            if (state.policy().powerState() != PowerState.Off) {
                // the node holding the link died: the device is off until it reconnects
                context.getSelf().tell(LinkLostWhileDown.INSTANCE);
            }
        }).build();
    }

    /**
     * One small dispatching handler per entity. Akka's handler builder allocates a case object and two lambdas per
     * command type for every entity it is built for (~3.5 KB here, measured with a heap histogram at 10,000 attached
     * devices), a third of an idle device's cost; an {@code instanceof} chain costs nothing.
     */
    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return this::handle;
    }

    private ReplyEffect<Event, State> handle(State state, Command command) {
        if (command instanceof Attach c) return onAttach(state, c);
        if (command instanceof Detach c) return onDetach(state, c);
        if (command instanceof LinkLostWhileDown) return onLinkLostWhileDown(state);
        if (command instanceof RequestLockScreenAccess c) return onRequestLockScreenAccess(state, c);
        if (command instanceof AnswerLockScreenConsent c) return onAnswerLockScreenConsent(state, c);
        if (command instanceof AddToLockScreenByUser c) return onAddToLockScreenByUser(state, c);
        if (command instanceof RemoveFromLockScreen c) return onRemoveFromLockScreen(state, c);
        if (command instanceof CreateControlChannel c) return onCreateControlChannel(state, c);
        if (command instanceof CloseControlChannel c) return onCloseControlChannel(state, c);
        if (command instanceof ReportControlChannelReset c) return onReportControlChannelReset(state, c);
        if (command instanceof ReportPower c) return onReportPower(state, c);
        if (command instanceof ReportAppState c) return onReportAppState(state, c);
        if (command instanceof RegisterTrigger c) return onRegisterTrigger(state, c);
        if (command instanceof RequestBackgroundTask c) return onRequestBackgroundTask(state, c);
        if (command instanceof ReportBackgroundTask c) return onReportBackgroundTask(state, c);
        if (command instanceof RequestChannel c) return pushes.onRequestChannel(c);
        if (command instanceof CloseChannel c) return pushes.onCloseChannel(state, c);
        if (command instanceof SubscribeWebPush c) return pushes.onSubscribeWebPush(c);
        if (command instanceof UnsubscribeWebPush c) return pushes.onUnsubscribeWebPush(state, c);
        if (command instanceof DeliverPush c) return pushes.onDeliverPush(state, c);
        if (command instanceof PushMessages.BatchDue) return pushes.onBatchDue();
        if (command instanceof ManageWebPushMessage c) return pushes.onManageWebPushMessage(c);
        if (command instanceof WebPushAcked c) return pushes.onWebPushAcked(c);
        if (command instanceof PushMessages.ReceiptsDue) return pushes.onReceiptsDue();
        if (command instanceof PushMessages.ReceiptsAnswered c) return pushes.onReceiptsAnswered(c);
        if (command instanceof PushMessages.RetryReceipts c) return pushes.onRetryReceipts(c);
        if (command instanceof EnqueueControlMessage c) return control.onEnqueue(state, c);
        if (command instanceof ControlMessages.PersistSends) return control.onPersistSends(state);
        if (command instanceof GetControlMessage c) return control.onGetControlMessage(state, c);
        if (command instanceof ControlAckReceived c) return control.onAck(state, c);
        if (command instanceof ControlKeepAliveReceived c) return control.onKeepAlive(state, c);
        if (command instanceof ControlUpstreamReceived c) return control.onUpstream(state, c);
        if (command instanceof ControlMessages.DeliveryDue) return control.onDeliveryDue(state);
        if (command instanceof ControlMessages.Tick) return control.onTick(state);
        if (command instanceof ControlMessages.PublishReceipts) return control.onPublishReceipts(state);
        if (command instanceof ControlMessages.ReceiptsRecorded c) return control.onReceiptsRecorded(state, c);
        if (command instanceof ControlMessages.ReceiptsNotRecorded c) return control.onReceiptsNotRecorded(c);
        if (command instanceof GetDevice c) return onGetDevice(state, c);
        if (command instanceof IdleTimeout) return onIdleTimeout(state);
        context.getLog().warn("unhandled command deviceId={} command={}", deviceId, command.getClass().getName());
        return Effect().unhandled().thenNoReply();
    }

    // ---- the link --------------------------------------------------------------------------------------------

    private ReplyEffect<Event, State> onAttach(State state, Attach attach) {
        LinkArbiter.Decision decision = link.attach(attach.link(), attach.nowMillis());
        if (decision instanceof LinkArbiter.Decision.Stale) {
            context.getLog().debug("stale attach deviceId={} linkId={}", deviceId, attach.link().linkId());
            services.links().tell(attach.link(), new LinkMessage.Replaced());
            return Effect().reply(attach.replyTo(), attached(state));
        }
        ((LinkArbiter.Decision.Take) decision).replaced()
                .ifPresent(previous -> services.links().tell(previous, new LinkMessage.Replaced()));
        context.cancelReceiveTimeout();
        context.getLog().debug("attached deviceId={} linkId={}", deviceId, attach.link().linkId());
        long now = now();
        PowerChange connect = rules.connect(state.policy(), attach.capabilities(), attach.nowMillis());
        List<DevicePolicyEvent> connected = connect instanceof PowerChange.Changed changed ? changed.events() : List.of();
        List<DeviceNotification> notifications = connect instanceof PowerChange.Changed changed
                ? changed.notifications() : List.of();
        PushDelivery.Step reconnect = pushes.linkUp(state.policy().applyAll(connected), now);
        return persist(concat(connected, reconnect.events()))
                .thenRun(s -> {
                    notifications.forEach(this::notifyLink);
                    pushes.perform(reconnect, now);
                    control.linkUp(s, now); // a new link (reconnect or replacement) gets everything unacked again
                })
                .thenReply(attach.replyTo(), this::attached);
    }

    private Attached attached(State state) {
        return new Attached(deviceId, state.channels().channelCount(), context.getSelf());
    }

    private ReplyEffect<Event, State> onDetach(State state, Detach detach) {
        if (!link.detach(detach.link())) {
            return Effect().noReply();
        }
        control.linkDown();
        pushes.linkDown(now());
        context.setReceiveTimeout(settings.passivateAfterIdle(), IdleTimeout.INSTANCE);
        context.getLog().debug("detached deviceId={} linkId={}", deviceId, detach.link().linkId());
        return apply(rules.linkDown(state.policy(), detach.nowMillis())).thenNoReply();
    }

    private ReplyEffect<Event, State> onLinkLostWhileDown(State state) {
        if (link.isUp() || state.policy().powerState() == PowerState.Off) {
            return Effect().noReply();
        }
        return apply(rules.linkDown(state.policy(), now())).thenNoReply();
    }

    // ---- the lock screen -------------------------------------------------------------------------------------

    private ReplyEffect<Event, State> onRequestLockScreenAccess(State state, RequestLockScreenAccess request) {
        return answer(rules.requestAccess(state.policy(), request.appId(), request.declaredTasks()), request.appId(),
                request.replyTo());
    }

    private ReplyEffect<Event, State> onAnswerLockScreenConsent(State state, AnswerLockScreenConsent answer) {
        return answer(rules.answerConsent(state.policy(), answer.appId(), answer.consent()), answer.appId(),
                answer.replyTo());
    }

    private ReplyEffect<Event, State> onAddToLockScreenByUser(State state, AddToLockScreenByUser add) {
        return answer(rules.addToLockScreenByUser(state.policy(), add.appId(), add.declaredTasks()), add.appId(),
                add.replyTo());
    }

    private ReplyEffect<Event, State> onRemoveFromLockScreen(State state, RemoveFromLockScreen remove) {
        LockScreenRemoval removal = rules.removeFromLockScreen(state.policy(), remove.appId(), remove.cause());
        LockScreenRejection rejection = removal instanceof LockScreenRemoval.NotOnLockScreen
                ? LockScreenRejection.NotOnLockScreen : LockScreenRejection.None;
        return apply(removal).thenReply(remove.replyTo(), s -> new LockScreenAnswer(remove.appId(),
                rules.accessStatus(s.policy(), remove.appId()), false, rejection));
    }

    private ReplyEffect<Event, State> answer(AccessDecision decision, String appId, ActorRef<LockScreenAnswer> replyTo) {
        Function<State, LockScreenAnswer> answer;
        if (decision instanceof AccessDecision.Answer given) {
            answer = s -> new LockScreenAnswer(appId, given.status(), false, LockScreenRejection.None);
        } else {
            boolean prompt = decision instanceof AccessDecision.PromptUser;
            LockScreenRejection rejection = decision instanceof AccessDecision.Rejected rejected
                    ? LockScreenRejection.of(rejected.reason()) : LockScreenRejection.None;
            answer = s -> new LockScreenAnswer(appId, rules.accessStatus(s.policy(), appId), prompt, rejection);
        }
        return apply(decision).thenReply(replyTo, answer::apply);
    }

    // ---- control channel triggers ----------------------------------------------------------------------------

    private ReplyEffect<Event, State> onCreateControlChannel(State state, CreateControlChannel create) {
        ChannelCreation creation = rules.createControlChannel(state.policy(), create.appId(), create.channelId(),
                create.serverKeepAliveMinutes(), create.resourceType());
        if (creation instanceof ChannelCreation.Rejected rejected) {
            return Effect().reply(create.replyTo(), ControlChannelAnswer.rejected(create.appId(), create.channelId(),
                    ControlChannelRejection.of(rejected.reason())));
        }
        ControlChannelTriggerStatus status = ((ChannelCreation.Completed) creation).status();
        if (status != ControlChannelTriggerStatus.HardwareSlotAllocated
                && status != ControlChannelTriggerStatus.SoftwareSlotAllocated) {
            return apply(creation).thenReply(create.replyTo(),
                    s -> ControlChannelAnswer.created(create.appId(), create.channelId(), status, ""));
        }
        long now = now();
        String uri = services.endpoints().controlChannelUri(new ControlChannelToken(deviceId, create.appId(),
                create.channelId(), now));
        // a channel created again under its id continues its queue
        return apply(creation, state.control().reopen(create.appId(), create.channelId()))
                .thenRun(s -> control.channelCreated(s, create.appId(), create.channelId(), now))
                .thenReply(create.replyTo(), s -> ControlChannelAnswer.created(create.appId(), create.channelId(), status, uri));
    }

    private ReplyEffect<Event, State> onCloseControlChannel(State state, CloseControlChannel close) {
        ChannelClosing closing = rules.closeControlChannel(state.policy(), close.appId(), close.channelId());
        if (closing instanceof ChannelClosing.UnknownChannel) {
            return Effect().reply(close.replyTo(), ControlChannelAnswer.rejected(close.appId(), close.channelId(),
                    ControlChannelRejection.UnknownChannel));
        }
        // its unacked messages are rejected now (not left to their TTL) and later sends answered 410
        Optional<ControlEvent.ChannelClosed> queueClosed = control.closing(state, close.appId(), close.channelId());
        return apply(closing, queueClosed)
                .thenRun(s -> queueClosed.ifPresent(closed -> control.publishReceipts(s)))
                .thenReply(close.replyTo(), s -> ControlChannelAnswer.closed(close.appId(), close.channelId()));
    }

    private ReplyEffect<Event, State> onReportControlChannelReset(State state, ReportControlChannelReset reset) {
        return apply(rules.resetControlChannels(state.policy(), reset.reason())).thenNoReply();
    }

    // ---- power and app lifecycle -----------------------------------------------------------------------------

    private ReplyEffect<Event, State> onReportPower(State state, ReportPower report) {
        List<DevicePolicyEvent> events = new ArrayList<>();
        List<DeviceNotification> notifications = new ArrayList<>();
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
                context.getLog().info("power report refused deviceId={} to={} reason={}", deviceId, report.powerState(),
                        rejected.reason());
            }
            events.addAll(change.events());
            notifications.addAll(change.notifications());
            policy = policy.applyAll(change.events());
        }
        long now = now();
        PushDelivery.Step released = pushes.powerReported(policy, report.batterySaver(), now);
        return persist(events).thenRun(s -> {
            notifications.forEach(this::notifyLink);
            pushes.perform(released, now);
            control.scheduleDelivery(); // e.g. software slots deliver again once the device is active
        }).thenNoReply();
    }

    private ReplyEffect<Event, State> onReportAppState(State state, ReportAppState report) {
        return apply(rules.reportExecutionState(state.policy(), report.appId(), report.state()))
                .thenRun(s -> control.scheduleDelivery())
                .thenNoReply();
    }

    // ---- background tasks ------------------------------------------------------------------------------------

    private ReplyEffect<Event, State> onRegisterTrigger(State state, RegisterTrigger register) {
        RegistrationDecision decision = switch (register.change()) {
            case Unregister -> rules.unregisterTrigger(state.policy(), register.appId(), register.trigger());
            case Register -> register.trigger() == TriggerKind.TimeTrigger || register.trigger() == TriggerKind.MaintenanceTrigger
                    ? rules.registerTimedTrigger(state.policy(), register.appId(), register.trigger(), register.freshnessMinutes())
                    : rules.registerTrigger(state.policy(), register.appId(), register.trigger());
        };
        TriggerRejection rejection = decision instanceof RegistrationDecision.Rejected rejected
                ? TriggerRejection.of(rejected.reason()) : TriggerRejection.None;
        return apply(decision).thenReply(register.replyTo(), s -> new TriggerAnswer(register.appId(), rejection));
    }

    private ReplyEffect<Event, State> onRequestBackgroundTask(State state, RequestBackgroundTask request) {
        var decision = rules.deviceTrigger(state.policy(), request.appId(), request.trigger(), request.nowMillis());
        return apply(decision).thenReply(request.replyTo(), s -> BackgroundTaskAnswer.of(request.appId(), decision));
    }

    private ReplyEffect<Event, State> onReportBackgroundTask(State state, ReportBackgroundTask report) {
        UsageReport usage = rules.reportTaskCompleted(state.policy(), report.appId(), report.trigger(),
                report.cpuMillis(), report.networkBytes(), report.nowMillis());
        long now = now();
        // wns-spec 5.10: the raw waiting for this task goes once it finished, through the rules as they stand then
        PushDelivery.Step next = pushes.taskFinished(state, report.appId(), state.policy().applyAll(usage.events()), now);
        return persist(concat(usage.events(), next.events()))
                .thenRun(s -> {
                    usage.notifications().forEach(this::notifyLink);
                    pushes.perform(next, now);
                    control.scheduleDelivery();
                })
                .thenNoReply();
    }

    // ---- for operators, passivation ----------------------------------------------------------------------------

    private ReplyEffect<Event, State> onGetDevice(State state, GetDevice get) {
        return Effect().reply(get.replyTo(), new DeviceView(deviceId, link.isUp(), state.channelsByApp(), state.policy()));
    }

    private ReplyEffect<Event, State> onIdleTimeout(State state) {
        if (!link.isUp() && pushes.isIdle(now()) && control.isIdle(state)) {
            shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
        }
        return Effect().noReply();
    }

    // ---- applying decisions -------------------------------------------------------------------------------------

    /** The policy's events and, in the same write, a change of the control outbox that goes with them. */
    private EffectBuilder<Event, State> persist(List<DevicePolicyEvent> events, Optional<? extends ControlEvent> control) {
        if (events.isEmpty() && control.isEmpty()) {
            return Effect().none();
        }
        List<Event> all = new ArrayList<>(events.size() + 1);
        events.forEach(e -> all.add(new PolicyChanged(e)));
        control.ifPresent(e -> all.add(new ControlChanged(e)));
        return Effect().persist(all).thenRun(s -> publishChannelStates(events));
    }

    EffectBuilder<Event, State> persist(List<DevicePolicyEvent> events) {
        return persist(events, Optional.empty());
    }

    /** Journals the decision's events, then tells the device what it decided. */
    private EffectBuilder<Event, State> apply(PolicyDecision decision) {
        return apply(decision, Optional.empty());
    }

    private EffectBuilder<Event, State> apply(PolicyDecision decision, Optional<? extends ControlEvent> control) {
        return persist(decision.events(), control).thenRun(s -> decision.notifications().forEach(this::notifyLink));
    }

    private void notifyLink(DeviceNotification notification) {
        link.current().ifPresent(address -> tellLink(address, new LinkMessage.Notify(notification)));
    }

    /** Resets and closes of control channels reach the app server as channel states. */
    private void publishChannelStates(List<DevicePolicyEvent> events) {
        long now = now();
        for (DevicePolicyEvent event : events) {
            if (event instanceof DevicePolicyEvent.ControlChannelsReset reset) {
                publish(reset.appId(), reset.channelIds().stream().<AppEvent>map(id -> new AppEvent.ChannelStateChanged(
                        deviceId, id, AppEvent.ChannelState.RESET, reset.reason().name(), now)).toList());
                reset.channelIds().forEach(id -> control.channelGone(reset.appId(), id));
            } else if (event instanceof DevicePolicyEvent.ControlChannelClosed closed) {
                publish(closed.appId(), List.of(new AppEvent.ChannelStateChanged(deviceId, closed.channelId(),
                        AppEvent.ChannelState.CLOSED, closed.cause().name(), now)));
                control.channelGone(closed.appId(), closed.channelId());
            }
        }
    }

    /** Best effort (deliveries, upstream, channel states): a failure is logged, not retried. */
    void publish(String appId, List<AppEvent> events) {
        publishOrFail(appId, events).whenComplete((done, failure) -> {
            if (failure != null) {
                context.getSystem().log().warn("app event not recorded deviceId={} appId={}: {}", deviceId, appId,
                        failure.toString());
            }
        });
    }

    /** A publisher that throws fails the stage instead: nothing throws across the entity. */
    CompletionStage<Done> publishOrFail(String appId, List<AppEvent> events) {
        try {
            return services.appEvents().publish(appId, events);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    long now() {
        return services.clock().millis();
    }

    LinkArbiter link() {
        return link;
    }

    void tellLink(LinkAddress address, LinkMessage message) {
        services.links().tell(address, message);
    }

    private static <T> List<T> concat(List<? extends T> first, List<? extends T> second) {
        List<T> all = new ArrayList<>(first.size() + second.size());
        all.addAll(first);
        all.addAll(second);
        return all;
    }
}
