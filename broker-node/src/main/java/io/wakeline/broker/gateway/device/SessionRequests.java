package io.wakeline.broker.gateway.device;

import akka.actor.typed.ActorRef;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.policy.LockScreenRemovalCause;
import io.wakeline.protocol.v1.AppStateReport;
import io.wakeline.protocol.v1.BackgroundTaskReport;
import io.wakeline.protocol.v1.BackgroundTaskRequest;
import io.wakeline.protocol.v1.ChannelClose;
import io.wakeline.protocol.v1.ChannelClosed;
import io.wakeline.protocol.v1.ChannelIssued;
import io.wakeline.protocol.v1.ChannelRequest;
import io.wakeline.protocol.v1.ControlAck;
import io.wakeline.protocol.v1.ControlChannelRequest;
import io.wakeline.protocol.v1.ControlKeepAlive;
import io.wakeline.protocol.v1.ControlUpstream;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.ErrorCode;
import io.wakeline.protocol.v1.LockScreenChange;
import io.wakeline.protocol.v1.LockScreenConsentAnswer;
import io.wakeline.protocol.v1.LockScreenRequest;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.TriggerRegistration;
import io.wakeline.protocol.v1.WebPushAck;
import io.wakeline.protocol.v1.WebPushMessageRef;
import io.wakeline.protocol.v1.WebPushSubscribe;
import io.wakeline.protocol.v1.WebPushSubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a device asks of its entity over a ready link (docs/protocol.md "Device model", §8, §14, §15): each request
 * frame becomes an entity command, stamped with the session's clock, and each answer its frame. A request the entity
 * does not answer in time gets a retryable INTERNAL error; the link stays up. Part of its {@link DeviceSession}, on
 * the link's event loop.
 */
final class SessionRequests {
    private static final int MAX_WEB_PUSH_APP_ID_LENGTH = 256;
    private static final int UNCOMPRESSED_P256_KEY_BYTES = 65;

    private final DeviceSession session;
    private final SessionContext shared;

    SessionRequests(DeviceSession session, SessionContext shared) {
        this.session = session;
        this.shared = shared;
    }

    /** Handles a request frame; false when the frame is no request (the session handles it). */
    boolean handle(Envelope envelope) {
        switch (envelope.getBodyCase()) {
            case CHANNEL_REQUEST -> onChannelRequest(envelope.getChannelRequest());
            case CHANNEL_CLOSE -> onChannelClose(envelope.getChannelClose());
            case CONTROL_ACK -> {
                ControlAck ack = envelope.getControlAck();
                session.entity().tell(new DeviceEntity.ControlAckReceived(ack.getAppId(), ack.getChannelId(),
                        ack.getUpToSequence(), now()));
            }
            case CONTROL_KEEP_ALIVE -> {
                ControlKeepAlive keepAlive = envelope.getControlKeepAlive();
                session.entity().tell(new DeviceEntity.ControlKeepAliveReceived(keepAlive.getAppId(),
                        keepAlive.getChannelId(), now()));
            }
            case CONTROL_UPSTREAM -> {
                ControlUpstream upstream = envelope.getControlUpstream();
                session.entity().tell(new DeviceEntity.ControlUpstreamReceived(upstream.getAppId(),
                        upstream.getChannelId(), upstream.getUpstreamId(), upstream.getPayload().toByteArray(), now()));
            }
            case LOCK_SCREEN_REQUEST -> onLockScreenRequest(envelope.getLockScreenRequest());
            case LOCK_SCREEN_CONSENT -> onLockScreenConsent(envelope.getLockScreenConsent());
            case LOCK_SCREEN_CHANGE -> onLockScreenChange(envelope.getLockScreenChange());
            case CONTROL_CHANNEL_REQUEST -> onControlChannelRequest(envelope.getControlChannelRequest());
            case POWER_REPORT -> {
                PowerReport report = envelope.getPowerReport();
                session.entity().tell(new DeviceEntity.ReportPower(DeviceModelFrames.powerState(report.getPowerState()).orElse(null),
                        DeviceModelFrames.powerSource(report.getPowerSource()).orElse(null), report.getBatterySaver(), now()));
            }
            case APP_STATE_REPORT -> {
                AppStateReport report = envelope.getAppStateReport();
                DeviceModelFrames.appState(report.getState()).ifPresentOrElse(
                        state -> session.entity().tell(new DeviceEntity.ReportAppState(report.getAppId(), state)),
                        () -> session.reject(ErrorCode.INVALID_REQUEST, "app state must be FOREGROUND, SUSPENDED or NOT_RUNNING", 0));
            }
            case TRIGGER_REGISTRATION -> onTriggerRegistration(envelope.getTriggerRegistration());
            case BACKGROUND_TASK_REQUEST -> onBackgroundTaskRequest(envelope.getBackgroundTaskRequest());
            case BACKGROUND_TASK_REPORT -> {
                BackgroundTaskReport report = envelope.getBackgroundTaskReport();
                DeviceModelFrames.trigger(report.getTrigger()).ifPresentOrElse(
                        trigger -> session.entity().tell(new DeviceEntity.ReportBackgroundTask(report.getAppId(), trigger,
                                report.getCpuMillis(), report.getNetworkBytes(), now())),
                        () -> session.reject(ErrorCode.INVALID_REQUEST, "unknown trigger kind", 0));
            }
            case CONTROL_CHANNEL_RESET -> DeviceModelFrames.resetReason(envelope.getControlChannelReset().getReason())
                    .ifPresentOrElse(reason -> session.entity().tell(new DeviceEntity.ReportControlChannelReset(reason)),
                            () -> session.reject(ErrorCode.INVALID_REQUEST, "unknown reset reason", 0));
            case WEB_PUSH_SUBSCRIBE -> onWebPushSubscribe(envelope.getWebPushSubscribe());
            case WEB_PUSH_UNSUBSCRIBE -> session.entity().tell(new DeviceEntity.UnsubscribeWebPush(
                    envelope.getWebPushUnsubscribe().getSubscriptionId(), now()));
            case WEB_PUSH_ACK -> onWebPushAck(envelope.getWebPushAck());
            default -> {
                return false;
            }
        }
        return true;
    }

