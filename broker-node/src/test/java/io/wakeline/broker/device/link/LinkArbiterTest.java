package io.wakeline.broker.device.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class LinkArbiterTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final LinkAddress FIRST = new LinkAddress(testKit.createTestProbe().ref(), 1);
    private static final LinkAddress SECOND = new LinkAddress(testKit.createTestProbe().ref(), 2);
    private final LinkArbiter arbiter = new LinkArbiter();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void theFirstLinkIsTakenWithNothingToReplace() {
        assertEquals(new LinkArbiter.Decision.Take(Optional.empty()), arbiter.attach(FIRST, 100));
        assertEquals(Optional.of(FIRST), arbiter.current());
        assertTrue(arbiter.isUp());
    }

    @Test
    void aNewerLinkReplacesTheOneBefore() {
        arbiter.attach(FIRST, 100);
        assertEquals(new LinkArbiter.Decision.Take(Optional.of(FIRST)), arbiter.attach(SECOND, 200));
        assertEquals(Optional.of(SECOND), arbiter.current());
    }

    @Test
    void anAttachOlderThanTheCurrentLinksIsStaleAndChangesNothing() {
        arbiter.attach(SECOND, 200);
        assertEquals(new LinkArbiter.Decision.Stale(SECOND), arbiter.attach(FIRST, 100));
        assertEquals(Optional.of(SECOND), arbiter.current());
    }

    @Test
    void theSameLinkAttachingAgainReplacesNothing() {
        arbiter.attach(FIRST, 100);
        assertEquals(new LinkArbiter.Decision.Take(Optional.empty()), arbiter.attach(FIRST, 50), "a re-attach of the link");
    }

    @Test
    void onlyTheCurrentLinksDetachTakesTheDeviceDown() {
        arbiter.attach(FIRST, 100);
        arbiter.attach(SECOND, 200);
        assertFalse(arbiter.detach(FIRST), "the replaced link closing");
        assertTrue(arbiter.isUp());
        assertTrue(arbiter.detach(SECOND));
        assertFalse(arbiter.isUp());
        assertEquals(Optional.empty(), arbiter.current());
    }
}
