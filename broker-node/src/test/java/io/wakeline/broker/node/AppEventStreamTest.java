package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.APP_B;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEvent.MessageFate;
import io.wakeline.broker.node.EventStreamClient.Event;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /events} on a real node (HTTPS, H2 journal, every message serialized): what device entities
 * publish through the node's {@link io.wakeline.broker.app.events.AppEventPublisher} reaches the app's
 * stream in order, once, resumable after a reconnect, and only the app's own.
 */
class AppEventStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String[] APPS = {"ms-app://S-1-15-2-5001", "ms-app://S-1-15-2-5002",
        "ms-app://S-1-15-2-5003", "ms-app://S-1-15-2-5004", "ms-app://S-1-15-2-5005"};

    private static Path dataDir;
    private static BrokerNode node;
    private static AppServerClient client;

    @BeforeAll
    static void startNode() throws Exception {
        dataDir = Files.createTempDirectory("wakeline-events");
        StringBuilder apps = new StringBuilder();
        for (String app : APPS) {
            apps.append("wakeline.apps += { package-sid = \"").append(app).append("\", client-secret = \"s-")
                    .append(app.hashCode()).append("\" }\n");
        }
        node = BrokerNode.start(TestNodeConfig.node(dataDir, TestNodeConfig.freePort(), TestNodeConfig.freePort(), 0,
                apps + """
                wakeline.app-events.stream.heartbeat = 300ms
                wakeline.app-events.stream.max-streams-per-app = 2
                """));
        client = new AppServerClient(node.appGatewayUrl(), node.certificatePem());
    }

    @AfterAll
    static void stopNode() throws Exception {
        node.close();
    }

    private static String tokenOf(String app) throws Exception {
        return client.token(app, "s-" + app.hashCode());
    }

    private static AppEvent receipt(String messageId, MessageFate fate) {
        return new AppEvent.MessageReceipt("device-1", "channel-1", messageId, fate, null, 1_700_000_000_000L);
    }

    private static void publish(String app, AppEvent... events) throws Exception {
        node.appEvents().publish(app, List.of(events)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * "Nothing more on this stream": a marker published to {@code app} after everything else must be the stream's next
     * event, with the log's next id {@code markerId}; anything recorded before it, a repeat included, would come first.
     */
    private static void assertNextIsAMarker(String app, EventStreamClient stream, long markerId) throws Exception {
        String marker = "marker-" + markerId;
        publish(app, receipt(marker, MessageFate.ACCEPTED));
        Event next = stream.next(WAIT);
        assertEquals(marker, JSON.readTree(next.data()).get("messageId").asText(), "the marker comes next");
        assertEquals(markerId, next.id());
    }

    private static EventStreamClient open(String app, Optional<Long> lastEventId) throws Exception {
        return EventStreamClient.open(client.http(), node.appGatewayUrl(), tokenOf(app), lastEventId, "");
    }

    @Test
    void publishedEventsAreStreamedInOrderWithSequenceIdsAndDuplicatesRecordedOnce() throws Exception {
        String app = APPS[0];
        publish(app, receipt("m1", MessageFate.ACCEPTED), receipt("m1", MessageFate.DELIVERED));
        publish(app, new AppEvent.UpstreamMessage("device-1", "channel-1", 7, "hi".getBytes(StandardCharsets.UTF_8), 5L),
                receipt("m1", MessageFate.DELIVERED)); // a duplicate of the second
        publish(app, new AppEvent.ChannelStateChanged("device-1", "channel-1", AppEvent.ChannelState.STALE,
                "missed keep-alive", 6L), receipt("m1", MessageFate.ACKED), receipt("m1", MessageFate.ACKED));

        try (EventStreamClient stream = open(app, Optional.empty())) {
            List<Event> events = stream.take(5, WAIT);
            // one log entry per write (each publish here is its own), ids = entry x 1000 + index in the entry
            assertEquals(List.of(1000L, 1001L, 2000L, 3000L, 3001L), events.stream().map(Event::id).toList());
            assertEquals(List.of("receipt", "receipt", "upstream", "channel-state", "receipt"),
                    events.stream().map(Event::type).toList());
            JsonNode accepted = JSON.readTree(events.get(0).data());
            assertEquals("m1", accepted.get("messageId").asText());
            assertEquals("accepted", accepted.get("fate").asText());
            assertEquals("device-1", accepted.get("deviceId").asText());
            assertEquals("channel-1", accepted.get("channelId").asText());
            assertEquals("2023-11-14T22:13:20Z", accepted.get("time").asText());
            JsonNode upstream = JSON.readTree(events.get(2).data());
            assertEquals("hi", new String(Base64.getDecoder().decode(upstream.get("payload").asText()), StandardCharsets.UTF_8));
            assertEquals(7, upstream.get("upstreamId").asLong());
            JsonNode stale = JSON.readTree(events.get(3).data());
            assertEquals("stale", stale.get("state").asText());
            assertEquals("missed keep-alive", stale.get("reason").asText());
            assertEquals("acked", JSON.readTree(events.get(4).data()).get("fate").asText());
            awaitUntil(WAIT, () -> stream.heartbeats() > 0); // an idle stream carries heartbeat comments
            assertNextIsAMarker(app, stream, 4000L); // nothing beyond the five recorded events
        }
    }

    @Test
    void resumingWithLastEventIdGetsExactlyTheEventsAfterItThenTheLiveTail() throws Exception {
        String app = APPS[1];
        for (int i = 1; i <= 10; i++) {
            publish(app, receipt("m" + i, MessageFate.ACCEPTED));
        }
        long lastSeen;
        try (EventStreamClient first = open(app, Optional.empty())) {
            List<Event> firstFour = first.take(4, WAIT);
            assertEquals(List.of(1000L, 2000L, 3000L, 4000L), firstFour.stream().map(Event::id).toList());
            lastSeen = firstFour.get(3).id();
        }
        try (EventStreamClient resumed = open(app, Optional.of(lastSeen))) {
            List<Event> rest = resumed.take(6, WAIT);
            assertEquals(LongStream.rangeClosed(5, 10).map(n -> n * 1000).boxed().toList(),
                    rest.stream().map(Event::id).toList());
            assertEquals("m5", JSON.readTree(rest.get(0).data()).get("messageId").asText());
            // published while connected: the live tail, three events in one entry
            publish(app, receipt("m11", MessageFate.ACCEPTED), receipt("m12", MessageFate.ACCEPTED),
                    receipt("m13", MessageFate.ACCEPTED));
            List<Event> live = resumed.take(3, WAIT);
            assertEquals(List.of(11_000L, 11_001L, 11_002L), live.stream().map(Event::id).toList());
            assertEquals("m11", JSON.readTree(live.get(0).data()).get("messageId").asText());
            assertNextIsAMarker(app, resumed, 12_000L); // no repeats
        }
        try (EventStreamClient byQuery = EventStreamClient.open(client.http(), node.appGatewayUrl(), tokenOf(app),
                Optional.empty(), "?after=9000")) {
            assertEquals(List.of(10_000L, 11_000L), byQuery.take(2, WAIT).stream().map(Event::id).toList());
        }
        // resuming inside an entry: exactly the rest of it
        try (EventStreamClient inside = open(app, Optional.of(11_000L))) {
            List<Event> rest = inside.take(2, WAIT);
            assertEquals(List.of(11_001L, 11_002L), rest.stream().map(Event::id).toList());
            assertEquals("m13", JSON.readTree(rest.get(1).data()).get("messageId").asText());
            // nothing before the position, nothing twice: next is the marker recorded after the live tail
            assertEquals(12_000L, inside.next(WAIT).id());
            assertNextIsAMarker(app, inside, 13_000L);
        }
    }

    @Test
    void streamsNeedTheAppsOwnTokenAndShowNothingOfOtherApps() throws Exception {
        String app = APPS[2];
        publish(app, receipt("secret-of-" + app, MessageFate.ACCEPTED));

        HttpResponse<String> missing = client.http().send(EventStreamClient.request(node.appGatewayUrl(), "", null).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, missing.statusCode());
        assertTrue(missing.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
        HttpResponse<String> forged = client.http().send(
                EventStreamClient.request(node.appGatewayUrl(), "", "not-a-token").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, forged.statusCode());
        HttpResponse<String> badResume = client.http().send(EventStreamClient.request(node.appGatewayUrl(), "?after=x",
                tokenOf(app)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, badResume.statusCode());

        try (EventStreamClient other = EventStreamClient.open(client.http(), node.appGatewayUrl(),
                client.token(APP_B, SECRET_B), Optional.empty(), "")) {
            publish(app, receipt("another-secret", MessageFate.DELIVERED));
            awaitUntil(WAIT, () -> other.heartbeats() > 0);
            // app B's log is empty until its marker: the first thing B sees is its own marker
            assertNextIsAMarker(APP_B, other, 1000L);
        }
    }

    @Test
    void streamsPerAppAreBounded() throws Exception {
        String app = APPS[3];
        try (EventStreamClient one = open(app, Optional.empty()); EventStreamClient two = open(app, Optional.empty())) {
            HttpResponse<String> third = client.http().send(EventStreamClient.request(node.appGatewayUrl(), "",
                    tokenOf(app)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, third.statusCode());
            assertTrue(third.headers().firstValue("retry-after").isPresent());
        }
        // closed streams give their slots back
        awaitUntil(WAIT, () -> {
            try (EventStreamClient again = open(app, Optional.empty())) {
                return true;
            } catch (Throwable refused) {
                return false;
            }
        });
    }

    @Test
    void manyConcurrentPublishesAllCompleteAndAreAllRecordedOnce() throws Exception {
        String app = APPS[4];
        int publishes = 3000;
        List<CompletableFuture<?>> done = new ArrayList<>(publishes);
        for (int i = 0; i < publishes; i++) {
            // each message twice, as a device entity retrying would
            done.add(node.appEvents().publish(app, List.of(receipt("c" + i, MessageFate.ACCEPTED))).toCompletableFuture());
            done.add(node.appEvents().publish(app, List.of(receipt("c" + i, MessageFate.ACCEPTED))).toCompletableFuture());
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        try (EventStreamClient stream = open(app, Optional.empty())) {
            List<Event> events = stream.take(publishes, Duration.ofSeconds(60));
            for (int i = 1; i < events.size(); i++) {
                assertTrue(events.get(i).id() > events.get(i - 1).id(), "ids strictly increase: " + events.get(i).id());
            }
            assertEquals(publishes, events.stream().map(e -> e.data().replaceAll(".*\"messageId\":\"(c\\d+)\".*", "$1"))
                    .distinct().count());
            String marker = "marker-after-" + publishes;
            publish(app, receipt(marker, MessageFate.ACCEPTED));
            Event next = stream.next(WAIT);
            assertEquals(marker, JSON.readTree(next.data()).get("messageId").asText(), "nothing recorded twice before it");
            assertTrue(next.id() > events.get(events.size() - 1).id());
        }
    }

    @Test
    void theNodesOwnAppsUseTheirTokensToo() throws Exception {
        // APP_A, registered by TestNodeConfig, gets a stream like any app
        try (EventStreamClient stream = EventStreamClient.open(client.http(), node.appGatewayUrl(),
                client.token(APP_A, SECRET_A), Optional.empty(), "")) {
            publish(APP_A, receipt("a1", MessageFate.ACCEPTED));
            assertEquals("a1", JSON.readTree(stream.next(WAIT).data()).get("messageId").asText());
        }
    }
}