    // ---- push channels (docs/protocol.md §8) ---------------------------------------------------------------

    private void onChannelRequest(ChannelRequest request) {
        int requestId = request.getRequestId();
        String appId = request.getAppId();
        shared.apps().isRegistered(appId).whenCompleteAsync((registered, failure) -> {
            if (failure != null) {
                session.reject(ErrorCode.INTERNAL, "app lookup failed; retry later", requestId);
            } else if (!registered) {
                session.reject(ErrorCode.UNKNOWN_APP, "app " + appId + " is not registered with this broker", requestId);
            } else {
                ask(requestId, "channel could not be issued; retry later",
                        replyTo -> new DeviceEntity.RequestChannel(appId, now(), replyTo),
                        (DeviceEntity.ChannelGranted granted) -> Envelope.newBuilder().setChannelIssued(ChannelIssued.newBuilder()
                                .setRequestId(requestId)
                                .setAppId(granted.appId())
                                .setChannelUri(granted.channelUri())
                                .setExpiresAtMillis(granted.expiresAtMillis())
                                .setChannelId(granted.channelId())).build());
            }
        }, session.eventLoop());
    }

    private void onChannelClose(ChannelClose close) {
        int requestId = close.getRequestId();
        ask(requestId, replyTo -> new DeviceEntity.CloseChannel(close.getAppId(), close.getChannelId(), now(), replyTo),
                (DeviceEntity.ChannelsClosedReply closed) -> Envelope.newBuilder().setChannelClosed(ChannelClosed.newBuilder()
                        .setRequestId(requestId)
                        .setAppId(closed.appId())
                        .addAllClosedChannelIds(closed.closedChannelIds())).build());
    }

    // ---- the Windows device model (docs/protocol.md "Device model") ------------------------------------------

    private void onLockScreenRequest(LockScreenRequest request) {
        ask(request.getRequestId(), replyTo -> new DeviceEntity.RequestLockScreenAccess(request.getAppId(),
                        DeviceModelFrames.tasks(request.getDeclaredTasksList()), replyTo),
                (DeviceEntity.LockScreenAnswer a) -> DeviceModelFrames.lockScreenStatus(request.getRequestId(), a));
    }

    private void onLockScreenConsent(LockScreenConsentAnswer answer) {
        DeviceModelFrames.consent(answer.getConsent()).ifPresentOrElse(
                consent -> ask(answer.getRequestId(),
                        replyTo -> new DeviceEntity.AnswerLockScreenConsent(answer.getAppId(), consent, replyTo),
                        (DeviceEntity.LockScreenAnswer a) -> DeviceModelFrames.lockScreenStatus(answer.getRequestId(), a)),
                () -> session.reject(ErrorCode.INVALID_REQUEST, "consent must be ALLOW, DONT_ALLOW or DISMISSED",
                        answer.getRequestId()));
    }

    private void onLockScreenChange(LockScreenChange change) {
        int requestId = change.getRequestId();
        String appId = change.getAppId();
        Function<DeviceEntity.LockScreenAnswer, Envelope> answer = a -> DeviceModelFrames.lockScreenStatus(requestId, a);
        switch (change.getKind()) {
            case ADDED_BY_USER -> ask(requestId, replyTo -> new DeviceEntity.AddToLockScreenByUser(appId,
                    DeviceModelFrames.tasks(change.getDeclaredTasksList()), replyTo), answer);
            case REMOVED_BY_USER -> ask(requestId, replyTo -> new DeviceEntity.RemoveFromLockScreen(appId,
                    LockScreenRemovalCause.RemovedByUser, replyTo), answer);
            case REMOVE_ACCESS_CALLED -> ask(requestId, replyTo -> new DeviceEntity.RemoveFromLockScreen(appId,
                    LockScreenRemovalCause.RemoveAccessCalled, replyTo), answer);
            default -> session.reject(ErrorCode.INVALID_REQUEST, "lock screen change kind must be set", requestId);
        }
    }

