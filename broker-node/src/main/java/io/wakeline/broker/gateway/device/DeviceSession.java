package io.wakeline.broker.gateway.device;

import com.google.protobuf.ByteString;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.policy.DeviceNotification;
import io.wakeline.broker.device.policy.LockScreenRemovalCause;
import io.wakeline.protocol.v1.AppStateReport;
import io.wakeline.protocol.v1.BackgroundTaskReport;
import io.wakeline.protocol.v1.BackgroundTaskRequest;
import io.wakeline.protocol.v1.ControlChannelRequest;
import io.wakeline.protocol.v1.LockScreenChange;
import io.wakeline.protocol.v1.LockScreenConsentAnswer;
import io.wakeline.protocol.v1.LockScreenRequest;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.TriggerRegistration;
import io.wakeline.protocol.DecodeResult;
import io.wakeline.protocol.DeviceCredentials;
import io.wakeline.protocol.LinkProtocol;
import io.wakeline.protocol.v1.Ack;
import io.wakeline.protocol.v1.Challenge;
import io.wakeline.protocol.v1.ChannelIssued;
import io.wakeline.protocol.v1.ChannelRequest;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.Error;
import io.wakeline.protocol.v1.ErrorCode;
import io.wakeline.protocol.v1.GoAway;
import io.wakeline.protocol.v1.GoAwayReason;
import io.wakeline.protocol.v1.Hello;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.ControlAck;
import io.wakeline.protocol.v1.ControlKeepAlive;
import io.wakeline.protocol.v1.ControlUpstream;
import io.wakeline.protocol.v1.Pong;
import io.wakeline.protocol.v1.Welcome;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.push.EnergySaver;
import io.wakeline.protocol.v1.ChannelClose;
import io.wakeline.protocol.v1.ChannelClosed;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.WebPushAck;
import io.wakeline.protocol.v1.WebPushMessageRef;
import io.wakeline.protocol.v1.WebPushNotification;
import io.wakeline.protocol.v1.WebPushSubscribe;
import io.wakeline.protocol.v1.WebPushSubscription;
import io.wakeline.protocol.v1.WebPushUnsubscribe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device link: handshake, keep-alive, requests, deliveries (docs/protocol.md). A plain Netty handler,
 * not an actor; every field is touched only on the link's event loop, which is why deliveries from the
 * link registry hop onto it first.
 */
final class DeviceSession extends ChannelInboundHandlerAdapter implements LinkEndpoint {
    private static final Logger log = LoggerFactory.getLogger(DeviceSession.class);

    private enum Phase { AWAIT_HELLO, AWAIT_AUTHENTICATE, ATTACHING, READY, CLOSING }

    private static final int MAX_WEB_PUSH_APP_ID_LENGTH = 256;
    private static final int MAX_HELD_FOR_WELCOME = 1024;
    /** Enough to outlast a dead node's downing (failure detection + split-brain resolver's stable-after). */
    private static final int MAX_REATTACH_FAILURES = 12;
    private static final long REATTACH_PAUSE_MILLIS = 1_000;
    private static final int UNCOMPRESSED_P256_KEY_BYTES = 65;

    private final SessionContext shared;
    private Channel channel;
    private Phase phase = Phase.AWAIT_HELLO;
    private String deviceId;
    private DeviceCapabilities capabilities;
    private byte[] nonce;
    private long linkId;
    private LinkAddress address;
    private long nextDeliveryId = 1;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> reattachTimer;
    /** Failed attempts of the current re-attach (see {@link #entityStopped()}); 0 while attached. */
    private int reattachFailures;
    private List<Runnable> heldForWelcome;

    DeviceSession(SessionContext shared) {
        this.shared = shared;
    }

