package io.wakeline.loadtest;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * An open-loop run against the broker's WNS-compatible API: notification {@code n} is due at
 * {@code start + n / rate}, whatever happened to earlier ones, and its latency is measured from
 * that due time. A sender that waited for answers (closed loop) would slow down exactly when the
 * broker does and hide the stall from its own numbers (coordinated omission).
 */
public final class LoadTest {

    /** WNS's token endpoint path (wns-spec 1.1), served by the broker at its own origin. */
    static final String TOKEN_PATH = "/accesstoken.srf";

    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    /** What the raw scenario counts per interval of its {@link Timeline}. */
    public enum Count {
        SENT("sent"), ANSWERED("answered"),
        RECEIVED("X-WNS-Status received"), DROPPED("X-WNS-Status dropped"), THROTTLED("X-WNS-Status channelthrottled"),
        OTHER_ANSWER("other answers (non-2xx, no X-WNS-Status)"), TRANSPORT_ERROR("transport errors"),
        NO_TOKEN("no access token"), SKIPPED("skipped (in-flight bound)");

        private final String label;

        Count(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The raw scenario's one latency: intended send time to the HTTP answer. */
    public enum Timing { ANSWER }

    private final LoadTestConfig config;
    private final List<DeviceChannel> channels;
    private final AccessTokenSource tokens;
    private final RawNotificationSender sender;
    private final Semaphore inFlight;
    private final RunTally warmup = new RunTally();
    private final RunTally measured = new RunTally();
    private final RunSettings settings;
    private final Timeline<Count, Timing> timeline;

    private LoadTest(LoadTestConfig config, List<DeviceChannel> channels, PostTransport transport,
            AccessTokenSource tokens, RunSettings settings, Timeline<Count, Timing> timeline) {
        this.config = config;
        this.timeline = timeline;
        this.channels = channels;
        this.tokens = tokens;
        this.settings = settings;
        this.sender = new RawNotificationSender(tokens, transport, config.requestForStatus());
        this.inFlight = new Semaphore(config.maxInFlight());
    }

    /**
     * Runs warm-up + duration at the configured rate, waits at most the drain timeout for
     * outstanding answers, and reports. Blocks the calling thread for the whole run.
     *
     * @throws LoadTestAbortedException if the channel file, the PEM or the first access token is unusable
     * @throws InterruptedException     if the calling thread is interrupted; nothing is reported then
     */
    public static LoadReport run(LoadTestConfig config) throws LoadTestAbortedException, InterruptedException {
        return run(config, newTimeline(Duration.ofSeconds(1), sample -> { }));
    }

    /** A timeline for {@link #run(LoadTestConfig, Timeline)}: samples every {@code interval}, each handed to {@code onSample}. */
    public static Timeline<Count, Timing> newTimeline(Duration interval, Consumer<Timeline.Sample> onSample) {
        return new Timeline<>(Count.class, Timing.class, interval, onSample);
    }

    /**
     * {@link #run(LoadTestConfig)}, recording every send and answer per interval into {@code timeline} (for live
     * progress and the HTML report's charts); its samples are complete when this returns.
     */
    public static LoadReport run(LoadTestConfig config, Timeline<Count, Timing> timeline)
            throws LoadTestAbortedException, InterruptedException {
        List<DeviceChannel> channels = readChannels(config);
        String appId = resolveAppId(config, channels);
        URI tokenUri = config.tokenUri().orElseGet(() -> defaultTokenUri(channels.get(0).channelUri()));
        try (RunClients clients = RunClients.open(config)) {
            AccessTokenSource tokens = new AccessTokenSource(clients.tokenClient(), tokenUri, appId,
                    config.clientSecret(), config.requestTimeout());
            awaitFirstToken(tokens, config);
            RunSettings settings = RunSettings.of(config, channels.size(), appId, tokenUri);
            return new LoadTest(config, channels, clients.sender(), tokens, settings, timeline).execute();
        }
    }

    /** {@code https://host:port/accesstoken.srf} for a channel URI {@code https://host:port/w/...}. */
    static URI defaultTokenUri(URI channelUri) {
        return URI.create(channelUri.getScheme() + "://" + channelUri.getRawAuthority() + TOKEN_PATH);
    }

    private LoadReport execute() throws InterruptedException {
        long warmupNanos = config.warmup().toNanos();
        long runNanos = warmupNanos + config.duration().toNanos();
        long startNanos = System.nanoTime();
        long startEpochNanos = epochNanos(Clock.systemUTC().instant());
        timeline.start(startNanos, config.warmup(), () -> config.maxInFlight() - inFlight.availablePermits());
        try {
            return execute(startNanos, startEpochNanos, warmupNanos, runNanos);
        } finally {
            timeline.stop();
        }
    }

    private LoadReport execute(long startNanos, long startEpochNanos, long warmupNanos, long runNanos)
            throws InterruptedException {
        // Bounded in count by the run length: the due time grows with every sequence number.
        for (long sequence = 0; ; sequence++) {
            long dueOffset = (long) (sequence * NANOS_PER_SECOND / config.ratePerSecond());
            if (dueOffset >= runNanos) {
                break;
            }
            parkUntil(startNanos + dueOffset);
            RunTally phase = dueOffset < warmupNanos ? warmup : measured;
            dispatch(sequence, startNanos + dueOffset, startEpochNanos + dueOffset, phase);
        }
        parkUntil(startNanos + runNanos);
        double measuredSeconds = (System.nanoTime() - startNanos - warmupNanos) / NANOS_PER_SECOND;

        drain();
        RunTally.Totals warm = warmup.close();
        RunTally.Totals totals = measured.close();
        return new LoadReport(config.commandLine(), settings, config.ratePerSecond(), totals.sent() / measuredSeconds,
                measuredSeconds, totals.sent(), totals.answered(), totals.transportErrors(),
                totals.transportErrorCauses(), totals.tokenUnavailable(),
                totals.unfinished(), totals.skipped(), totals.retries(), tokens.refreshes(), warm.sent(),
                totals.byHttpStatus(), totals.byWnsStatus(), totals.byHttpVersion(), totals.latency());
    }

    private void dispatch(long sequence, long dueNanos, long dueEpochNanos, RunTally phase) {
        // Open loop: at the bound we drop this send and say so, rather than wait and fall behind schedule.
        if (!inFlight.tryAcquire()) {
            phase.skipped();
            timeline.count(Count.SKIPPED);
            return;
        }
        phase.sent();
        timeline.count(Count.SENT);
        byte[] payload = PayloadLayout.encode(new PayloadLayout.Stamp(sequence, dueEpochNanos), config.payloadBytes());
        DeviceChannel channel = channels.get((int) (sequence % channels.size()));
        int connection = (int) (sequence % config.connections());
        sender.send(connection, channel.channelUri(), payload).whenComplete((outcome, impossible) -> {
            try {
                long latencyNanos = System.nanoTime() - dueNanos;
                phase.record(outcome, latencyNanos);
                recordInTimeline(outcome, latencyNanos);
            } finally {
                inFlight.release();
            }
        });
    }

    private void recordInTimeline(SendOutcome outcome, long latencyNanos) {
        if (outcome instanceof SendOutcome.Answered answer) {
            timeline.count(Count.ANSWERED);
            timeline.latencyMicros(Timing.ANSWER, TimeUnit.NANOSECONDS.toMicros(latencyNanos));
            Optional<WnsStatus> status = answer.statusCode() / 100 == 2
                    ? answer.wnsStatus().flatMap(WnsStatus::fromWire) : Optional.empty();
            timeline.count(status.map(s -> switch (s) {
                case RECEIVED -> Count.RECEIVED;
                case DROPPED -> Count.DROPPED;
                case CHANNEL_THROTTLED -> Count.THROTTLED;
            }).orElse(Count.OTHER_ANSWER));
        } else if (outcome instanceof SendOutcome.TransportFailed) {
            timeline.count(Count.TRANSPORT_ERROR);
        } else if (outcome instanceof SendOutcome.TokenUnavailable) {
            timeline.count(Count.NO_TOKEN);
        }
    }

    private void drain() throws InterruptedException {
        int permits = config.maxInFlight();
        if (inFlight.tryAcquire(permits, config.drainTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
            inFlight.release(permits);
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

    private static long epochNanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    private static List<DeviceChannel> readChannels(LoadTestConfig config) throws LoadTestAbortedException {
        List<DeviceChannel> channels;
        try {
            channels = ChannelFile.read(config.channelsFile(), config.appId());
        } catch (IOException e) {
            throw new LoadTestAbortedException("cannot read channel file: " + e.getMessage(), e);
        }
        if (channels.isEmpty()) {
            throw new LoadTestAbortedException("no channels in " + config.channelsFile()
                    + config.appId().map(id -> " for app " + id).orElse(""));
        }
        return channels;
    }

    private static String resolveAppId(LoadTestConfig config, List<DeviceChannel> channels)
            throws LoadTestAbortedException {
        if (config.appId().isPresent()) {
            return config.appId().get();
        }
        // The token is per app (client_id = package SID), so one run drives one app's channels.
        Set<String> apps = channels.stream().map(DeviceChannel::appId).collect(Collectors.toCollection(TreeSet::new));
        if (apps.size() != 1) {
            throw new LoadTestAbortedException("channel file holds channels of " + apps.size()
                    + " apps " + apps + "; choose one with --app-id");
        }
        return apps.iterator().next();
    }

    private static void awaitFirstToken(AccessTokenSource tokens, LoadTestConfig config)
            throws LoadTestAbortedException, InterruptedException {
        try {
            tokens.current().get(config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = AccessTokenSource.unwrap(e.getCause());
            throw new LoadTestAbortedException("no access token: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new LoadTestAbortedException("no access token within " + config.requestTimeout(), e);
        }
    }
}
