package io.wakeline.broker.gateway.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.google.protobuf.ByteString;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.app.AppDirectory;
import io.wakeline.broker.app.events.InMemoryAppEventPublisher;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.PushEndpoints;
import io.wakeline.broker.device.shell.DeviceEntitySettings;
import io.wakeline.broker.device.shell.DeviceEntityShell;
import io.wakeline.broker.device.shell.DeviceServices;
import io.wakeline.protocol.v1.ChannelClose;
import io.wakeline.protocol.v1.ChannelRequest;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.ErrorCode;
import io.wakeline.protocol.v1.GoAwayReason;
import io.wakeline.protocol.v1.Hello;
import io.wakeline.protocol.v1.Ping;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.PowerSource;
import io.wakeline.protocol.v1.PowerState;
import io.wakeline.protocol.v1.WebPushSubscribe;
import io.wakeline.protocol.v1.WebPushUnsubscribe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The device gateway over real TCP, with sharded entities and serialization checks on every message. */
class DeviceGatewayTest {
    private static final byte[] FLEET_SECRET = "fleet-secret-for-tests-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final String APP = "ms-app://S-1-15-2-7";

    private static ActorTestKit testKit;
    private static DeviceGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        testKit = ActorTestKit.create("gateway-test", ConfigFactory.parseString("""
                akka.actor.provider = cluster
                akka.remote.artery.canonical.hostname = 127.0.0.1
                akka.remote.artery.canonical.port = 0
                akka.actor.serialize-messages = on
                akka.actor.serialization-bindings { "io.wakeline.broker.CborSerializable" = jackson-cbor }
                akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
                akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.local"
                akka.persistence.snapshot-store.local.dir = "target/snapshots-gateway-test"
                akka.cluster.sharding.passivation.strategy = none
                akka.loglevel = WARNING
                """).withFallback(ConfigFactory.load()));
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        DeviceEntitySettings entitySettings = DeviceEntitySettings.DEFAULTS.withSnapshotEvery(100);
        DeviceEntityShell.init(testKit.system(), entitySettings, new DeviceServices(new PushEndpoints() {
            @Override
            public String channelUri(ChannelToken token) {
                return "https://test.invalid/w/" + token.channelId();
            }

            @Override
            public String webPushEndpoint(WebPushSubscriptionToken token) {
                return "https://test.invalid/wp/" + token.subscriptionId();
            }
        }, new InMemoryAppEventPublisher(1000), new RegistryLinks(), InstantSource.system()));