    // ---- Netty lifecycle --------------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        shared.metrics().linksOpened.increment();
        long timeout = shared.settings().handshakeTimeout().toMillis();
        handshakeTimer = channel.eventLoop().schedule(this::onHandshakeTimeout, timeout, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        shared.metrics().linksClosed.increment();
        phase = Phase.CLOSING;
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (reattachTimer != null) {
            reattachTimer.cancel(false);
        }
        if (address != null) {
            shared.links().remove(linkId, this);
            address.registry().tell(new LinkRegistry.UnwatchEntity(linkId));
            entity().tell(new DeviceEntity.Detach(address, System.currentTimeMillis()));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            goAwayAndClose(GoAwayReason.IDLE, 0, "no frame within the idle timeout");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("link error deviceId={} linkId={}: {}", deviceId, linkId, cause.toString());
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase == Phase.CLOSING) {
            return;
        }
        if (msg instanceof DecodeResult.Malformed malformed) {
            shared.metrics().malformedFrames.increment();
            if (malformed.closesLink()) {
                fail(malformed.code(), malformed.reason());
            } else {
                reject(malformed.code(), malformed.reason(), 0);
            }
            return;
        }
        Envelope envelope = (Envelope) msg;
        switch (phase) {
            case AWAIT_HELLO -> onAwaitingHello(envelope);
            case AWAIT_AUTHENTICATE -> onAwaitingAuthenticate(envelope);
            case ATTACHING -> onAttaching(envelope);
            case READY -> onReady(envelope);
            default -> { }
        }
    }

    // ---- handshake --------------------------------------------------------------------------------

    private void onAwaitingHello(Envelope envelope) {
        if (envelope.getBodyCase() != Envelope.BodyCase.HELLO) {
            fail(ErrorCode.UNEXPECTED_MESSAGE, "the first frame must be Hello");
            return;
        }
        Hello hello = envelope.getHello();
        if (hello.getProtocolVersion() < 1) {
            fail(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + hello.getProtocolVersion() + " is not supported; this broker speaks 1");
            return;
        }
        if (!LinkProtocol.isValidDeviceId(hello.getDeviceId())) {
            fail(ErrorCode.INVALID_REQUEST, "device_id must be 1..128 characters of [A-Za-z0-9._:-]");
            return;
        }
        deviceId = hello.getDeviceId();
        capabilities = new DeviceCapabilities(hello.getCapabilities().getChipsetConnectedStandby(),
                hello.getCapabilities().getNetworkConnectedStandby());
        nonce = new byte[LinkProtocol.NONCE_BYTES];
        shared.random().nextBytes(nonce);
        phase = Phase.AWAIT_AUTHENTICATE;
        send(Envelope.newBuilder().setChallenge(Challenge.newBuilder()
                .setNonce(ByteString.copyFrom(nonce))
                .setProtocolVersion(Math.min(hello.getProtocolVersion(), LinkProtocol.VERSION))).build());
    }

    private void onAwaitingAuthenticate(Envelope envelope) {
        if (envelope.getBodyCase() != Envelope.BodyCase.AUTHENTICATE) {
            fail(ErrorCode.UNEXPECTED_MESSAGE, "expected Authenticate");
            return;
        }
        byte[] proof = envelope.getAuthenticate().getProof().toByteArray();
        if (!DeviceCredentials.verify(shared.fleetSecret(), deviceId, nonce, proof)) {
            shared.metrics().authenticationFailures.increment();
            log.info("authentication failed deviceId={} remote={}", deviceId, channel.remoteAddress());
            fail(ErrorCode.AUTHENTICATION_FAILED, "authentication failed");
            return;
        }
        nonce = null;
        linkId = shared.links().newLinkId();
        address = new LinkAddress(shared.registryFor(linkId), linkId);
        shared.links().put(linkId, this);
        phase = Phase.ATTACHING;
        entity().<DeviceEntity.Attached>ask(replyTo -> new DeviceEntity.Attach(address, capabilities, System.currentTimeMillis(), replyTo), shared.askTimeout())
                .whenCompleteAsync((attached, failure) -> onAttachAnswered(attached, failure), channel.eventLoop());
    }

