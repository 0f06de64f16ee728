package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.ManualClock;
import io.wakeline.broker.app.events.AppEventPublisher;
import io.wakeline.broker.app.events.InMemoryAppEventPublisher;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.DeviceEntity.Command;
import io.wakeline.broker.device.DeviceEntity.Event;
import io.wakeline.broker.device.DeviceEntity.State;
import io.wakeline.broker.device.link.DeviceLinks;
import io.wakeline.broker.device.link.LinkAddress;
import io.wakeline.broker.device.link.LinkMessage;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.shell.DeviceEntitySettings;
import io.wakeline.broker.device.shell.DeviceEntityShell;
import io.wakeline.broker.device.shell.DeviceServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One device entity under test, the same way in every DeviceEntity*Test: on the persistence test kit, with a manual
 * clock for every time it reads and Akka's {@link ManualTime} for its timers (tests move time, they never sleep), an
 * in-memory app event log, and links whose messages land in a queue per link.
 *
 * <p>"Nothing more arrives" is checked by {@link #expectNothingMore}: the entity first answers a few queries (so
 * everything it had queued for itself has run, and with it every send those caused), then the link's queue must be
 * empty. No timer can fire meanwhile (time only moves when a test moves it), so a late message cannot slip by.
 */
final class DeviceEntityFixture {
    /** Where the clock starts: a whole minute, so budget periods (aligned to the clock) start with it. */
    static final long START = 1_800_000_000_000L - 1_800_000_000_000L % 60_000;
    static final Config CONFIG = ConfigFactory.parseString(
                    "akka.actor.serialization-bindings { \"io.wakeline.broker.CborSerializable\" = jackson-cbor }")
            .withFallback(EventSourcedBehaviorTestKit.config());

    final ActorTestKit testKit;
    final ManualClock clock = new ManualClock(START);
    /** What reached each link, by link id, in order. */
    private final Map<Long, BlockingQueue<Sent>> linkTraffic = new ConcurrentHashMap<>();
    final InMemoryAppEventPublisher appEvents = new InMemoryAppEventPublisher(1000);
    final TestProbe<ClusterSharding.ShardCommand> shard;
    final EventSourcedBehaviorTestKit<Command, Event, State> entity;

    /** A test kit whose timers only fire when a test moves time ({@link #advance}). */
    static ActorTestKit manualTimeTestKit() {
        return ActorTestKit.create(ManualTime.config().withFallback(CONFIG));
    }

    DeviceEntityFixture(ActorTestKit testKit, String deviceId, DeviceEntitySettings settings) {
        this.testKit = testKit;
        this.shard = testKit.createTestProbe();
        this.entity = EventSourcedBehaviorTestKit.create(testKit.system(),
                DeviceEntityShell.create(deviceId, shard.ref(), settings, services(clock, appEvents, this::receive)));
        entity.clear();
    }

    private void receive(LinkAddress address, LinkMessage message) {
        linkTraffic.computeIfAbsent(address.linkId(), id -> new LinkedBlockingQueue<>()).add(new Sent(address.linkId(), message));
    }

    /** URIs under https://broker.test; a Web Push endpoint ends with its key's length. */
    static final PushEndpoints ENDPOINTS = new PushEndpoints() {
        @Override
        public String channelUri(ChannelToken token) {
            return "https://broker.test/w/" + token.channelId();
        }

        @Override
        public String webPushEndpoint(WebPushSubscriptionToken token) {
            return "https://broker.test/wp/" + token.subscriptionId() + "/" + token.applicationServerKey().length;
        }

        @Override
        public String controlChannelUri(ControlChannelToken token) {
            return "https://broker.test/cc/" + token.controlChannelId();
        }
    };

    /** The entity's services: {@link #ENDPOINTS}, {@code links}, {@code clock}. */
    static DeviceServices services(ManualClock clock, AppEventPublisher appEvents, DeviceLinks links) {
        return new DeviceServices(ENDPOINTS, appEvents, links, clock);
    }

    long now() {
        return clock.millis();
    }

    /** Moves the entity's clock and its timers on. */
    void advance(Duration by) {
        clock.advance(by);
        ManualTime.get(testKit.system()).timePasses(by);
    }

    /** A link of the device (its address names a probe of its own), attached to nothing yet. */
    Link link(long linkId) {
        TestProbe<Object> registry = testKit.createTestProbe();
        return new Link(new LinkAddress(registry.ref(), linkId),
                linkTraffic.computeIfAbsent(linkId, id -> new LinkedBlockingQueue<>()));
    }

    /** Attaches the link with the entity, as its session does after the handshake (at the clock's now). */
    DeviceEntity.Attached attach(Link link, DeviceCapabilities capabilities) {
        return attach(link, capabilities, now());
    }

    DeviceEntity.Attached attach(Link link, DeviceCapabilities capabilities, long askedAtMillis) {
        return entity.<DeviceEntity.Attached>runCommand(replyTo ->
                new DeviceEntity.Attach(link.address(), capabilities, askedAtMillis, replyTo)).reply();
    }

    /** Waits until the entity has run what it had queued for itself (a few rounds deep): its sends are out. */
    void settle() {
        for (int round = 0; round < 5; round++) {
            entity.<DeviceEntity.DeviceView>runCommand(DeviceEntity.GetDevice::new);
        }
    }

    /** Nothing more reaches the link: see the class comment. */
    void expectNothingMore(Link link) {
        settle();
        assertEquals(List.of(), link.drain(), "nothing more on link " + link.address().linkId());
    }

    /** No control message more reaches the link (system triggers may). */
    void expectNoMoreControl(Link link) {
        settle();
        assertEquals(List.of(), link.drain().stream().filter(s -> s.message() instanceof LinkMessage.DeliverControl).toList(),
                "no more control messages on link " + link.address().linkId());
    }

    /** What reached a link: the message, and the link it was addressed to. */
    record Sent(long linkId, LinkMessage message) {
    }

    /** A link's address, and what reached it in order. */
    record Link(LinkAddress address, BlockingQueue<Sent> traffic) {

        /** The next message on the link (waiting for one a timer sends), which must be a {@code type}. */
        <T extends LinkMessage> T expect(Class<T> type) {
            return assertInstanceOf(type, next().message());
        }

        Sent next() {
            try {
                Sent sent = traffic.poll(5, TimeUnit.SECONDS);
                assertNotNull(sent, "nothing reached link " + address.linkId());
                return sent;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The next {@code n} control messages on the link, skipping anything else (system triggers). */
        List<LinkMessage.DeliverControl> control(int n) {
            List<LinkMessage.DeliverControl> out = new ArrayList<>();
            while (out.size() < n) {
                if (next().message() instanceof LinkMessage.DeliverControl d) {
                    out.add(d);
                }
            }
            return out;
        }

        /** Everything that reached the link and was not taken yet. */
        List<Sent> drain() {
            List<Sent> all = new ArrayList<>();
            traffic.drainTo(all);
            return all;
        }
    }
}