        LinkTable links = new LinkTable();
        List<ActorRef<LinkRegistry.Command>> registries = List.of(
                testKit.spawn(LinkRegistry.create(links), "reg-0"), testKit.spawn(LinkRegistry.create(links), "reg-1"));
        DeviceGatewaySettings settings = new DeviceGatewaySettings("127.0.0.1", 0, 16384, Duration.ofMillis(800),
                Duration.ofSeconds(30), Duration.ofSeconds(2), 32 * 1024, 64 * 1024, 2, 2, Duration.ofSeconds(1));
        AppDirectory apps = sid -> CompletableFuture.completedFuture(sid.equals(APP));
        gateway = DeviceGateway.bind(settings, FLEET_SECRET, apps, ClusterSharding.get(testKit.system()),
                Duration.ofSeconds(10), links, registries, InstantSource.system());
        // one full handshake first, with time to spare: the first attach also waits for the shard coordinator and
        // loads the whole attach path, which on a loaded machine took longer than the 800 ms handshake timeout the
        // tests run with
        for (int attempt = 0; attempt < 10; attempt++) {
            try (TestDeviceClient device = new TestDeviceClient(gateway.port())) {
                if (device.handshake("warm-up-" + attempt, FLEET_SECRET).getBodyCase() == Envelope.BodyCase.WELCOME) {
                    break;
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        gateway.shutdown();
        testKit.shutdownTestKit();
    }

    @Test
    void aDeviceWithTheRightCredentialIsWelcomedAndGetsChannels() throws Exception {
        try (TestDeviceClient device = new TestDeviceClient(gateway.port())) {
            Envelope welcome = device.handshake("welcome-1", FLEET_SECRET);
            assertEquals(Envelope.BodyCase.WELCOME, welcome.getBodyCase(), welcome.toString());
            assertEquals(16384, welcome.getWelcome().getMaxFrameBytes());

            device.send(Envelope.newBuilder().setChannelRequest(ChannelRequest.newBuilder().setRequestId(42).setAppId(APP)).build());
            Envelope issued = device.receive().orElseThrow();
            assertEquals(Envelope.BodyCase.CHANNEL_ISSUED, issued.getBodyCase(), issued.toString());
            assertEquals(42, issued.getChannelIssued().getRequestId());
            assertTrue(issued.getChannelIssued().getChannelUri().startsWith("https://test.invalid/w/"));
            assertTrue(issued.getChannelIssued().getExpiresAtMillis() > System.currentTimeMillis() + Duration.ofDays(29).toMillis());
        }
    }

    @Test
    void aChannelForAnUnregisteredAppIsRefusedAndTheLinkStaysUp() throws Exception {
        try (TestDeviceClient device = new TestDeviceClient(gateway.port())) {
            assertEquals(Envelope.BodyCase.WELCOME, device.handshake("unknown-app-1", FLEET_SECRET).getBodyCase());
            device.send(Envelope.newBuilder().setChannelRequest(ChannelRequest.newBuilder().setRequestId(5).setAppId("ms-app://S-1-15-2-999")).build());
            Envelope error = device.receive().orElseThrow();
            assertEquals(ErrorCode.UNKNOWN_APP, error.getError().getCode());
            assertEquals(5, error.getError().getRequestId());
            assertFalse(error.getError().getFatal());
            assertPongFor(device, 77);
        }
    }

    @Test
    void aWrongCredentialIsRefusedAndTheLinkClosed() throws Exception {
        try (TestDeviceClient device = new TestDeviceClient(gateway.port())) {
            Envelope answer = device.handshake("intruder-1", "not-the-fleet-secret".getBytes(StandardCharsets.UTF_8));
            assertEquals(ErrorCode.AUTHENTICATION_FAILED, answer.getError().getCode());
            assertTrue(answer.getError().getFatal());
            assertTrue(device.closedByBroker());
        }
    }

    @Test
    void randomBytesCloseOnlyThatLink() throws Exception {
        try (TestDeviceClient good = new TestDeviceClient(gateway.port());
             TestDeviceClient bad = new TestDeviceClient(gateway.port())) {
            good.handshake("good-1", FLEET_SECRET);
            byte[] garbage = new byte[2000];
            new Random(1234).nextBytes(garbage);
            garbage[0] = 0x10; // a plausible length so the body itself must be rejected, not just the prefix
            bad.sendRaw(garbage);
            assertTrue(bad.closedByBroker());
            assertPongFor(good, 1);
        }
    }

    @Test
    void aHugeLengthPrefixIsFrameTooLargeAndClosesTheLink() throws Exception {
        try (TestDeviceClient good = new TestDeviceClient(gateway.port());
             TestDeviceClient bad = new TestDeviceClient(gateway.port())) {
            good.handshake("good-2", FLEET_SECRET);
            bad.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07});
            Envelope error = bad.receive().orElseThrow();
            assertEquals(ErrorCode.FRAME_TOO_LARGE, error.getError().getCode());
            assertTrue(bad.closedByBroker());
            assertPongFor(good, 2);
        }
    }