    private void onAttachAnswered(DeviceEntity.Attached attached, Throwable failure) {
        if (phase != Phase.ATTACHING) {
            return;
        }
        if (failure != null) {
            log.warn("attach failed deviceId={} linkId={}: {}", deviceId, linkId, failure.toString());
            fail(ErrorCode.INTERNAL, "the broker could not attach this device; retry later");
            return;
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
            handshakeTimer = null;
        }
        phase = Phase.READY;
        address.registry().tell(new LinkRegistry.WatchEntity(linkId, attached.entity()));
        shared.metrics().handshakesCompleted.increment();
        DeviceGatewaySettings settings = shared.settings();
        send(Envelope.newBuilder().setWelcome(Welcome.newBuilder()
                .setSessionId(Long.toHexString(linkId))
                .setHeartbeatIntervalSeconds((int) settings.heartbeatInterval().toSeconds())
                .setIdleTimeoutSeconds((int) settings.idleTimeout().toSeconds())
                .setServerTimeMillis(System.currentTimeMillis())
                .setMaxFrameBytes(settings.maxFrameBytes())).build());
        writeDeliveriesHeldForWelcome();
    }

    private void onHandshakeTimeout() {
        if (phase == Phase.AWAIT_HELLO || phase == Phase.AWAIT_AUTHENTICATE || phase == Phase.ATTACHING) {
            fail(ErrorCode.HANDSHAKE_TIMEOUT, "handshake not completed in time");
        }
    }

    private void onAttaching(Envelope envelope) {
        if (envelope.getBodyCase() == Envelope.BodyCase.PING) {
            answerPing(envelope);
        } else {
            reject(ErrorCode.UNEXPECTED_MESSAGE, "wait for Welcome before sending " + envelope.getBodyCase(), 0);
        }
    }

    // ---- link up ----------------------------------------------------------------------------------

    private void onReady(Envelope envelope) {
        switch (envelope.getBodyCase()) {
            case PING -> answerPing(envelope);
            case PONG -> { }
            case CHANNEL_REQUEST -> onChannelRequest(envelope.getChannelRequest());
            case ACK -> onAck(envelope.getAck());
            case UPSTREAM -> reject(ErrorCode.UNEXPECTED_MESSAGE,
                    "upstream messages travel on control channels: send ControlUpstream", 0);
            case CONTROL_ACK -> {
                ControlAck ack = envelope.getControlAck();
                entity().tell(new DeviceEntity.ControlAckReceived(ack.getAppId(), ack.getChannelId(),
                        ack.getUpToSequence(), System.currentTimeMillis()));
            }
            case CONTROL_KEEP_ALIVE -> {
                ControlKeepAlive keepAlive = envelope.getControlKeepAlive();
                entity().tell(new DeviceEntity.ControlKeepAliveReceived(keepAlive.getAppId(), keepAlive.getChannelId(),
                        System.currentTimeMillis()));
            }
            case CONTROL_UPSTREAM -> {
                ControlUpstream upstream = envelope.getControlUpstream();
                entity().tell(new DeviceEntity.ControlUpstreamReceived(upstream.getAppId(), upstream.getChannelId(),
                        upstream.getUpstreamId(), upstream.getPayload().toByteArray(), System.currentTimeMillis()));
            }
            case ERROR -> onDeviceError(envelope.getError());
            case LOCK_SCREEN_REQUEST, LOCK_SCREEN_CONSENT, LOCK_SCREEN_CHANGE, CONTROL_CHANNEL_REQUEST, POWER_REPORT,
                    APP_STATE_REPORT, TRIGGER_REGISTRATION, BACKGROUND_TASK_REQUEST, BACKGROUND_TASK_REPORT,
                    CONTROL_CHANNEL_RESET -> onDeviceModel(envelope);
            case CHANNEL_CLOSE -> onChannelClose(envelope.getChannelClose());
            case WEB_PUSH_SUBSCRIBE -> onWebPushSubscribe(envelope.getWebPushSubscribe());
            case WEB_PUSH_UNSUBSCRIBE -> onWebPushUnsubscribe(envelope.getWebPushUnsubscribe());
            case WEB_PUSH_ACK -> onWebPushAck(envelope.getWebPushAck());
            default -> reject(ErrorCode.UNEXPECTED_MESSAGE, envelope.getBodyCase() + " is not sent by devices", 0);
        }
    }

