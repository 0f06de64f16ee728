package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.wakeline.broker.TestClusters;
import io.wakeline.broker.TestDatabase;
import io.wakeline.broker.node.PersistenceBackend;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A journal written by an older build recovers unchanged: the rows {@link JournalFixtureWriter} recorded with main at
 * 56eff2d (events of every kind, the single and the grouped control-event forms, snapshots) are loaded into a fresh
 * journal on each backend, and the device entities recovered from them show what that build showed: the same state,
 * {@code GetDevice} view, inspector answer, control-message statuses, re-published receipts and push outcomes.
 */
class OldJournalRecoveryTest {
    private static final JsonNode FIXTURE = JournalFixture.read(JournalFixtureWriter.FIXTURE);

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(PersistenceBackend.class)
    void aJournalWrittenByTheOlderBuildRecoversToWhatThatBuildShowed(PersistenceBackend backend) throws Exception {
        TestDatabase.require(backend);
        JsonNode expected = FIXTURE.get("expected");
        assertTrue(FIXTURE.get("snapshots").size() > 0 && FIXTURE.get("events").size() > 50, "a rich fixture");
        try (TestDatabase database = TestDatabase.create(backend, "old-journal")) {
            Config config = TestClusters.journaledConfig(dataDir, database, "akka.actor.serialize-messages = off");
            JournalFixture.loadRows(config, JournalFixture.list(FIXTURE.get("events"), JournalFixture.EventRow.class),
                    JournalFixture.list(FIXTURE.get("snapshots"), JournalFixture.SnapshotRow.class));
            ActorTestKit testKit = TestClusters.startJoined("old-journal-" + backend.configName(), config);
            try {
                ObjectNode receipts = JournalFixture.JSON.createObjectNode();
                expected.fields().forEachRemaining(e -> receipts.put(e.getKey(), e.getValue().get("receiptsPublishedAgain").size()));
                ObjectNode observed = RecoveredDevices.observe(testKit, FIXTURE.get("scenario"), receipts,
                        System.currentTimeMillis());
                for (Iterator<Map.Entry<String, JsonNode>> devices = expected.fields(); devices.hasNext(); ) {
                    Map.Entry<String, JsonNode> device = devices.next();
                    for (Iterator<Map.Entry<String, JsonNode>> shown = device.getValue().fields(); shown.hasNext(); ) {
                        Map.Entry<String, JsonNode> what = shown.next();
                        assertEquals(what.getValue(), observed.get(device.getKey()).get(what.getKey()),
                                device.getKey() + ": " + what.getKey());
                    }
                }
            } finally {
                testKit.shutdownTestKit();
            }
        }
    }
}
