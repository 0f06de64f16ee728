package io.wakeline.broker.gateway.device;

import akka.cluster.sharding.typed.javadsl.EntityRef;
import com.google.protobuf.ByteString;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.link.LinkAddress;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.policy.DeviceNotification;
import io.wakeline.protocol.DecodeResult;
import io.wakeline.protocol.DeviceCredentials;
import io.wakeline.protocol.LinkProtocol;
import io.wakeline.protocol.v1.Challenge;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.Error;
import io.wakeline.protocol.v1.ErrorCode;
import io.wakeline.protocol.v1.GoAway;
import io.wakeline.protocol.v1.GoAwayReason;
import io.wakeline.protocol.v1.Hello;
import io.wakeline.protocol.v1.Pong;
import io.wakeline.protocol.v1.Welcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device link: handshake, keep-alive, attaching to the device's entity, deliveries (docs/protocol.md). A plain
 * Netty handler, not an actor; every field is touched only on the link's event loop, which is why deliveries from the
 * link registry hop onto it first. What the device asks of its entity once the link is ready is {@link SessionRequests}.
 */
final class DeviceSession extends ChannelInboundHandlerAdapter implements LinkEndpoint {
    private static final Logger log = LoggerFactory.getLogger(DeviceSession.class);

    private enum Phase { AWAIT_HELLO, AWAIT_AUTHENTICATE, ATTACHING, READY, CLOSING }

    private static final int MAX_HELD_FOR_WELCOME = 1024;
    /** Enough to outlast a dead node's downing (failure detection + split-brain resolver's stable-after). */
    private static final int MAX_REATTACH_FAILURES = 12;
    private static final long REATTACH_PAUSE_MILLIS = 1_000;

    private final SessionContext shared;
    private final SessionRequests requests;
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
        this.requests = new SessionRequests(this, shared);
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
            shared.registryFor(linkId).tell(new LinkRegistry.UnwatchEntity(linkId));
            entity().tell(new DeviceEntity.Detach(address, shared.clock().millis()));
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
        attach().whenCompleteAsync(this::onAttachAnswered, channel.eventLoop());
    }

    private java.util.concurrent.CompletionStage<DeviceEntity.Attached> attach() {
        return entity().ask(replyTo -> new DeviceEntity.Attach(address, capabilities, shared.clock().millis(), replyTo),
                shared.entityAskTimeout());
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
        shared.registryFor(linkId).tell(new LinkRegistry.WatchEntity(linkId, attached.entity()));
        shared.metrics().handshakesCompleted.increment();
        DeviceGatewaySettings settings = shared.settings();
        send(Envelope.newBuilder().setWelcome(Welcome.newBuilder()
                .setSessionId(Long.toHexString(linkId))
                .setHeartbeatIntervalSeconds((int) settings.heartbeatInterval().toSeconds())
                .setIdleTimeoutSeconds((int) settings.idleTimeout().toSeconds())
                .setServerTimeMillis(shared.clock().millis())
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
            case ACK -> shared.metrics().acksReceived.add(envelope.getAck().getDeliveryIdsCount());
            case UPSTREAM -> reject(ErrorCode.UNEXPECTED_MESSAGE,
                    "upstream messages travel on control channels: send ControlUpstream", 0);
            case ERROR -> onDeviceError(envelope.getError());
            default -> {
                if (!requests.handle(envelope)) {
                    reject(ErrorCode.UNEXPECTED_MESSAGE, envelope.getBodyCase() + " is not sent by devices", 0);
                }
            }
        }
    }

    private void answerPing(Envelope envelope) {
        send(Envelope.newBuilder().setPong(Pong.newBuilder().setNonce(envelope.getPing().getNonce())).build());
    }

    private void onDeviceError(Error error) {
        log.info("device reported error deviceId={} code={} message={}", deviceId, error.getCode(), error.getMessage());
        if (error.getFatal()) {
            channel.close();
        }
    }

    // ---- LinkEndpoint (called from link registry actors) ------------------------------------------

    @Override
    public void deliver(LinkRegistry.Deliver delivery) {
        channel.eventLoop().execute(() -> writeNotification(delivery));
    }

    @Override
    public void deliverWebPush(LinkRegistry.DeliverWebPush delivery) {
        channel.eventLoop().execute(() -> writeWebPush(delivery));
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
        if (phase == Phase.READY) {
            attach().whenCompleteAsync(this::onReattached, channel.eventLoop());
        }
    }

    private void onReattached(DeviceEntity.Attached attached, Throwable failure) {
        if (phase != Phase.READY) {
            return;
        }
        if (failure == null) {
            reattachFailures = 0;
            shared.metrics().entitiesReattached.increment();
            shared.registryFor(linkId).tell(new LinkRegistry.WatchEntity(linkId, attached.entity()));
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
        if (!channel.isWritable() && !DeliveryFrames.isControl(delivery)) {
            // bounded outbound buffer (write-buffer water marks): raw push is best effort; control messages
            // are bounded by the entity's window instead, and never dropped here
            shared.metrics().notificationsDroppedSlowLink.increment();
            return;
        }
        shared.metrics().notificationsWritten.increment();
        send(DeliveryFrames.notification(delivery, nextDeliveryId++));
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
        send(DeliveryFrames.webPush(delivery, nextDeliveryId++));
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

    // ---- for SessionRequests ----------------------------------------------------------------------

    EntityRef<DeviceEntity.Command> entity() {
        return shared.sharding().entityRefFor(DeviceEntity.ENTITY_KEY, deviceId);
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    void send(Envelope envelope) {
        channel.writeAndFlush(envelope, channel.voidPromise());
    }

    /** A non-fatal error answer; the link stays up. */
    void reject(ErrorCode code, String message, int requestId) {
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