    private void answerPing(Envelope envelope) {
        send(Envelope.newBuilder().setPong(Pong.newBuilder().setNonce(envelope.getPing().getNonce())).build());
    }

    private void onChannelRequest(ChannelRequest request) {
        int requestId = request.getRequestId();
        String appId = request.getAppId();
        shared.apps().isRegistered(appId).whenComplete((registered, failure) -> {
            if (failure != null) {
                channel.eventLoop().execute(() -> reject(ErrorCode.INTERNAL, "app lookup failed; retry later", requestId));
            } else if (!registered) {
                channel.eventLoop().execute(() -> reject(ErrorCode.UNKNOWN_APP, "app " + appId + " is not registered with this broker", requestId));
            } else {
                entity().<DeviceEntity.ChannelGranted>ask(
                                replyTo -> new DeviceEntity.RequestChannel(appId, System.currentTimeMillis(), replyTo), shared.askTimeout())
                        .whenCompleteAsync((granted, askFailure) -> {
                            if (askFailure != null) {
                                reject(ErrorCode.INTERNAL, "channel could not be issued; retry later", requestId);
                            } else {
                                send(Envelope.newBuilder().setChannelIssued(ChannelIssued.newBuilder()
                                        .setRequestId(requestId)
                                        .setAppId(granted.appId())
                                        .setChannelUri(granted.channelUri())
                                        .setExpiresAtMillis(granted.expiresAtMillis())
                                        .setChannelId(granted.channelId())).build());
                            }
                        }, channel.eventLoop());
            }
        });
    }

    // ---- the Windows device model (docs/protocol.md "Device model") ---------------------------------