    @Test
    void aHalfOpenHandshakeTimesOutWithoutDisturbingOthers() throws Exception {
        try (TestDeviceClient good = new TestDeviceClient(gateway.port());
             TestDeviceClient halfOpen = new TestDeviceClient(gateway.port())) {
            good.handshake("good-3", FLEET_SECRET);
            halfOpen.send(Envelope.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(1).setDeviceId("slow-1")).build());
            assertEquals(Envelope.BodyCase.CHALLENGE, halfOpen.receive().orElseThrow().getBodyCase());
            Envelope error = halfOpen.receive().orElseThrow();
            assertEquals(ErrorCode.HANDSHAKE_TIMEOUT, error.getError().getCode());
            assertTrue(halfOpen.closedByBroker());
            assertPongFor(good, 3);
        }
    }

    @Test
    void aMessageFromANewerProtocolIsAnsweredAndTheLinkStaysUp() throws Exception {
        try (TestDeviceClient device = new TestDeviceClient(gateway.port())) {
            device.handshake("newer-1", FLEET_SECRET);
            // an Envelope whose only field is number 99 (length-delimited, one zero byte): unknown to this broker
            device.sendRaw(new byte[] {0x04, (byte) 0x9A, 0x06, 0x01, 0x00});
            Envelope error = device.receive().orElseThrow();
            assertEquals(ErrorCode.UNKNOWN_MESSAGE, error.getError().getCode());
            assertFalse(error.getError().getFatal());
            assertPongFor(device, 5);
        }
    }

    @Test
    void anUnsupportedVersionIsRefused() throws Exception {
        try (TestDeviceClient device = new TestDeviceClient(gateway.port())) {
            device.send(Envelope.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(0).setDeviceId("old-1")).build());
            assertEquals(ErrorCode.UNSUPPORTED_VERSION, device.receive().orElseThrow().getError().getCode());
            assertTrue(device.closedByBroker());
        }
    }

    @Test
    void aNewerLinkForTheSameDeviceReplacesTheOlderOne() throws Exception {
        try (TestDeviceClient older = new TestDeviceClient(gateway.port());
             TestDeviceClient newer = new TestDeviceClient(gateway.port())) {
            assertEquals(Envelope.BodyCase.WELCOME, older.handshake("twice-1", FLEET_SECRET).getBodyCase());
            assertEquals(Envelope.BodyCase.WELCOME, newer.handshake("twice-1", FLEET_SECRET).getBodyCase());
            Envelope goAway = older.receive().orElseThrow();
            assertEquals(GoAwayReason.REPLACED, goAway.getGoAway().getReason());
            assertTrue(older.closedByBroker());
            assertPongFor(newer, 4);
        }
    }

    @Test
    void aSilentLinkIsToldToGoAwayAfterTheIdleTimeout() throws Exception {
        try (TestDeviceClient device = new TestDeviceClient(gateway.port())) {
            device.handshake("silent-1", FLEET_SECRET);
            Envelope goAway = device.receive().orElseThrow();
            assertEquals(GoAwayReason.IDLE, goAway.getGoAway().getReason());
            assertTrue(device.closedByBroker());
        }
    }

    @Test
    void powerReportsChannelCloseAndWebPushSubscriptionsAreAnsweredOnTheLink() throws Exception {
        try (TestDeviceClient device = new TestDeviceClient(gateway.port())) {
            device.handshake("extensions-1", FLEET_SECRET);
            device.send(Envelope.newBuilder().setPowerReport(PowerReport.newBuilder()
                    .setPowerState(PowerState.CONNECTED_STANDBY)
                    .setPowerSource(PowerSource.BATTERY)).build());
            device.send(Envelope.newBuilder().setChannelRequest(ChannelRequest.newBuilder().setRequestId(1).setAppId(APP)).build());
            String channelId = device.receive().orElseThrow().getChannelIssued().getChannelId();

            device.send(Envelope.newBuilder().setChannelClose(ChannelClose.newBuilder()
                    .setRequestId(2).setAppId(APP).setChannelId(channelId)).build());
            Envelope closed = device.receive().orElseThrow();
            assertEquals(Envelope.BodyCase.CHANNEL_CLOSED, closed.getBodyCase(), closed.toString());
            assertEquals(2, closed.getChannelClosed().getRequestId());
            assertEquals(List.of(channelId), closed.getChannelClosed().getClosedChannelIdsList());

            device.send(Envelope.newBuilder().setWebPushSubscribe(WebPushSubscribe.newBuilder()
                    .setRequestId(3).setAppId("web-app")).build());
            Envelope subscription = device.receive().orElseThrow();
            assertEquals(Envelope.BodyCase.WEB_PUSH_SUBSCRIPTION, subscription.getBodyCase(), subscription.toString());
            assertEquals(3, subscription.getWebPushSubscription().getRequestId());
            assertEquals("https://test.invalid/wp/" + subscription.getWebPushSubscription().getSubscriptionId(),
                    subscription.getWebPushSubscription().getEndpoint());

            device.send(Envelope.newBuilder().setWebPushSubscribe(WebPushSubscribe.newBuilder()
                    .setRequestId(4).setAppId("web-app").setApplicationServerKey(ByteString.copyFrom(new byte[64]))).build());
            Envelope refused = device.receive().orElseThrow();
            assertEquals(ErrorCode.INVALID_REQUEST, refused.getError().getCode());
            assertEquals(4, refused.getError().getRequestId());
            assertFalse(refused.getError().getFatal());
            device.send(Envelope.newBuilder().setWebPushUnsubscribe(WebPushUnsubscribe.newBuilder()
                    .setSubscriptionId(subscription.getWebPushSubscription().getSubscriptionId())).build());
            assertPongFor(device, 78);
        }
    }

    private static void assertPongFor(TestDeviceClient device, long nonce) throws Exception {
        device.send(Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build());
        Envelope pong = device.receive().orElseThrow();
        assertEquals(Envelope.BodyCase.PONG, pong.getBodyCase(), pong.toString());
        assertEquals(nonce, pong.getPong().getNonce());
    }
}
