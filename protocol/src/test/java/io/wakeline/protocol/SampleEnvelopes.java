package io.wakeline.protocol;

import com.google.protobuf.ByteString;
import io.wakeline.protocol.v1.Ack;
import io.wakeline.protocol.v1.Authenticate;
import io.wakeline.protocol.v1.Challenge;
import io.wakeline.protocol.v1.ChannelClose;
import io.wakeline.protocol.v1.ChannelClosed;
import io.wakeline.protocol.v1.ChannelIssued;
import io.wakeline.protocol.v1.ChannelRequest;
import io.wakeline.protocol.v1.DeviceCapabilities;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.Error;
import io.wakeline.protocol.v1.ErrorCode;
import io.wakeline.protocol.v1.GoAway;
import io.wakeline.protocol.v1.GoAwayReason;
import io.wakeline.protocol.v1.Hello;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.Ping;
import io.wakeline.protocol.v1.Pong;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.ReportedPowerSource;
import io.wakeline.protocol.v1.ReportedPowerState;
import io.wakeline.protocol.v1.Upstream;
import io.wakeline.protocol.v1.WebPushNotification;
import io.wakeline.protocol.v1.WebPushSubscribe;
import io.wakeline.protocol.v1.WebPushSubscription;
import io.wakeline.protocol.v1.WebPushUnsubscribe;
import io.wakeline.protocol.v1.Welcome;
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
                .setSentAtMillis(1_700_000_000_123L)).build());
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
        // 30-39: channel close, power reports, Web Push
        samples.put(Envelope.BodyCase.POWER_REPORT, Envelope.newBuilder().setPowerReport(PowerReport.newBuilder()
                .setState(ReportedPowerState.REPORTED_POWER_CONNECTED_STANDBY)
                .setSource(ReportedPowerSource.REPORTED_POWER_MAINS)
                .setBatterySaver(true)).build());
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