    private void onDeviceModel(Envelope envelope) {
        switch (envelope.getBodyCase()) {
            case LOCK_SCREEN_REQUEST -> {
                LockScreenRequest request = envelope.getLockScreenRequest();
                askEntity(request.getRequestId(), replyTo -> new DeviceEntity.RequestLockScreenAccess(request.getAppId(),
                        DeviceModelFrames.tasks(request.getDeclaredTasksList()), replyTo),
                        (DeviceEntity.LockScreenAnswer a) -> DeviceModelFrames.lockScreenStatus(request.getRequestId(), a));
            }
            case LOCK_SCREEN_CONSENT -> {
                LockScreenConsentAnswer answer = envelope.getLockScreenConsent();
                DeviceModelFrames.consent(answer.getConsent()).ifPresentOrElse(
                        consent -> askEntity(answer.getRequestId(),
                                replyTo -> new DeviceEntity.AnswerLockScreenConsent(answer.getAppId(), consent, replyTo),
                                (DeviceEntity.LockScreenAnswer a) -> DeviceModelFrames.lockScreenStatus(answer.getRequestId(), a)),
                        () -> reject(ErrorCode.INVALID_REQUEST, "consent must be ALLOW, DONT_ALLOW or DISMISSED", answer.getRequestId()));
            }
            case LOCK_SCREEN_CHANGE -> onLockScreenChange(envelope.getLockScreenChange());
            case CONTROL_CHANNEL_REQUEST -> onControlChannelRequest(envelope.getControlChannelRequest());
            case POWER_REPORT -> {
                PowerReport report = envelope.getPowerReport();
                entity().tell(new DeviceEntity.ReportPower(DeviceModelFrames.powerState(report.getPowerState()).orElse(null),
                        DeviceModelFrames.powerSource(report.getPowerSource()).orElse(null), report.getBatterySaver(),
                        System.currentTimeMillis()));
            }
            case APP_STATE_REPORT -> {
                AppStateReport report = envelope.getAppStateReport();
                DeviceModelFrames.appState(report.getState()).ifPresentOrElse(
                        state -> entity().tell(new DeviceEntity.ReportAppState(report.getAppId(), state)),
                        () -> reject(ErrorCode.INVALID_REQUEST, "app state must be FOREGROUND, SUSPENDED or NOT_RUNNING", 0));
            }
            case TRIGGER_REGISTRATION -> {
                TriggerRegistration registration = envelope.getTriggerRegistration();
                DeviceModelFrames.trigger(registration.getTrigger()).ifPresentOrElse(
                        trigger -> askEntity(registration.getRequestId(), replyTo -> new DeviceEntity.RegisterTrigger(
                                        registration.getAppId(), trigger, registration.getFreshnessMinutes(),
                                        registration.getUnregister(), replyTo),
                                (DeviceEntity.TriggerAnswer a) -> DeviceModelFrames.triggerStatus(registration.getRequestId(), a)),
                        () -> reject(ErrorCode.INVALID_REQUEST, "unknown trigger kind", registration.getRequestId()));
            }
            case BACKGROUND_TASK_REQUEST -> {
                BackgroundTaskRequest request = envelope.getBackgroundTaskRequest();
                DeviceModelFrames.trigger(request.getTrigger()).ifPresentOrElse(
                        trigger -> askEntity(request.getRequestId(), replyTo -> new DeviceEntity.RequestBackgroundTask(
                                        request.getAppId(), trigger, System.currentTimeMillis(), replyTo),
                                (DeviceEntity.BackgroundTaskAnswer a) -> DeviceModelFrames.taskAnswer(request.getRequestId(), a)),
                        () -> reject(ErrorCode.INVALID_REQUEST, "unknown trigger kind", request.getRequestId()));
            }
            case BACKGROUND_TASK_REPORT -> {
                BackgroundTaskReport report = envelope.getBackgroundTaskReport();
                DeviceModelFrames.trigger(report.getTrigger()).ifPresentOrElse(
                        trigger -> entity().tell(new DeviceEntity.ReportBackgroundTask(report.getAppId(), trigger,
                                report.getCpuMillis(), report.getNetworkBytes(), System.currentTimeMillis())),
                        () -> reject(ErrorCode.INVALID_REQUEST, "unknown trigger kind", 0));
            }
            case CONTROL_CHANNEL_RESET -> DeviceModelFrames.resetReason(envelope.getControlChannelReset().getReason())
                    .ifPresentOrElse(reason -> entity().tell(new DeviceEntity.ReportControlChannelReset(reason)),
                            () -> reject(ErrorCode.INVALID_REQUEST, "unknown reset reason", 0));
            default -> reject(ErrorCode.UNEXPECTED_MESSAGE, envelope.getBodyCase() + " is not sent by devices", 0);
        }
    }

    private void onLockScreenChange(LockScreenChange change) {
        int requestId = change.getRequestId();
        String appId = change.getAppId();
        java.util.function.Function<DeviceEntity.LockScreenAnswer, Envelope> answer =
                a -> DeviceModelFrames.lockScreenStatus(requestId, a);
        switch (change.getKind()) {
            case ADDED_BY_USER -> askEntity(requestId, replyTo -> new DeviceEntity.AddToLockScreenByUser(appId,
                    DeviceModelFrames.tasks(change.getDeclaredTasksList()), replyTo), answer);
            case REMOVED_BY_USER -> askEntity(requestId, replyTo -> new DeviceEntity.RemoveFromLockScreen(appId,
                    LockScreenRemovalCause.RemovedByUser, replyTo), answer);
            case REMOVE_ACCESS_CALLED -> askEntity(requestId, replyTo -> new DeviceEntity.RemoveFromLockScreen(appId,
                    LockScreenRemovalCause.RemoveAccessCalled, replyTo), answer);
            default -> reject(ErrorCode.INVALID_REQUEST, "lock screen change kind must be set", requestId);
        }
    }

