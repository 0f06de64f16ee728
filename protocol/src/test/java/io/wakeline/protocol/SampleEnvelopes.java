package io.wakeline.protocol;

import com.google.protobuf.ByteString;
import io.wakeline.protocol.v1.*;
import io.wakeline.protocol.v1.Error;
import java.util.EnumMap;
import java.util.Map;

/** One envelope per body type with every field set to a non-default value, for codec tests. */
final class SampleEnvelopes {
    static final String APP_ID = "ms-app://S-1-15-2-1234567890-1234567890-1234567890";

    private SampleEnvelopes() {
    }

    static Map<Envelope.BodyCase, Envelope> everyBody() {
        Map<Envelope.BodyCase, Envelope> samples = new EnumMap<>(Envelope.BodyCase.class);
        samples.put(Envelope.BodyCase.HELLO, Envelope.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(1)
                .setDeviceId("device-42")
                .setCapabilities(DeviceCapabilities.newBuilder()
                        .setChipsetConnectedStandby(true)
                        .setNetworkConnectedStandby(true))
                .setClientAgent("wakeline-sim/0.1")).build());
        samples.put(Envelope.BodyCase.CHALLENGE, Envelope.newBuilder().setChallenge(Challenge.newBuilder()
                .setNonce(ByteString.copyFrom(bytes(LinkProtocol.NONCE_BYTES, 0xA0)))
                .setProtocolVersion(1)).build());
        samples.put(Envelope.BodyCase.AUTHENTICATE, Envelope.newBuilder().setAuthenticate(Authenticate.newBuilder()
                .setProof(ByteString.copyFrom(bytes(32, 0x10)))).build());
        samples.put(Envelope.BodyCase.WELCOME, Envelope.newBuilder().setWelcome(Welcome.newBuilder()
                .setSessionId("node-1/7f3a")
                .setHeartbeatIntervalSeconds(30)
                .setIdleTimeoutSeconds(90)
                .setServerTimeMillis(1_700_000_000_000L)
                .setMaxFrameBytes(LinkProtocol.DEFAULT_MAX_FRAME_BYTES)).build());
        samples.put(Envelope.BodyCase.PING, Envelope.newBuilder().setPing(Ping.newBuilder()
                .setNonce(0xFEDC_BA98_7654_3210L)).build());
        samples.put(Envelope.BodyCase.PONG, Envelope.newBuilder().setPong(Pong.newBuilder()
                .setNonce(Long.MAX_VALUE)).build());
        samples.put(Envelope.BodyCase.CHANNEL_REQUEST, Envelope.newBuilder().setChannelRequest(ChannelRequest.newBuilder()
                .setRequestId(7)
                .setAppId(APP_ID)).build());
        samples.put(Envelope.BodyCase.CHANNEL_ISSUED, Envelope.newBuilder().setChannelIssued(ChannelIssued.newBuilder()
                .setRequestId(7)
                .setAppId(APP_ID)
                .setChannelUri("https://node-1.example/w/?token=AwYAAAB")
                .setExpiresAtMillis(1_702_592_000_000L)
                .setChannelId("ch-9b1d")).build());
        samples.put(Envelope.BodyCase.NOTIFICATION, Envelope.newBuilder().setNotification(Notification.newBuilder()
                .setDeliveryId(-1L) // uint64 max: the top bit must survive
                .setAppId(APP_ID)
                .setType(NotificationType.RAW)
                .setPayload(ByteString.copyFrom(bytes(1024, 0x00)))
                .setMessageId("3FA11A2B4C5D6E7F")
                .setChannelId("ch-9b1d")
                .setSentAtMillis(1_700_000_000_123L)
                .setRawDelivery(RawDelivery.BACKGROUND_TASK)
                .setControlChannelId("voip-1")
                .setSequence(-1L)).build());
        samples.put(Envelope.BodyCase.ACK, Envelope.newBuilder().setAck(Ack.newBuilder()
                .addDeliveryIds(1).addDeliveryIds(2).addDeliveryIds(-1L)).build());
        samples.put(Envelope.BodyCase.UPSTREAM, Envelope.newBuilder().setUpstream(Upstream.newBuilder()
                .setAppId(APP_ID)
                .setPayload(ByteString.copyFromUtf8("{\"temp\":21}"))
                .setUpstreamId(99)).build());
        samples.put(Envelope.BodyCase.GO_AWAY, Envelope.newBuilder().setGoAway(GoAway.newBuilder()
                .setReason(GoAwayReason.DRAINING)
                .setReconnectAfterMillis(2_500)
                .setMessage("node draining")).build());
        samples.put(Envelope.BodyCase.ERROR, Envelope.newBuilder().setError(Error.newBuilder()
                .setCode(ErrorCode.UNKNOWN_APP)
                .setMessage("app not registered")
                .setRequestId(7)
                .setFatal(true)).build());
        samples.put(Envelope.BodyCase.LOCK_SCREEN_REQUEST, Envelope.newBuilder().setLockScreenRequest(LockScreenRequest.newBuilder()
                .setRequestId(11).setAppId(APP_ID)
                .addDeclaredTasks(ManifestBackgroundTask.MANIFEST_CONTROL_CHANNEL)
                .addDeclaredTasks(ManifestBackgroundTask.MANIFEST_PUSH_NOTIFICATION)).build());
        samples.put(Envelope.BodyCase.LOCK_SCREEN_CONSENT, Envelope.newBuilder().setLockScreenConsent(LockScreenConsentAnswer.newBuilder()
                .setRequestId(12).setAppId(APP_ID).setConsent(LockScreenConsent.CONSENT_DISMISSED)).build());
        samples.put(Envelope.BodyCase.LOCK_SCREEN_CHANGE, Envelope.newBuilder().setLockScreenChange(LockScreenChange.newBuilder()
                .setRequestId(13).setAppId(APP_ID).setKind(LockScreenChangeKind.ADDED_BY_USER)
                .addDeclaredTasks(ManifestBackgroundTask.MANIFEST_TIMER)).build());
        samples.put(Envelope.BodyCase.LOCK_SCREEN_STATUS, Envelope.newBuilder().setLockScreenStatus(LockScreenStatus.newBuilder()
                .setRequestId(11).setAppId(APP_ID).setStatus(BackgroundAccessStatus.ALLOWED_WITH_ALWAYS_ON_REAL_TIME_CONNECTIVITY)
                .setShowConsentPrompt(true).setRejection("none")).build());
        samples.put(Envelope.BodyCase.CONTROL_CHANNEL_REQUEST, Envelope.newBuilder().setControlChannelRequest(ControlChannelRequest.newBuilder()
                .setRequestId(14).setAppId(APP_ID).setChannelId("voip-1").setServerKeepAliveMinutes(15)
                .setResourceType(ControlChannelResourceType.REQUEST_HARDWARE_SLOT).setOperation(ControlChannelOperation.CREATE)).build());
        samples.put(Envelope.BodyCase.CONTROL_CHANNEL_STATUS, Envelope.newBuilder().setControlChannelStatus(ControlChannelStatus.newBuilder()
                .setRequestId(14).setAppId(APP_ID).setChannelId("voip-1").setStatus(ControlChannelTriggerStatus.HARDWARE_SLOT_ALLOCATED)
                .setClosed(true).setRejection("none").setControlChannelUri("https://node-1.example/cc/AwYAAAB")).build());
        samples.put(Envelope.BodyCase.POWER_REPORT, Envelope.newBuilder().setPowerReport(PowerReport.newBuilder()
                .setPowerState(PowerState.CONNECTED_STANDBY).setPowerSource(PowerSource.BATTERY).setBatterySaver(true)).build());
        samples.put(Envelope.BodyCase.APP_STATE_REPORT, Envelope.newBuilder().setAppStateReport(AppStateReport.newBuilder()
                .setAppId(APP_ID).setState(AppExecutionState.SUSPENDED)).build());
        samples.put(Envelope.BodyCase.TRIGGER_REGISTRATION, Envelope.newBuilder().setTriggerRegistration(TriggerRegistration.newBuilder()
                .setRequestId(15).setAppId(APP_ID).setTrigger(TriggerKind.TIME_TRIGGER).setFreshnessMinutes(15).setUnregister(true)).build());
        samples.put(Envelope.BodyCase.TRIGGER_REGISTRATION_STATUS, Envelope.newBuilder().setTriggerRegistrationStatus(TriggerRegistrationStatus.newBuilder()
                .setRequestId(15).setAppId(APP_ID).setAccepted(true).setRejection("none")).build());
        samples.put(Envelope.BodyCase.BACKGROUND_TASK_REQUEST, Envelope.newBuilder().setBackgroundTaskRequest(BackgroundTaskRequest.newBuilder()
                .setRequestId(16).setAppId(APP_ID).setTrigger(TriggerKind.MAINTENANCE_TRIGGER)).build());
        samples.put(Envelope.BodyCase.BACKGROUND_TASK_ANSWER, Envelope.newBuilder().setBackgroundTaskAnswer(BackgroundTaskAnswer.newBuilder()
                .setRequestId(16).setAppId(APP_ID).setVerdict(BackgroundTaskVerdict.QUOTA_EXHAUSTED)
                .setRefillAtMillis(1_700_000_900_000L).setReason("cpu")).build());
        samples.put(Envelope.BodyCase.BACKGROUND_TASK_REPORT, Envelope.newBuilder().setBackgroundTaskReport(BackgroundTaskReport.newBuilder()
                .setAppId(APP_ID).setTrigger(TriggerKind.PUSH_NOTIFICATION_TRIGGER).setCpuMillis(250).setNetworkBytes(-1L)).build());
        samples.put(Envelope.BodyCase.SYSTEM_TRIGGER, Envelope.newBuilder().setSystemTrigger(SystemTrigger.newBuilder()
                .setAppId(APP_ID).setTrigger(SystemTriggerType.CONTROL_CHANNEL_RESET).setResetReason(ControlChannelResetReason.LOW_POWER_EXIT)
                .setHardwareSlotReset(true).setSoftwareSlotReset(true)).build());
        samples.put(Envelope.BodyCase.CONTROL_CHANNEL_RESET, Envelope.newBuilder().setControlChannelReset(ControlChannelResetReport.newBuilder()
                .setReason(ControlChannelResetReason.QUIET_HOURS_EXIT)).build());
        // 30-39: channel close, Web Push
        samples.put(Envelope.BodyCase.CHANNEL_CLOSE, Envelope.newBuilder().setChannelClose(ChannelClose.newBuilder()
                .setRequestId(8)
                .setAppId(APP_ID)
                .setChannelId("ch-9b1d")).build());
        samples.put(Envelope.BodyCase.CHANNEL_CLOSED, Envelope.newBuilder().setChannelClosed(ChannelClosed.newBuilder()
                .setRequestId(8)
                .setAppId(APP_ID)
                .addClosedChannelIds("ch-9b1d").addClosedChannelIds("ch-0a0a")).build());
        samples.put(Envelope.BodyCase.WEB_PUSH_SUBSCRIBE, Envelope.newBuilder().setWebPushSubscribe(WebPushSubscribe.newBuilder()
                .setRequestId(9)
                .setAppId(APP_ID)
                .setApplicationServerKey(ByteString.copyFrom(bytes(65, 0x04)))).build());
        samples.put(Envelope.BodyCase.WEB_PUSH_SUBSCRIPTION, Envelope.newBuilder().setWebPushSubscription(
                WebPushSubscription.newBuilder()
                        .setRequestId(9)
                        .setAppId(APP_ID)
                        .setEndpoint("https://node-1.example/wp/AQx3")
                        .setExpiresAtMillis(1_702_592_000_000L)
                        .setSubscriptionId("sub-5e2f")).build());
        samples.put(Envelope.BodyCase.WEB_PUSH_UNSUBSCRIBE, Envelope.newBuilder().setWebPushUnsubscribe(
                WebPushUnsubscribe.newBuilder().setSubscriptionId("sub-5e2f")).build());
        samples.put(Envelope.BodyCase.WEB_PUSH_NOTIFICATION, Envelope.newBuilder().setWebPushNotification(
                WebPushNotification.newBuilder()
                        .setDeliveryId(-2L)
                        .setAppId(APP_ID)
                        .setSubscriptionId("sub-5e2f")
                        .setPayload(ByteString.copyFrom(bytes(4096, 0x30)))
                        .setContentEncoding("aes128gcm")
                        .setMessageId("3FA11A2B4C5D6E80")
                        .setSentAtMillis(1_700_000_000_456L)).build());
        // 40-49: control channels
        samples.put(Envelope.BodyCase.CONTROL_ACK, Envelope.newBuilder().setControlAck(ControlAck.newBuilder()
                .setAppId(APP_ID).setChannelId("voip-1").setUpToSequence(-1L)).build());
        samples.put(Envelope.BodyCase.CONTROL_KEEP_ALIVE, Envelope.newBuilder().setControlKeepAlive(ControlKeepAlive.newBuilder()
                .setAppId(APP_ID).setChannelId("voip-1")).build());
        samples.put(Envelope.BodyCase.CONTROL_UPSTREAM, Envelope.newBuilder().setControlUpstream(ControlUpstream.newBuilder()
                .setAppId(APP_ID).setChannelId("voip-1").setUpstreamId(-1L).setPayload(ByteString.copyFrom(bytes(64, 0x20)))).build());
        // 50-54: Web Push acknowledgements
        samples.put(Envelope.BodyCase.WEB_PUSH_ACK, Envelope.newBuilder().setWebPushAck(WebPushAck.newBuilder()
                .addMessages(WebPushMessageRef.newBuilder().setSubscriptionId("sub-5e2f").setMessageId("3FA11A2B4C5D6E80"))
                .addMessages(WebPushMessageRef.newBuilder().setSubscriptionId("sub-77aa").setMessageId("3FA11A2B4C5D6E81")))
                .build());
        return samples;
    }

    /** {@code length} bytes counting up from {@code first}, wrapping at 256. */
    static byte[] bytes(int length, int first) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (first + i);
        }
        return out;
    }
}
