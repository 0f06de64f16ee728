package io.wakeline.broker.gateway.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.policy.DeviceNotification;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry tells a live link to attach again when the entity it is attached to stops, and only then. */
class LinkRegistryWatchTest {
    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("link-registry-watch");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** Counts entityStopped calls. */
    private static final class CountingLink implements LinkEndpoint {
        final AtomicInteger stopped = new AtomicInteger();

        @Override
        public void deliver(LinkRegistry.Deliver delivery) {
        }

        @Override
        public void notify(DeviceNotification notification) {
        }

        @Override
        public void deliverWebPush(LinkRegistry.DeliverWebPush delivery) {
        }

        @Override
        public void replaced() {
        }

        @Override
        public void entityStopped() {
            stopped.incrementAndGet();
        }
    }

    private static ActorRef<DeviceEntity.Command> entity() {
        return testKit.spawn(Behaviors.receiveMessage(m -> Behaviors.same()));
    }

    private static void awaitCount(AtomicInteger counter, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (counter.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, counter.get());
    }

    /**
     * Whatever the registry had to tell links when {@code alreadyStopped} stopped it has told them: a marker entity,
     * watched afterwards, is stopped, and the registry handles that after everything before it.
     */
    private static void afterTheRegistryCaughtUp(ActorRef<LinkRegistry.Command> registry, LinkTable links)
            throws InterruptedException {
        CountingLink marker = new CountingLink();
        long markerLink = 1_000 + links.size();
        links.put(markerLink, marker);
        ActorRef<DeviceEntity.Command> markerEntity = entity();
        registry.tell(new LinkRegistry.WatchEntity(markerLink, markerEntity));
        testKit.stop(markerEntity);
        awaitCount(marker.stopped, 1);
    }

    @Test
    void aStoppedEntityMakesItsLinksAttachAgain() throws InterruptedException {
        LinkTable links = new LinkTable();
        ActorRef<LinkRegistry.Command> registry = testKit.spawn(LinkRegistry.create(links));
        CountingLink first = new CountingLink();
        CountingLink second = new CountingLink();
        CountingLink other = new CountingLink();
        links.put(1, first);
        links.put(2, second);
        links.put(3, other);
        ActorRef<DeviceEntity.Command> entity = entity();
        ActorRef<DeviceEntity.Command> otherEntity = entity();
        registry.tell(new LinkRegistry.WatchEntity(1, entity));
        registry.tell(new LinkRegistry.WatchEntity(2, entity)); // a replaced link lingering
        registry.tell(new LinkRegistry.WatchEntity(3, otherEntity));

        testKit.stop(entity);

        awaitCount(first.stopped, 1);
        awaitCount(second.stopped, 1);
        afterTheRegistryCaughtUp(registry, links);
        assertEquals(1, first.stopped.get(), "told once");
        assertEquals(1, second.stopped.get(), "told once");
        assertEquals(0, other.stopped.get(), "another entity's link is left alone");
    }

    @Test
    void aClosedOrReattachedLinkIsNoLongerToldAboutItsOldEntity() throws InterruptedException {
        LinkTable links = new LinkTable();
        ActorRef<LinkRegistry.Command> registry = testKit.spawn(LinkRegistry.create(links));
        CountingLink closed = new CountingLink();
        CountingLink moved = new CountingLink();
        links.put(1, closed);
        links.put(2, moved);
        ActorRef<DeviceEntity.Command> oldEntity = entity();
        ActorRef<DeviceEntity.Command> newEntity = entity();
        registry.tell(new LinkRegistry.WatchEntity(1, oldEntity));
        registry.tell(new LinkRegistry.WatchEntity(2, oldEntity));
        registry.tell(new LinkRegistry.UnwatchEntity(1));
        registry.tell(new LinkRegistry.WatchEntity(2, newEntity)); // attached again elsewhere

        testKit.stop(oldEntity);
        afterTheRegistryCaughtUp(registry, links);
        assertEquals(0, closed.stopped.get());
        assertEquals(0, moved.stopped.get());

        testKit.stop(newEntity);
        awaitCount(moved.stopped, 1);
        afterTheRegistryCaughtUp(registry, links);
        assertEquals(1, moved.stopped.get(), "told once");
    }
}