    private void onControlChannelRequest(ControlChannelRequest request) {
        int requestId = request.getRequestId();
        java.util.function.Function<DeviceEntity.ControlChannelAnswer, Envelope> answer =
                a -> DeviceModelFrames.controlChannelStatus(requestId, a);
        switch (request.getOperation()) {
            case CREATE -> askEntity(requestId, replyTo -> new DeviceEntity.CreateControlChannel(request.getAppId(),
                    request.getChannelId(), request.getServerKeepAliveMinutes(),
                    DeviceModelFrames.resourceType(request.getResourceType()), replyTo), answer);
            case CLOSE -> askEntity(requestId, replyTo -> new DeviceEntity.CloseControlChannel(request.getAppId(),
                    request.getChannelId(), replyTo), answer);
            default -> reject(ErrorCode.INVALID_REQUEST, "control channel operation must be CREATE or CLOSE", requestId);
        }
    }

    /** Asks the device's entity and writes the answer frame, or a retryable INTERNAL error, on the event loop. */
    private <R> void askEntity(int requestId,
                               akka.japi.function.Function<akka.actor.typed.ActorRef<R>, DeviceEntity.Command> command,
                               java.util.function.Function<R, Envelope> toFrame) {
        // straight onto the event loop: a non-async callback on an ask's stage would start a thread (AkkaStages)
        entity().<R>ask(command, shared.askTimeout()).whenCompleteAsync((reply, failure) -> {
            if (failure != null) {
                reject(ErrorCode.INTERNAL, "the broker could not answer in time; retry", requestId);
            } else {
                send(toFrame.apply(reply));
            }
        }, channel.eventLoop());
    }

    private void onAck(Ack ack) {
        shared.metrics().acksReceived.add(ack.getDeliveryIdsCount());
    }

    private void onDeviceError(Error error) {
        log.info("device reported error deviceId={} code={} message={}", deviceId, error.getCode(), error.getMessage());
        if (error.getFatal()) {
            channel.close();
        }
    }

    // ---- power reports, channel close, Web Push subscriptions (docs/protocol.md §8, §14) --------------

    private void onChannelClose(ChannelClose close) {
        int requestId = close.getRequestId();
        askEntity(requestId, replyTo -> new DeviceEntity.CloseChannel(close.getAppId(), close.getChannelId(),
                        System.currentTimeMillis(), replyTo),
                (DeviceEntity.ChannelsClosedReply closed) -> Envelope.newBuilder().setChannelClosed(ChannelClosed.newBuilder()
                        .setRequestId(requestId)
                        .setAppId(closed.appId())
                        .addAllClosedChannelIds(closed.closedChannelIds())).build());
    }

    private void onWebPushSubscribe(WebPushSubscribe subscribe) {
        int requestId = subscribe.getRequestId();
        String appId = subscribe.getAppId();
        byte[] key = subscribe.getApplicationServerKey().toByteArray();
        if (appId.isEmpty() || appId.length() > MAX_WEB_PUSH_APP_ID_LENGTH) {
            reject(ErrorCode.INVALID_REQUEST, "app_id must be 1.." + MAX_WEB_PUSH_APP_ID_LENGTH + " characters", requestId);
            return;
        }
        if (key.length != 0 && (key.length != UNCOMPRESSED_P256_KEY_BYTES || key[0] != 0x04)) {
            reject(ErrorCode.INVALID_REQUEST,
                    "application_server_key must be empty or a 65-byte uncompressed P-256 point", requestId);
            return;
        }
        askEntity(requestId, replyTo -> new DeviceEntity.SubscribeWebPush(appId, key, System.currentTimeMillis(), replyTo),
                (DeviceEntity.WebPushSubscribed subscribed) -> Envelope.newBuilder().setWebPushSubscription(WebPushSubscription.newBuilder()
                        .setRequestId(requestId)
                        .setAppId(subscribed.appId())
                        .setEndpoint(subscribed.endpoint())
                        .setExpiresAtMillis(subscribed.expiresAtMillis())
                        .setSubscriptionId(subscribed.subscriptionId())).build());
    }

    private void onWebPushUnsubscribe(WebPushUnsubscribe unsubscribe) {
        entity().tell(new DeviceEntity.UnsubscribeWebPush(unsubscribe.getSubscriptionId(), System.currentTimeMillis()));
    }

