package io.wakeline.loadtest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code --scenario control}: guaranteed control messages ({@code POST /cc/<token>}) at a fixed open-loop rate,
 * each with a unique {@code X-Wakeline-Message-Id}, while the app's {@code GET /events} stream is read at the
 * same time for their receipts. Reports accepted / delivered / acked counts and rates and latency percentiles
 * from each message's intended send time (no coordinated omission, as in {@link LoadTest}).
 */
public final class ControlLoadTest {
    static final String EVENTS_PATH = "/events";
    static final String MESSAGE_ID_HEADER = "X-Wakeline-Message-Id";
    static final String TTL_HEADER = "X-Wakeline-TTL";

    private static final double NANOS_PER_SECOND = 1_000_000_000.0;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the control scenario counts per interval of its {@link Timeline}. */
    public enum Count {
        SENT("sent"), ACCEPTED("accepted (2xx)"), REFUSED("refused (non-2xx)"), TRANSPORT_ERROR("transport errors"),
        DELIVERED("delivered"), ACKED("acked"), EXPIRED("expired"), REJECTED("rejected"),
        SKIPPED("skipped (in-flight bound)");

        private final String label;

        Count(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** From a message's intended send time to its 2xx answer, its DELIVERED receipt and its ACKED receipt. */
    public enum Timing { ACCEPT, DELIVER, ACK }

    /** A timeline for {@link #run(LoadTestConfig, Timeline)}: samples every {@code interval}, each handed to {@code onSample}. */
    public static Timeline<Count, Timing> newTimeline(Duration interval, Consumer<Timeline.Sample> onSample) {
        return new Timeline<>(Count.class, Timing.class, interval, onSample);
    }

    private final LoadTestConfig config;
    private final List<DeviceChannel> channels;
    private final RunClients clients;
    private final AccessTokenSource tokens;
    private final RunSettings settings;
    private final Semaphore inFlight;
    private final Timeline<Count, Timing> timeline;
    private final ControlTally tally;
    private final String runNonce = Long.toHexString(ThreadLocalRandom.current().nextLong());

    private ControlLoadTest(LoadTestConfig config, List<DeviceChannel> channels, RunClients clients,
                            AccessTokenSource tokens, RunSettings settings, Timeline<Count, Timing> timeline) {
        this.config = config;
        this.timeline = timeline;
        this.tally = new ControlTally(timeline);
        this.channels = channels;
        this.clients = clients;
        this.tokens = tokens;
        this.settings = settings;
        this.inFlight = new Semaphore(config.maxInFlight());
    }

    public static ControlReport run(LoadTestConfig config) throws LoadTestAbortedException, InterruptedException {
        return run(config, newTimeline(Duration.ofSeconds(1), sample -> { }));
    }

    /** {@link #run(LoadTestConfig)}, recording per interval into {@code timeline}; its samples are complete on return. */
    public static ControlReport run(LoadTestConfig config, Timeline<Count, Timing> timeline)
            throws LoadTestAbortedException, InterruptedException {
        List<DeviceChannel> channels;
        try {
            channels = ChannelFile.readControl(config.channelsFile(), config.appId());
        } catch (IOException e) {
            throw new LoadTestAbortedException("cannot read channel file: " + e.getMessage(), e);
        }
        if (channels.isEmpty()) {
            throw new LoadTestAbortedException("no control channels (\"kind\":\"control\") in " + config.channelsFile()
                    + config.appId().map(id -> " for app " + id).orElse(""));
        }
        Set<String> apps = channels.stream().map(DeviceChannel::appId).collect(Collectors.toCollection(TreeSet::new));
        if (config.appId().isEmpty() && apps.size() != 1) {
            throw new LoadTestAbortedException("channel file holds control channels of " + apps.size() + " apps "
                    + apps + "; choose one with --app-id");
        }
        String appId = config.appId().orElse(apps.iterator().next());
        URI origin = origin(channels.get(0).channelUri());
        URI tokenUri = config.tokenUri().orElse(origin.resolve(LoadTest.TOKEN_PATH));
        try (RunClients clients = RunClients.open(config)) {
            AccessTokenSource tokens = new AccessTokenSource(clients.tokenClient(), tokenUri, appId,
                    config.clientSecret(), config.requestTimeout());
            try {
                tokens.current().get(config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new LoadTestAbortedException("no access token: " + e.getMessage(), e);
            }
            RunSettings settings = RunSettings.of(config, channels.size(), appId, tokenUri);
            return new ControlLoadTest(config, channels, clients, tokens, settings, timeline)
                    .execute(origin.resolve(EVENTS_PATH));
        }
    }

    static URI origin(URI uri) {
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + "/");
    }

    private ControlReport execute(URI eventsUri) throws InterruptedException, LoadTestAbortedException {
        // the stream gets a client of its own: its one long response must not share a connection's streams
        try (EventStreamReader reader = new EventStreamReader(clients.newJdkClient(), eventsUri, tokens,
                this::onStreamEvent)) {
            reader.start();
            if (!reader.awaitConnected(config.requestTimeout())) {
                throw new LoadTestAbortedException("event stream " + eventsUri + " did not open within "
                        + config.requestTimeout());
            }
            long warmupNanos = config.warmup().toNanos();
            long runNanos = warmupNanos + config.duration().toNanos();
            long startNanos = System.nanoTime();
            long startEpochNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
            timeline.start(startNanos, config.warmup(), () -> config.maxInFlight() - inFlight.availablePermits());
            try {
                return execute(reader, startNanos, startEpochNanos, warmupNanos, runNanos);
            } finally {
                timeline.stop();
            }
        }
    }

    private ControlReport execute(EventStreamReader reader, long startNanos, long startEpochNanos, long warmupNanos,
                                  long runNanos) throws InterruptedException {
        for (long sequence = 0; ; sequence++) {
            long dueOffset = (long) (sequence * NANOS_PER_SECOND / config.ratePerSecond());
            if (dueOffset >= runNanos) {
                break;
            }
            parkUntil(startNanos + dueOffset);
            dispatch(sequence, startNanos + dueOffset, startEpochNanos + dueOffset, dueOffset >= warmupNanos);
        }
        parkUntil(startNanos + runNanos);
        long measuredStart = startNanos + warmupNanos;
        double measuredSeconds = (System.nanoTime() - measuredStart) / NANOS_PER_SECOND;
        long drainDeadline = System.nanoTime() + config.drainTimeout().toNanos();
        if (inFlight.tryAcquire(config.maxInFlight(), config.drainTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
            inFlight.release(config.maxInFlight());
        }
        while (!tally.allSettled() && System.nanoTime() < drainDeadline) {
            Thread.sleep(20);
        }
        return report(tally.totals(), measuredStart, measuredSeconds, reader.reconnects());
    }

    private ControlReport report(ControlTally.Totals t, long measuredStart, double measuredSeconds, long reconnects) {
        double deliverWindow = Math.max(measuredSeconds, (t.lastDeliveredNanos() - measuredStart) / NANOS_PER_SECOND);
        double ackWindow = Math.max(measuredSeconds, (t.lastAckedNanos() - measuredStart) / NANOS_PER_SECOND);
        long unsettled = t.accepted() - t.acked() - t.expired() - t.rejected();
        return new ControlReport(config.commandLine(), settings, config.ratePerSecond(), measuredSeconds, t.sent(),
                t.accepted(), t.delivered(), t.acked(), t.expired(), t.rejected(), unsettled, t.transportErrors(),
                t.skipped(), t.unmatchedReceipts() + t.stashedUnmatched(), reconnects, t.byHttpStatus(),
                t.accepted() / measuredSeconds, t.delivered() / deliverWindow, t.acked() / ackWindow,
                t.accept(), t.deliver(), t.ack());
    }

    private void dispatch(long sequence, long dueNanos, long dueEpochNanos, boolean measured) {
        if (!inFlight.tryAcquire()) {
            tally.skipped(measured);
            timeline.count(Count.SKIPPED);
            return;
        }
        timeline.count(Count.SENT);
        String clientId = "lt-" + runNonce + "-" + sequence;
        tally.sent(clientId, dueNanos, measured);
        DeviceChannel channel = channels.get((int) (sequence % channels.size()));
        int connection = (int) (sequence % config.connections());
        byte[] payload = PayloadLayout.encode(new PayloadLayout.Stamp(sequence, dueEpochNanos), config.payloadBytes());
        tokens.current()
                .thenCompose(token -> clients.sender().post(connection, request(channel, clientId, payload, token))
                        .whenComplete((answer, failure) -> {
                            if (answer != null && answer.statusCode() == 401) {
                                tokens.renewAfterRejection(token);
                            }
                        }))
                .whenComplete((answer, failure) -> {
                    try {
                        if (failure != null) {
                            timeline.count(Count.TRANSPORT_ERROR);
                            tally.transportError(clientId);
                        } else {
                            tally.answered(clientId, answer.statusCode(),
                                    answer.header(MESSAGE_ID_HEADER).orElse(null), System.nanoTime());
                        }
                    } finally {
                        inFlight.release();
                    }
                });
    }

    private PostRequest request(DeviceChannel channel, String clientId, byte[] payload,
            AccessTokenSource.AccessToken token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token.value());
        headers.put("Content-Type", "application/octet-stream");
        headers.put(MESSAGE_ID_HEADER, clientId);
        headers.put(TTL_HEADER, Long.toString(config.controlTtl().toSeconds()));
        return new PostRequest(channel.channelUri(), headers, payload);
    }

    private void onStreamEvent(EventStreamReader.StreamEvent event) {
        if (!"receipt".equals(event.type())) {
            return;
        }
        long arrival = System.nanoTime();
        try {
            Receipt receipt = Receipt.parse(event.data());
            tally.receipt(receipt.messageId(), ControlTally.Fate.valueOf(receipt.fate().toUpperCase(Locale.ROOT)), arrival);
        } catch (IOException | IllegalArgumentException e) {
            // a receipt this version does not understand counts as unmatched
            tally.receipt("", ControlTally.Fate.ACCEPTED, arrival);
        }
    }

    /**
     * The two fields of a receipt the tally needs, read with Jackson's streaming parser: three receipts arrive per
     * message, and building a tree for each cost the load generator CPU that the broker beside it needed.
     */
    record Receipt(String messageId, String fate) {
        static Receipt parse(String json) throws IOException {
            String messageId = "";
            String fate = "";
            try (JsonParser parser = JSON.getFactory().createParser(json)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("a receipt is a JSON object");
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.getCurrentName();
                    JsonToken value = parser.nextToken();
                    if ("messageId".equals(name) && value == JsonToken.VALUE_STRING) {
                        messageId = parser.getText();
                    } else if ("fate".equals(name) && value == JsonToken.VALUE_STRING) {
                        fate = parser.getText();
                    } else {
                        parser.skipChildren();
                    }
                }
            }
            return new Receipt(messageId, fate);
        }
    }

    private static void parkUntil(long deadlineNanos) throws InterruptedException {
        for (long remaining = deadlineNanos - System.nanoTime(); remaining > 0;
                remaining = deadlineNanos - System.nanoTime()) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException("load test interrupted");
            }
        }
    }
}