    private void onControlChannelRequest(ControlChannelRequest request) {
        int requestId = request.getRequestId();
        Function<DeviceEntity.ControlChannelAnswer, Envelope> answer = a -> DeviceModelFrames.controlChannelStatus(requestId, a);
        switch (request.getOperation()) {
            case CREATE -> ask(requestId, replyTo -> new DeviceEntity.CreateControlChannel(request.getAppId(),
                    request.getChannelId(), request.getServerKeepAliveMinutes(),
                    DeviceModelFrames.resourceType(request.getResourceType()), replyTo), answer);
            case CLOSE -> ask(requestId, replyTo -> new DeviceEntity.CloseControlChannel(request.getAppId(),
                    request.getChannelId(), replyTo), answer);
            default -> session.reject(ErrorCode.INVALID_REQUEST, "control channel operation must be CREATE or CLOSE", requestId);
        }
    }

    private void onTriggerRegistration(TriggerRegistration registration) {
        DeviceModelFrames.trigger(registration.getTrigger()).ifPresentOrElse(
                trigger -> ask(registration.getRequestId(), replyTo -> new DeviceEntity.RegisterTrigger(
                                registration.getAppId(), trigger, registration.getFreshnessMinutes(),
                                DeviceEntity.RegisterTrigger.Change.ofUnregister(registration.getUnregister()), replyTo),
                        (DeviceEntity.TriggerAnswer a) -> DeviceModelFrames.triggerStatus(registration.getRequestId(), a)),
                () -> session.reject(ErrorCode.INVALID_REQUEST, "unknown trigger kind", registration.getRequestId()));
    }

    private void onBackgroundTaskRequest(BackgroundTaskRequest request) {
        DeviceModelFrames.trigger(request.getTrigger()).ifPresentOrElse(
                trigger -> ask(request.getRequestId(), replyTo -> new DeviceEntity.RequestBackgroundTask(
                                request.getAppId(), trigger, now(), replyTo),
                        (DeviceEntity.BackgroundTaskAnswer a) -> DeviceModelFrames.taskAnswer(request.getRequestId(), a)),
                () -> session.reject(ErrorCode.INVALID_REQUEST, "unknown trigger kind", request.getRequestId()));
    }

    // ---- Web Push subscriptions (docs/protocol.md §14) --------------------------------------------------------

    private void onWebPushSubscribe(WebPushSubscribe subscribe) {
        int requestId = subscribe.getRequestId();
        String appId = subscribe.getAppId();
        byte[] key = subscribe.getApplicationServerKey().toByteArray();
        if (appId.isEmpty() || appId.length() > MAX_WEB_PUSH_APP_ID_LENGTH) {
            session.reject(ErrorCode.INVALID_REQUEST, "app_id must be 1.." + MAX_WEB_PUSH_APP_ID_LENGTH + " characters", requestId);
            return;
        }
        if (key.length != 0 && (key.length != UNCOMPRESSED_P256_KEY_BYTES || key[0] != 0x04)) {
            session.reject(ErrorCode.INVALID_REQUEST,
                    "application_server_key must be empty or a 65-byte uncompressed P-256 point", requestId);
            return;
        }
        ask(requestId, replyTo -> new DeviceEntity.SubscribeWebPush(appId, key, now(), replyTo),
                (DeviceEntity.WebPushSubscribed subscribed) -> Envelope.newBuilder().setWebPushSubscription(WebPushSubscription.newBuilder()
                        .setRequestId(requestId)
                        .setAppId(subscribed.appId())
                        .setEndpoint(subscribed.endpoint())
                        .setExpiresAtMillis(subscribed.expiresAtMillis())
                        .setSubscriptionId(subscribed.subscriptionId())).build());
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
        session.entity().tell(new DeviceEntity.WebPushAcked(messages, now()));
    }

    /** Asks the device's entity and writes the answer frame, or a retryable INTERNAL error, on the event loop. */
    private <R> void ask(int requestId, akka.japi.function.Function<ActorRef<R>, DeviceEntity.Command> command,
                         Function<R, Envelope> toFrame) {
        ask(requestId, "the broker could not answer in time; retry", command, toFrame);
    }

    private <R> void ask(int requestId, String failureMessage,
                         akka.japi.function.Function<ActorRef<R>, DeviceEntity.Command> command, Function<R, Envelope> toFrame) {
        // straight onto the event loop: a non-async callback on an ask's stage would start a thread (AkkaStages)
        session.entity().<R>ask(command, shared.entityAskTimeout()).whenCompleteAsync((reply, failure) -> {
            if (failure != null) {
                session.reject(ErrorCode.INTERNAL, failureMessage, requestId);
            } else {
                session.send(toFrame.apply(reply));
            }
        }, session.eventLoop());
    }

    private long now() {
        return shared.clock().millis();
    }
}