    /** RFC 8030 §6.2: the device app has these messages; their receipts (if asked for) say 204. */
    private void onWebPushAck(WebPushAck ack) {
        shared.metrics().acksReceived.add(ack.getMessagesCount());
        if (ack.getMessagesCount() == 0) {
            return;
        }
        List<DeviceEntity.WebPushMessageRef> messages = new ArrayList<>(ack.getMessagesCount());
        for (WebPushMessageRef ref : ack.getMessagesList()) {
            messages.add(new DeviceEntity.WebPushMessageRef(ref.getSubscriptionId(), ref.getMessageId()));
        }
        entity().tell(new DeviceEntity.WebPushAcked(messages, System.currentTimeMillis()));
    }

    @Override
    public void deliverWebPush(LinkRegistry.DeliverWebPush delivery) {
        channel.eventLoop().execute(() -> writeWebPush(delivery));
    }

    private void writeWebPush(LinkRegistry.DeliverWebPush delivery) {
        if (phase == Phase.ATTACHING) {
            holdUntilWelcome(() -> writeWebPush(delivery));
            return;
        }
        if (phase != Phase.READY) {
            return;
        }
        if (!channel.isWritable()) {
            shared.metrics().notificationsDroppedSlowLink.increment();
            return;
        }
        shared.metrics().notificationsWritten.increment();
        send(Envelope.newBuilder().setWebPushNotification(WebPushNotification.newBuilder()
                .setDeliveryId(nextDeliveryId++)
                .setAppId(delivery.appId())
                .setSubscriptionId(delivery.subscriptionId())
                .setPayload(ByteString.copyFrom(delivery.payload()))
                .setContentEncoding(delivery.contentEncoding())
                .setMessageId(delivery.messageId())
                .setSentAtMillis(delivery.sentAtMillis())).build());
    }

    /**
     * The entity flushes what it kept for the device as soon as it has attached the link, which can be before this
     * session has had the Attached answer and sent Welcome: such deliveries wait here (bounded) and go out right
     * after Welcome, so nothing kept for an offline device is lost on its return.
     */
    private void holdUntilWelcome(Runnable write) {
        if (heldForWelcome == null) {
            heldForWelcome = new ArrayList<>();
        }
        if (heldForWelcome.size() < MAX_HELD_FOR_WELCOME) {
            heldForWelcome.add(write);
        } else {
            shared.metrics().notificationsDroppedSlowLink.increment();
        }
    }

    private void writeDeliveriesHeldForWelcome() {
        if (heldForWelcome != null) {
            List<Runnable> held = heldForWelcome;
            heldForWelcome = null;
            held.forEach(Runnable::run);
        }
    }

    // ---- LinkEndpoint (called from link registry actors) ------------------------------------------

    @Override
    public void deliver(LinkRegistry.Deliver delivery) {
        channel.eventLoop().execute(() -> writeNotification(delivery));
    }

    @Override
    public void notify(DeviceNotification notification) {
        channel.eventLoop().execute(() -> {
            if (phase == Phase.READY) {
                send(DeviceModelFrames.systemTrigger(notification));
            }
        });
    }

    @Override
    public void replaced() {
        channel.eventLoop().execute(() -> {
            shared.metrics().linksReplaced.increment();
            goAwayAndClose(GoAwayReason.REPLACED, 0, "a newer link for this device took over");
        });
    }

    @Override
    public void entityStopped() {
        channel.eventLoop().execute(this::reattach);
    }

    /**
     * Attaches this live link again to its entity, which restarts wherever its shard lives now. Deliveries meanwhile
     * are kept by the entity (guaranteed ones) or are best effort; the re-attach resends everything unacked. An
     * entity that cannot be reached for {@link #MAX_REATTACH_FAILURES} attempts (one ask timeout each, plus a
     * pause) ends the link, so the device reconnects, possibly to another node.
     */
    private void reattach() {
        reattachTimer = null;
        if (phase != Phase.READY) {
            return;
        }
        entity().<DeviceEntity.Attached>ask(replyTo -> new DeviceEntity.Attach(address, capabilities,
                        System.currentTimeMillis(), replyTo), shared.askTimeout())
                .whenCompleteAsync((attached, failure) -> onReattached(attached, failure), channel.eventLoop());
    }

