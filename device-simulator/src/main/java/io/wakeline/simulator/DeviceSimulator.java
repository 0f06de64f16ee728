package io.wakeline.simulator;

import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.PowerReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Many simulated Windows devices, each holding one device link to a Wakeline broker over real TCP.
 *
 * <p>One selector thread drives every device (no thread per device); per-device state is a small object.
 * Each device connects (paced to {@link SimulatorConfig#connectRatePerSecond()}), says Hello, answers the
 * Challenge with the proof derived from the fleet secret, asks for a channel per configured app after
 * Welcome, pings at the Welcome's heartbeat interval, answers Pings, acks every Notification, honours
 * GoAway and reconnects after any loss with jittered exponential backoff.
 *
 * <pre>{@code
 * try (DeviceSimulator sim = DeviceSimulator.start(SimulatorConfig.builder()
 *         .port(port).deviceCount(200).fleetSecret(secret)
 *         .appIds(List.of("ms-app://S-1-15-2-1")).build())) {
 *     sim.awaitChannels(Duration.ofSeconds(30));
 *     List<ChannelRecord> channels = sim.channels();
 * }
 * }</pre>
 *
 * <p>With {@link DeviceModelMode#AUTOMATIC} every device also plays the Windows device model (see
 * {@link DevicePopulation}). In any mode a test can drive exact scenarios through {@link #send} and
 * {@link #request}, and watch every inbound frame with {@link SimulatorConfig#frameListener()}.
 *
 * <p>Every public method may be called from any thread: requests are queued to the selector thread. None
 * may be called from a listener or from a callback that runs on the selector thread, except
 * {@link #request} and {@link #stats()}, which do not wait for it.
 */
public final class DeviceSimulator implements AutoCloseable {
    private static final long COMMAND_TIMEOUT_SECONDS = 10;
    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final long AWAIT_POLL_MILLIS = 10;

    private final SimulatorConfig config;
    private final SimulatorCounters counters;
    private final SimulationLoop loop;
    private final Thread thread;
    private volatile boolean closed;

    private DeviceSimulator(SimulatorConfig config, SimulatorCounters counters, SimulationLoop loop) {
        this.config = config;
        this.counters = counters;
        this.loop = loop;
        this.thread = new Thread(loop, "wakeline-simulator-" + config.deviceIdPrefix() + config.firstIndex());
        this.thread.setDaemon(true);
    }

    /**
     * Starts the selector thread; devices begin connecting at once.
     *
     * @throws UncheckedIOException if the broker host does not resolve, a source address is not an address,
     *                              or the channel file cannot be opened
     */
    public static DeviceSimulator start(SimulatorConfig config) {
        SimulatorCounters counters = new SimulatorCounters(config.deviceModel());
        SimulationLoop loop;
        try {
            loop = new SimulationLoop(config, counters);
        } catch (IOException e) {
            throw new UncheckedIOException("device simulator cannot start", e);
        }
        DeviceSimulator simulator = new DeviceSimulator(config, counters, loop);
        simulator.thread.start();
        return simulator;
    }

    public SimulatorConfig config() {
        return config;
    }

    /**
     * Waits until every device holds a channel for every configured app (with no apps: until every device
     * has linked once).
     *
     * @return whether that happened within {@code timeout}
     */
    public boolean awaitChannels(Duration timeout) {
        return pollUntil(() -> counters.devicesWithEveryChannel() >= config.deviceCount(), timeout);
    }

    /** Checks {@code condition} every few milliseconds until it holds (true) or {@code timeout} passes (false). */
    private boolean pollUntil(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !thread.isAlive()) {
                return false;
            }
            try {
                Thread.sleep(Math.min(AWAIT_POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Every channel issued so far, in device order then app order; the latest one per (device, app). */
    public List<ChannelRecord> channels() {
        if (!thread.isAlive()) {
            joinQuietly();
            return List.copyOf(loop.channelSnapshot());
        }
        CompletableFuture<List<ChannelRecord>> done = new CompletableFuture<>();
        return List.copyOf(await(new LoopCommand.SnapshotChannels(done), done));
    }

    public SimulatorStats stats() {
        return counters.snapshot(config.deviceCount());
    }

    /** Closes the device's link and keeps it offline until {@link #connect(String)}; returns once it is closed. */
    public void disconnect(String deviceId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        await(new LoopCommand.Disconnect(positionOf(deviceId), done), done);
    }

    /** Lets a device taken offline connect again (at once, within the connect rate); no effect otherwise. */
    public void connect(String deviceId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        await(new LoopCommand.Connect(positionOf(deviceId), done), done);
    }

    /**
     * Sends one frame on the device's established link, as is: any body, any field values, so a test can also
     * send what a well-behaved device never would. Returns once the frame is queued on the socket.
     *
     * @throws IllegalArgumentException if the id is not one of this simulator's devices
     * @throws IllegalStateException    if the device is not linked (no Welcome on its current link), its link
     *                                  broke while sending, or the simulator is closed
     */
    public void send(String deviceId, Envelope envelope) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        await(new LoopCommand.Send(positionOf(deviceId), envelope, done), done);
    }

    /**
     * Sends one frame like {@link #send} and returns its answer: the next inbound frame of {@code answerCase}
     * carrying the frame's {@code request_id}. Frames without a {@code request_id} field (PowerReport, ...) are
     * answered by the next frame of {@code answerCase}, as are requests whose answer type has no such field
     * (SystemTrigger). An {@link Envelope.BodyCase#ERROR} frame carrying the same non-zero {@code request_id} also
     * answers it: check {@code getBodyCase()}. One inbound frame answers at most one request, the oldest.
     * The answer still reaches the device's own handling (and the frame listener) as usual.
     *
     * <p>Does not wait: the future fails with {@link IllegalStateException} if the device is not linked, with
     * {@link LinkLostException} if its link ends first, with {@link java.util.concurrent.TimeoutException} after
     * {@link SimulatorConfig#requestTimeout()}. It completes on the selector thread: stages chained with the
     * non-async methods run there and must not block or call the simulator's waiting methods.
     *
     * @throws IllegalArgumentException if the id is not one of this simulator's devices
     */
    public CompletableFuture<Envelope> request(String deviceId, Envelope envelope, Envelope.BodyCase answerCase) {
        int position = positionOf(deviceId);
        CompletableFuture<Envelope> answer = new CompletableFuture<>();
        if (closed || !thread.isAlive()) {
            answer.completeExceptionally(new IllegalStateException("device simulator is closed"));
            return answer;
        }
        answer.orTimeout(config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        loop.submit(new LoopCommand.Request(position, envelope, answerCase, answer));
        return answer;
    }

    /** Sends the device's power facts to the broker (PowerReport); returns once the frame is queued. */
    public void reportPower(String deviceId, PowerReport report) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        await(new LoopCommand.ReportPower(positionOf(deviceId), report, done), done);
    }

    /**
     * Closes a channel the way {@code PushNotificationChannel.Close()} does: that channel and every older one of
     * the app (ChannelClose). Returns the ids the broker closed.
     */
    public List<String> closeChannel(String deviceId, String appId, String channelId) {
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        return await(new LoopCommand.CloseChannel(positionOf(deviceId), appId, channelId, done), done);
    }

    /**
     * Creates a Web Push subscription for an app on the device (WebPushSubscribe), restricted to
     * {@code applicationServerKey} unless it is empty; the subscription is also appended to the channel file.
     */
    public WebPushSubscriptionRecord subscribeWebPush(String deviceId, String appId, byte[] applicationServerKey) {
        return subscribeWebPush(deviceId, appId, applicationServerKey, null);
    }

    /**
     * {@link #subscribeWebPush(String, String, byte[])} with the device's encryption keys (RFC 8291), which the
     * record and the channel file's line carry ({@code p256dh}, {@code auth}) for the app server.
     */
    public WebPushSubscriptionRecord subscribeWebPush(String deviceId, String appId, byte[] applicationServerKey,
                                                      WebPushKeys keys) {
        CompletableFuture<WebPushSubscriptionRecord> done = new CompletableFuture<>();
        return await(new LoopCommand.SubscribeWebPush(positionOf(deviceId), appId, applicationServerKey.clone(), keys,
                done), done);
    }

    /**
     * Waits until the device's handshake is done on its current link.
     *
     * @return whether it was linked within {@code timeout}
     */
    public boolean awaitLinked(String deviceId, Duration timeout) {
        int position = positionOf(deviceId);
        return pollUntil(() -> {
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            return await(new LoopCommand.IsLinked(position, done), done);
        }, timeout);
    }

    /** Drops a Web Push subscription (WebPushUnsubscribe); returns once the frame is queued. */
    public void unsubscribeWebPush(String deviceId, String subscriptionId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        await(new LoopCommand.UnsubscribeWebPush(positionOf(deviceId), subscriptionId, done), done);
    }

    /** Closes every link and ends the selector thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.submit(new LoopCommand.Stop(done));
        try {
            thread.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int positionOf(String deviceId) {
        String prefix = config.deviceIdPrefix();
        if (deviceId == null || !deviceId.startsWith(prefix)) {
            throw new IllegalArgumentException("not a device of this simulator: " + deviceId);
        }
        long index;
        try {
            index = Long.parseLong(deviceId.substring(prefix.length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a device of this simulator: " + deviceId, e);
        }
        long position = index - config.firstIndex();
        if (position < 0 || position >= config.deviceCount() || !config.deviceId((int) position).equals(deviceId)) {
            throw new IllegalArgumentException("not a device of this simulator: " + deviceId);
        }
        return (int) position;
    }

    private <T> T await(LoopCommand command, CompletableFuture<T> done) {
        if (closed || !thread.isAlive()) {
            throw new IllegalStateException("device simulator is closed");
        }
        loop.submit(command);
        try {
            return done.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the simulator", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("simulator thread did not answer within " + COMMAND_TIMEOUT_SECONDS
                    + " s (a blocking notification listener?)", e);
        }
    }

    private void joinQuietly() {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
