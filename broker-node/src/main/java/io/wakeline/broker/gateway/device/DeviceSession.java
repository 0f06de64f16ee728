package io.wakeline.broker.gateway.device;

import com.google.protobuf.ByteString;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.wakeline.broker.device.DeviceCapabilities;
import io.wakeline.broker.device.DeviceEntity;
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
import io.wakeline.protocol.v1.Pong;
import io.wakeline.protocol.v1.Welcome;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.push.EnergySaver;
import io.wakeline.protocol.v1.ChannelClose;
import io.wakeline.protocol.v1.ChannelClosed;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.ReportedPowerSource;
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
        if (address != null) {
            shared.links().remove(linkId, this);
            entity().tell(new DeviceEntity.Detach(address));
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
        entity().<DeviceEntity.Attached>ask(replyTo -> new DeviceEntity.Attach(address, capabilities, replyTo), shared.askTimeout())
                .whenComplete((attached, failure) -> channel.eventLoop().execute(() -> onAttachAnswered(failure)));
    }

    private void onAttachAnswered(Throwable failure) {
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
                    "upstream messages travel on control channels; this link has none", 0);
            case ERROR -> onDeviceError(envelope.getError());
            case POWER_REPORT -> onPowerReport(envelope.getPowerReport());
            case CHANNEL_CLOSE -> onChannelClose(envelope.getChannelClose());
            case WEB_PUSH_SUBSCRIBE -> onWebPushSubscribe(envelope.getWebPushSubscribe());
            case WEB_PUSH_UNSUBSCRIBE -> onWebPushUnsubscribe(envelope.getWebPushUnsubscribe());
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
                        .whenComplete((granted, askFailure) -> channel.eventLoop().execute(() -> {
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
                        }));
            }
        });
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

    private void onPowerReport(PowerReport report) {
        PowerState state = switch (report.getState()) {
            case REPORTED_POWER_CONNECTED_STANDBY -> PowerState.ConnectedStandby;
            case REPORTED_POWER_SLEEP -> PowerState.Sleep;
            default -> PowerState.Active;
        };
        PowerSource source = report.getSource() == ReportedPowerSource.REPORTED_POWER_MAINS
                ? PowerSource.Mains : PowerSource.Battery;
        EnergySaver saver = report.getBatterySaver() ? EnergySaver.On : EnergySaver.Off;
        entity().tell(new DeviceEntity.ReportPower(new io.wakeline.broker.device.push.PowerReport(state, source, saver)));
    }

    private void onChannelClose(ChannelClose close) {
        int requestId = close.getRequestId();
        entity().<DeviceEntity.ChannelsClosedReply>ask(replyTo -> new DeviceEntity.CloseChannel(close.getAppId(),
                        close.getChannelId(), System.currentTimeMillis(), replyTo), shared.askTimeout())
                .whenComplete((closed, failure) -> channel.eventLoop().execute(() -> {
                    if (failure != null) {
                        reject(ErrorCode.INTERNAL, "channel could not be closed; retry later", requestId);
                    } else {
                        send(Envelope.newBuilder().setChannelClosed(ChannelClosed.newBuilder()
                                .setRequestId(requestId)
                                .setAppId(closed.appId())
                                .addAllClosedChannelIds(closed.closedChannelIds())).build());
                    }
                }));
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
        entity().<DeviceEntity.WebPushSubscribed>ask(replyTo -> new DeviceEntity.SubscribeWebPush(appId, key,
                        System.currentTimeMillis(), replyTo), shared.askTimeout())
                .whenComplete((subscribed, failure) -> channel.eventLoop().execute(() -> {
                    if (failure != null) {
                        reject(ErrorCode.INTERNAL, "subscription could not be created; retry later", requestId);
                    } else {
                        send(Envelope.newBuilder().setWebPushSubscription(WebPushSubscription.newBuilder()
                                .setRequestId(requestId)
                                .setAppId(subscribed.appId())
                                .setEndpoint(subscribed.endpoint())
                                .setExpiresAtMillis(subscribed.expiresAtMillis())
                                .setSubscriptionId(subscribed.subscriptionId())).build());
                    }
                }));
    }

    private void onWebPushUnsubscribe(WebPushUnsubscribe unsubscribe) {
        entity().tell(new DeviceEntity.UnsubscribeWebPush(unsubscribe.getSubscriptionId(), System.currentTimeMillis()));
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
    public void replaced() {
        channel.eventLoop().execute(() -> {
            shared.metrics().linksReplaced.increment();
            goAwayAndClose(GoAwayReason.REPLACED, 0, "a newer link for this device took over");
        });
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
        if (!channel.isWritable()) {
            // bounded outbound buffer (write-buffer water marks): raw push is best effort
            shared.metrics().notificationsDroppedSlowLink.increment();
            return;
        }
        shared.metrics().notificationsWritten.increment();
        send(Envelope.newBuilder().setNotification(Notification.newBuilder()
                .setDeliveryId(nextDeliveryId++)
                .setAppId(delivery.appId())
                .setType(delivery.type())
                .setPayload(ByteString.copyFrom(delivery.payload()))
                .setMessageId(delivery.messageId())
                .setChannelId(delivery.channelId())
                .setSentAtMillis(delivery.sentAtMillis())).build());
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