    private void onReattached(DeviceEntity.Attached attached, Throwable failure) {
        if (phase != Phase.READY) {
            return;
        }
        if (failure == null) {
            reattachFailures = 0;
            shared.metrics().entitiesReattached.increment();
            address.registry().tell(new LinkRegistry.WatchEntity(linkId, attached.entity()));
            log.debug("link attached again deviceId={} linkId={}", deviceId, linkId);
            return;
        }
        reattachFailures++;
        if (reattachFailures >= MAX_REATTACH_FAILURES) {
            log.warn("re-attach failed {} times deviceId={} linkId={}: {}", reattachFailures, deviceId, linkId,
                    failure.toString());
            fail(ErrorCode.INTERNAL, "the broker lost this device's state and could not restore it; reconnect");
            return;
        }
        reattachTimer = channel.eventLoop().schedule(this::reattach, REATTACH_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Node shutdown: reconnect elsewhere after {@code delayMillis}. */
    void drain(int delayMillis) {
        channel.eventLoop().execute(() -> goAwayAndClose(GoAwayReason.DRAINING, delayMillis, "node is shutting down"));
    }

    private void writeNotification(LinkRegistry.Deliver delivery) {
        if (phase == Phase.ATTACHING) {
            holdUntilWelcome(() -> writeNotification(delivery));
            return;
        }
        if (phase != Phase.READY) {
            return;
        }
        boolean control = delivery.type() == NotificationType.CONTROL;
        if (!channel.isWritable() && !control) {
            // bounded outbound buffer (write-buffer water marks): raw push is best effort; control messages
            // are bounded by the entity's window instead, and never dropped here
            shared.metrics().notificationsDroppedSlowLink.increment();
            return;
        }
        shared.metrics().notificationsWritten.increment();
        Notification.Builder notification = Notification.newBuilder();
        if (control) {
            notification.setControlChannelId(delivery.controlChannelId()).setSequence(delivery.sequence());
        }
        send(Envelope.newBuilder().setNotification(notification
                .setDeliveryId(nextDeliveryId++)
                .setAppId(delivery.appId())
                .setType(delivery.type())
                .setPayload(ByteString.copyFrom(delivery.payload()))
                .setMessageId(delivery.messageId())
                .setChannelId(delivery.channelId())
                .setSentAtMillis(delivery.sentAtMillis())
                .setRawDelivery(delivery.rawDelivery())).build());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private akka.cluster.sharding.typed.javadsl.EntityRef<DeviceEntity.Command> entity() {
        return shared.sharding().entityRefFor(DeviceEntity.ENTITY_KEY, deviceId);
    }

    private void send(Envelope envelope) {
        channel.writeAndFlush(envelope, channel.voidPromise());
    }

    /** A non-fatal error answer; the link stays up. */
    private void reject(ErrorCode code, String message, int requestId) {
        send(Envelope.newBuilder().setError(Error.newBuilder()
                .setCode(code).setMessage(message).setRequestId(requestId).setFatal(false)).build());
    }

    /** A fatal error: tell the device why, then close. */
    private void fail(ErrorCode code, String message) {
        if (phase != Phase.READY && phase != Phase.CLOSING) shared.metrics().handshakeFailed(code);
        phase = Phase.CLOSING;
        channel.writeAndFlush(Envelope.newBuilder().setError(Error.newBuilder()
                        .setCode(code).setMessage(message).setFatal(true)).build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void goAwayAndClose(GoAwayReason reason, int reconnectAfterMillis, String message) {
        if (phase == Phase.CLOSING) {
            return;
        }
        phase = Phase.CLOSING;
        channel.writeAndFlush(Envelope.newBuilder().setGoAway(GoAway.newBuilder()
                        .setReason(reason).setReconnectAfterMillis(reconnectAfterMillis).setMessage(message)).build())
                .addListener(ChannelFutureListener.CLOSE);
    }
}
