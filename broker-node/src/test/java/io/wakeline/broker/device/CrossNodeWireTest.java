package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rolling upgrade: every message that crosses nodes between a device entity, the gateways and the link registries, as
 * main at 56eff2d serialized it ({@link WireFixtureWriter}), is read by this build and written back in the same form
 * (same serializer, same manifest, the same fields and values). So an older node reads what this one sends and the
 * other way round, whichever side of the upgrade the entity, the route and the link are on.
 */
class CrossNodeWireTest {
    private static final JsonNode FIXTURE = JournalFixture.read(WireFixtureWriter.FIXTURE);
    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create(WireFixtureWriter.SYSTEM, WireFixtureWriter.CONFIG);
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void everyCrossNodeMessageOfTheOlderBuildIsReadAndWrittenBackInTheSameForm() {
        List<JournalFixture.WireMessage> samples = JournalFixture.list(FIXTURE.get("wire"), JournalFixture.WireMessage.class);
        assertTrue(samples.size() > 60, "a sample of every message");
        for (JournalFixture.WireMessage old : samples) {
            Object read = JournalFixture.deserialize(testKit.system(), old.serId(), old.manifest(), old.payload());
            JournalFixture.WireMessage again = JournalFixture.serialize(testKit.system(), old.name(), read);
            assertEquals(old.serId(), again.serId(), old.name());
            assertEquals(old.manifest(), again.manifest(), old.name());
            assertEquals(JournalFixture.tree(Base64.getDecoder().decode(old.payload())),
                    JournalFixture.tree(Base64.getDecoder().decode(again.payload())), old.name());
        }
    }
}
