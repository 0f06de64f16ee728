package io.wakeline.simulator;

import com.google.protobuf.ByteString;
import io.wakeline.protocol.DecodeResult;
import io.wakeline.protocol.DeviceCredentials;
import io.wakeline.protocol.FrameDecoder;
import io.wakeline.protocol.FrameEncoder;
import io.wakeline.protocol.LinkProtocol;
import io.wakeline.protocol.v1.Ack;
import io.wakeline.protocol.v1.Authenticate;
import io.wakeline.protocol.v1.Challenge;
import io.wakeline.protocol.v1.ChannelClose;
import io.wakeline.protocol.v1.ChannelClosed;
import io.wakeline.protocol.v1.ChannelIssued;
import io.wakeline.protocol.v1.AppExecutionState;
import io.wakeline.protocol.v1.AppStateReport;
import io.wakeline.protocol.v1.ChannelRequest;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.Error;
import io.wakeline.protocol.v1.ErrorCode;
import io.wakeline.protocol.v1.GoAway;
import io.wakeline.protocol.v1.GoAwayReason;
import io.wakeline.protocol.v1.Hello;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.Ping;
import io.wakeline.protocol.v1.Pong;
import io.wakeline.protocol.v1.WebPushAck;
import io.wakeline.protocol.v1.WebPushMessageRef;
import io.wakeline.protocol.v1.WebPushNotification;
import io.wakeline.protocol.v1.WebPushSubscribe;
import io.wakeline.protocol.v1.WebPushSubscription;
import io.wakeline.protocol.v1.WebPushUnsubscribe;
import io.wakeline.protocol.v1.Welcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The one thread that drives every simulated device: a NIO selector for the sockets, a timer queue for
 * backoff, handshake timeouts and heartbeats, a paced queue of pending connects, and a command queue for
 * requests from other threads. Everything here runs on that thread; nothing blocks it except the listener.
 *
 * <p>Reactions to the broker follow docs/protocol.md: answer the Challenge with the proof, ask for channels
 * after Welcome, Pong every Ping, ack every Notification (one Ack per read), honour GoAway, back off after
 * every failure. The Windows device model is {@link DeviceModel}'s; frames a test sends and the answers it
 * waits for ({@link ScriptedRequest}) pass through here.
 */
final class SimulationLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(SimulationLoop.class.getName());

    private static final int MIN_READ_BUFFER_BYTES = 64 * 1024;
    private static final int WRITE_BUFFER_BYTES = 16 * 1024;
    /** Per round, so a burst of due work cannot starve the sockets. */
    private static final int MAX_CONNECTS_PER_ROUND = 256;
    private static final int MAX_TIMERS_PER_ROUND = 4_096;
    private static final int MAX_COMMANDS_PER_ROUND = 1_024;
    private static final long MAX_SELECT_WAIT_MILLIS = 1_000;
    /** Delivery ids per Ack frame: 10 bytes each at most, so a full batch stays far below any max frame. */
    private static final int ACK_BATCH_LIMIT = 512;
    /** A broker that stops reading must not make a device buffer without bound. */
    private static final int MAX_UNSENT_BYTES = 256 * 1024;
    /** Used when a Welcome leaves a field at zero (docs/protocol.md, "Keep-alive"). */
    private static final int DEFAULT_HEARTBEAT_SECONDS = 30;
    private static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 90;
    private static final long MAX_TIMER_SECONDS = TimeUnit.DAYS.toSeconds(1);
    private static final int MAX_PENDING_SUBSCRIPTION_KEYS = 10_000;

    private final SimulatorConfig config;
    private final SimulatedDevice[] devices;
    private final List<String> appIds;
    private final Map<String, Integer> appPositions = new HashMap<>();
    private final byte[] fleetSecret;
    /** The broker's device-link listeners; a device uses the one at its {@link SimulatedDevice#gateway}. */
    private final InetSocketAddress[] gateways;
    private final InetAddress[] sourceAddresses;
    private int nextSourceAddress;

    private final Selector selector;
    private final FrameDecoder decoder;
    private final ByteBuffer readBuffer;
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    private final PriorityQueue<DeviceTimer> timers =
            new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos() - b.dueNanos(), 0));
    private final ArrayDeque<SimulatedDevice> connectQueue = new ArrayDeque<>();
    private final ConnectPacer pacer;
    private final ReconnectBackoff backoff;
    private final long handshakeTimeoutNanos;
    private final ConcurrentLinkedQueue<LoopCommand> commands = new ConcurrentLinkedQueue<>();
    private final SimulatorCounters counters;
    private final DeviceModel model;
    private final FrameListener frameListener;
    private final ChannelFile channelFile;
    private final SplittableRandom random = new SplittableRandom();

    private final long[] ackBatch = new long[ACK_BATCH_LIMIT];
    private int ackCount;
    /** Web Push messages of the current read batch, acked by message id (WebPushAck, docs/protocol.md §15). */
    private final WebPushAck.Builder webPushAcks = WebPushAck.newBuilder();
    private long nextPingNonce = 1;
    private long now;
    private boolean running = true;
    private final List<LoopCommand.Stop> stopRequests = new ArrayList<>();
    private final DeviceRequests requests = new DeviceRequests();
    /** Encryption keys of subscribe requests awaiting their WebPushSubscription, by device and request id. */
    private final Map<String, WebPushKeys> subscriptionKeys = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WebPushKeys> eldest) {
            return size() > MAX_PENDING_SUBSCRIPTION_KEYS; // requests whose answer never came
        }
    };

    SimulationLoop(SimulatorConfig config, SimulatorCounters counters) throws IOException {
        this.config = config;
        this.counters = counters;
        this.appIds = config.appIds();
        for (int i = 0; i < appIds.size(); i++) {
            appPositions.put(appIds.get(i), i);
        }
        this.fleetSecret = config.fleetSecret();
        this.gateways = new InetSocketAddress[config.gateways().size()];
        for (int i = 0; i < gateways.length; i++) {
            GatewayAddress gateway = config.gateways().get(i);
            gateways[i] = new InetSocketAddress(gateway.host(), gateway.port());
            if (gateways[i].isUnresolved()) {
                throw new UnknownHostException("cannot resolve broker host " + gateway.host());
            }
        }
        this.sourceAddresses = new InetAddress[config.sourceAddresses().size()];
        for (int i = 0; i < sourceAddresses.length; i++) {
            sourceAddresses[i] = InetAddress.getByName(config.sourceAddresses().get(i));
        }
        this.decoder = new FrameDecoder(config.maxFrameBytes());
        // an incomplete frame (at most prefix + max body) is copied in front of each read, so room is left behind it
        this.readBuffer = ByteBuffer.allocateDirect(
                Math.max(MIN_READ_BUFFER_BYTES, 2 * (config.maxFrameBytes() + LinkProtocol.MAX_LENGTH_PREFIX_BYTES)));
        this.now = System.nanoTime();
        this.pacer = new ConnectPacer(config.connectRatePerSecond(), now);
        this.backoff = new ReconnectBackoff(config.reconnectBackoffMin(), config.reconnectBackoffMax());
        this.handshakeTimeoutNanos = config.handshakeTimeout().toNanos();
        this.model = new DeviceModel(config, counters, new DeviceModel.Link() {
            @Override
            public boolean send(SimulatedDevice device, Envelope envelope) {
                return SimulationLoop.this.send(device, envelope);
            }

            @Override
            public void scheduleModelTimer(SimulatedDevice device, long dueNanos) {
                device.model.timerGeneration++;
                timers.add(new DeviceTimer(dueNanos, device, device.model.timerGeneration, TimerPurpose.MODEL));
            }
        }, ACK_BATCH_LIMIT);
        this.frameListener = config.frameListener();
        this.devices = new SimulatedDevice[config.deviceCount()];
        for (int i = 0; i < devices.length; i++) {
            devices[i] = new SimulatedDevice(config.deviceId(i));
            devices[i].gateway = (byte) (i % gateways.length); // spread over the listeners by position
            devices[i].model = model.newState(i);
            connectQueue.add(devices[i]);
        }
        this.channelFile = config.channelFile() == null ? null : new ChannelFile(config.channelFile());
        this.selector = Selector.open();
    }

    /** Hands a command to the selector thread; safe from any thread. */
    void submit(LoopCommand command) {
        commands.add(command);
        selector.wakeup();
    }

    /** Every channel issued so far; only for the selector thread, or after it has ended. */
    List<ChannelRecord> channelSnapshot() {
        List<ChannelRecord> all = new ArrayList<>();
        for (SimulatedDevice device : devices) {
            if (device.channels != null) {
                for (ChannelRecord channel : device.channels) {
                    if (channel != null) {
                        all.add(channel);
                    }
                }
            }
        }
        return all;
    }

    @Override
    public void run() {
        try {
            while (running) {
                now = System.nanoTime();
                runCommands();
                if (!running) {
                    break;
                }
                runDueTimers();
                startQueuedConnects();
                if (channelFile != null) {
                    channelFile.flushIfDirty();
                }
                long waitMillis = selectWaitMillis();
                int ready = waitMillis == 0 ? selector.selectNow() : selector.select(waitMillis);
                if (ready > 0) {
                    now = System.nanoTime();
                    handleReadyKeys();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "device simulator selector loop failed; all links are closed", e);
        } finally {
            shutdown();
        }
    }

    // ---- commands from other threads

    private void runCommands() {
        LoopCommand command;
        for (int i = 0; i < MAX_COMMANDS_PER_ROUND && (command = commands.poll()) != null; i++) {
            if (command instanceof LoopCommand.Disconnect disconnect) {
                SimulatedDevice device = devices[disconnect.position()];
                closeLink(device);
                device.state = LinkState.OFFLINE;
                disconnect.done().complete(null);
            } else if (command instanceof LoopCommand.Connect connect) {
                SimulatedDevice device = devices[connect.position()];
                if (device.state == LinkState.OFFLINE) {
                    device.failedAttempts = 0;
                    queueConnect(device);
                }
                connect.done().complete(null);
            } else if (command instanceof LoopCommand.Send send) {
                if (sendScripted(devices[send.position()], send.envelope(), send.done(), null)) {
                    send.done().complete(null);
                }
            } else if (command instanceof LoopCommand.Request request) {
                SimulatedDevice device = devices[request.position()];
                sendScripted(device, request.envelope(), request.done(),
                        ScriptedRequest.of(request.envelope(), request.answerCase(), request.done()));
            } else if (command instanceof LoopCommand.ReportPower report) {
                SimulatedDevice device = devices[report.position()];
                boolean sent = device.state == LinkState.LINKED
                        && send(device, Envelope.newBuilder().setPowerReport(report.report()).build());
                if (sent) {
                    report.done().complete(null);
                } else {
                    report.done().completeExceptionally(new IllegalStateException(device.id + " is not linked"));
                }
            } else if (command instanceof LoopCommand.CloseChannel close) {
                SimulatedDevice device = devices[close.position()];
                sendRequest(device, close.done(), requestId -> Envelope.newBuilder().setChannelClose(ChannelClose.newBuilder()
                        .setRequestId(requestId).setAppId(close.appId()).setChannelId(close.channelId())).build());
            } else if (command instanceof LoopCommand.SubscribeWebPush subscribe) {
                SimulatedDevice device = devices[subscribe.position()];
                sendRequest(device, subscribe.done(), requestId -> {
                    if (subscribe.keys() != null) {
                        subscriptionKeys.put(device.id + "#" + requestId, subscribe.keys());
                    }
                    return Envelope.newBuilder().setWebPushSubscribe(
                        WebPushSubscribe.newBuilder().setRequestId(requestId).setAppId(subscribe.appId())
                                .setApplicationServerKey(ByteString.copyFrom(subscribe.applicationServerKey()))).build();
                });
            } else if (command instanceof LoopCommand.IsLinked query) {
                query.done().complete(devices[query.position()].state == LinkState.LINKED);
            } else if (command instanceof LoopCommand.UnsubscribeWebPush unsubscribe) {
                SimulatedDevice device = devices[unsubscribe.position()];
                boolean sent = device.state == LinkState.LINKED && send(device, Envelope.newBuilder().setWebPushUnsubscribe(
                        WebPushUnsubscribe.newBuilder().setSubscriptionId(unsubscribe.subscriptionId())).build());
                if (sent) {
                    unsubscribe.done().complete(null);
                } else {
                    unsubscribe.done().completeExceptionally(new IllegalStateException(device.id + " is not linked"));
                }
            } else if (command instanceof LoopCommand.SnapshotChannels snapshot) {
                snapshot.done().complete(channelSnapshot());
            } else if (command instanceof LoopCommand.Stop stop) {
                stopRequests.add(stop);
                running = false;
            }
        }
    }

    /**
     * A frame from a test: sent only on an established link, else {@code done} fails. A request is registered
     * before its frame goes out, so an answer read right after the write cannot be missed.
     *
     * @return whether the frame was queued on the link
     */
    private boolean sendScripted(SimulatedDevice device, Envelope envelope, CompletableFuture<?> done,
                                 ScriptedRequest request) {
        if (device.state != LinkState.LINKED) {
            done.completeExceptionally(new IllegalStateException(
                    device.id + " is not linked (state " + device.state + ")"));
            return false;
        }
        if (request != null) {
            if (device.scriptedRequests == null) {
                device.scriptedRequests = new ArrayList<>(2);
            }
            device.scriptedRequests.removeIf(pending -> pending.answer().isDone());
            device.scriptedRequests.add(request);
        }
        if (!send(device, envelope)) {
            // closeLink has failed the request, if any
            done.completeExceptionally(new LinkLostException("link of " + device.id + " was lost while sending"));
            return false;
        }
        model.countSent(envelope);
        return true;
    }

    /** Sends a request that the broker answers by request id; {@code done} completes with the answer. */
    private void sendRequest(SimulatedDevice device, CompletableFuture<?> done,
                             IntFunction<Envelope> request) {
        if (device.state != LinkState.LINKED) {
            done.completeExceptionally(new IllegalStateException(device.id + " is not linked"));
            return;
        }
        int requestId = requests.register(device.id, done);
        if (!send(device, request.apply(requestId))) {
            requests.fail(device.id, requestId, device.id + " lost its link");
        }
    }

    // ---- timers and connect pacing

    private void schedule(SimulatedDevice device, long dueNanos) {
        device.timerGeneration++;
        timers.add(new DeviceTimer(dueNanos, device, device.timerGeneration, TimerPurpose.LINK));
    }

    private void runDueTimers() {
        for (int i = 0; i < MAX_TIMERS_PER_ROUND; i++) {
            DeviceTimer timer = timers.peek();
            if (timer == null || timer.dueNanos() - now > 0) {
                return;
            }
            timers.poll();
            SimulatedDevice device = timer.device();
            if (timer.purpose() == TimerPurpose.MODEL) {
                if (device.state == LinkState.LINKED && timer.generation() == device.model.timerGeneration) {
                    try {
                        model.onTimer(device, now);
                    } catch (RuntimeException e) {
                        failUnexpectedly(device, e);
                    }
                }
                continue;
            }
            if (timer.generation() != device.timerGeneration) {
                continue;
            }
            try {
                switch (device.state) {
                    case BACKING_OFF -> queueConnect(device);
                    case CONNECTING, AWAITING_CHALLENGE, AWAITING_WELCOME -> retryWithBackoff(device);
                    case LINKED -> onHeartbeatDue(device);
                    default -> {
                        // OFFLINE, QUEUED, STOPPED: closeLink already invalidated their timers
                    }
                }
            } catch (RuntimeException e) {
                failUnexpectedly(device, e);
            }
        }
    }

    private void queueConnect(SimulatedDevice device) {
        device.state = LinkState.QUEUED;
        connectQueue.add(device);
    }

    private void startQueuedConnects() {
        int started = 0;
        // stale entries (devices disconnected while queued) are skipped without using a slot
        for (int looked = 0; looked < 4 * MAX_CONNECTS_PER_ROUND && started < MAX_CONNECTS_PER_ROUND; looked++) {
            SimulatedDevice device = connectQueue.peek();
            if (device == null) {
                return;
            }
            if (device.state != LinkState.QUEUED) {
                connectQueue.poll();
                continue;
            }
            if (!pacer.tryAcquire(now)) {
                return;
            }
            connectQueue.poll();
            openLink(device);
            started++;
        }
    }

    private long selectWaitMillis() {
        long waitNanos = TimeUnit.MILLISECONDS.toNanos(MAX_SELECT_WAIT_MILLIS);
        DeviceTimer next = timers.peek();
        if (next != null) {
            waitNanos = Math.min(waitNanos, next.dueNanos() - now);
        }
        if (!connectQueue.isEmpty()) {
            waitNanos = Math.min(waitNanos, pacer.nanosUntilNextSlot(now));
        }
        if (!commands.isEmpty() || waitNanos <= 0) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
    }

    // ---- link lifecycle

    private void openLink(SimulatedDevice device) {
        if (device.attemptedBefore) {
            counters.reconnecting();
        }
        device.attemptedBefore = true;
        device.state = LinkState.CONNECTING;
        schedule(device, now + handshakeTimeoutNanos);
        try {
            SocketChannel channel = SocketChannel.open();
            device.channel = channel;
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (sourceAddresses.length > 0) {
                channel.bind(new InetSocketAddress(sourceAddresses[nextSourceAddress], 0));
                nextSourceAddress = (nextSourceAddress + 1) % sourceAddresses.length;
            }
            boolean connected = channel.connect(gateways[device.gateway]);
            device.key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, device);
            if (connected) {
                onConnected(device);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "connect failed deviceId={0} error={1}", device.id, e.toString());
            retryWithBackoff(device);
        } catch (RuntimeException e) {
            // e.g. a source address of another family than the broker's: a configuration mistake, keep retrying slowly
            failUnexpectedly(device, e);
        }
    }

    private void onConnectable(SimulatedDevice device) {
        try {
            if (device.channel.finishConnect()) {
                device.key.interestOps(SelectionKey.OP_READ);
                onConnected(device);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "connect failed deviceId={0} error={1}", device.id, e.toString());
            retryWithBackoff(device);
        }
    }

    private void onConnected(SimulatedDevice device) {
        device.state = LinkState.AWAITING_CHALLENGE;
        device.lastInboundNanos = now;
        counters.connectionEstablished();
        send(device, Envelope.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(LinkProtocol.VERSION)
                .setDeviceId(device.id)
                .setCapabilities(model.capabilities(device))
                .setClientAgent(config.clientAgent())).build());
    }

    /**
     * Closes the socket and forgets the link, leaving the device BACKING_OFF with no timer: the caller
     * schedules the reconnect or moves it to another state.
     */
    private void closeLink(SimulatedDevice device) {
        requests.failAll(device.id);
        if (device.state.isConnected()) {
            counters.connectionClosed();
        }
        if (device.state == LinkState.LINKED) {
            counters.linkClosed();
        }
        if (device.key != null) {
            device.key.cancel();
        }
        if (device.channel != null) {
            try {
                device.channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "close failed deviceId={0} error={1}", device.id, e.toString());
            }
        }
        device.channel = null;
        device.key = null;
        device.partialFrame = null;
        device.unsent = null;
        device.timerGeneration++;
        device.state = LinkState.BACKING_OFF;
        model.onLinkClosed(device);
        failScriptedRequests(device, "link of " + device.id + " ended before the answer arrived");
    }

    private static void failScriptedRequests(SimulatedDevice device, String why) {
        List<ScriptedRequest> pending = device.scriptedRequests;
        if (pending == null) {
            return;
        }
        device.scriptedRequests = null;
        for (ScriptedRequest request : pending) {
            request.answer().completeExceptionally(new LinkLostException(why));
        }
    }

    /** After any failure: close, then reconnect after a jittered, exponentially growing delay. */
    private void retryWithBackoff(SimulatedDevice device) {
        closeLink(device);
        moveToAnotherGateway(device);
        long delay = backoff.delayNanos(device.failedAttempts, random);
        if (device.failedAttempts < Integer.MAX_VALUE) {
            device.failedAttempts++;
        }
        schedule(device, now + delay);
    }

    /** A bug or a misconfiguration must cost one device a backoff, never the whole simulator. */
    private void failUnexpectedly(SimulatedDevice device, RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "device link failed unexpectedly deviceId=" + device.id, e);
        retryWithBackoff(device);
    }

    private void shutdown() {
        for (SimulatedDevice device : devices) {
            closeLink(device);
            device.state = LinkState.STOPPED;
        }
        if (channelFile != null) {
            channelFile.close();
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "selector close failed error={0}", e.toString());
        }
        stopRequests.forEach(stop -> stop.done().complete(null));
        LoopCommand left;
        while ((left = commands.poll()) != null) {
            if (left instanceof LoopCommand.Stop stop) {
                stop.done().complete(null);
            } else {
                left.done().completeExceptionally(new IllegalStateException("device simulator is closed"));
            }
        }
    }

    // ---- socket events

    private void handleReadyKeys() {
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
            SelectionKey key = ready.next();
            ready.remove();
            SimulatedDevice device = (SimulatedDevice) key.attachment();
            if (device.key != key) {
                continue;
            }
            try {
                if (key.isValid() && key.isConnectable()) {
                    onConnectable(device);
                    continue;
                }
                if (key.isValid() && key.isWritable()) {
                    onWritable(device);
                }
                if (device.key == key && key.isValid() && key.isReadable()) {
                    onReadable(device);
                }
            } catch (RuntimeException e) {
                failUnexpectedly(device, e);
            }
        }
    }

    private void onReadable(SimulatedDevice device) {
        SocketChannel channel = device.channel;
        ByteBuffer in = readBuffer;
        in.clear();
        if (device.partialFrame != null) {
            in.put(device.partialFrame);
            device.partialFrame = null;
        }
        int read;
        try {
            read = channel.read(in);
        } catch (IOException e) {
            retryWithBackoff(device);
            return;
        }
        if (read < 0) {
            retryWithBackoff(device);
            return;
        }
        in.flip();
        if (read > 0) {
            device.lastInboundNanos = now;
        }
        ackCount = 0;
        while (device.channel == channel) {
            DecodeResult result = decoder.decode(in);
            if (result instanceof DecodeResult.Frame frame) {
                onEnvelope(device, frame.envelope());
            } else if (result instanceof DecodeResult.Malformed malformed) {
                onMalformed(device, malformed);
            } else {
                break;
            }
        }
        if (device.channel != channel) {
            ackCount = 0;
            webPushAcks.clear();
            model.discardPushTasks();
            return;
        }
        sendAcks(device);
        if (device.channel == channel && in.hasRemaining()) {
            device.partialFrame = new byte[in.remaining()];
            in.get(device.partialFrame);
        }
    }

    private void onWritable(SimulatedDevice device) {
        ByteBuffer out = ByteBuffer.wrap(device.unsent);
        try {
            device.channel.write(out);
        } catch (IOException e) {
            retryWithBackoff(device);
            return;
        }
        if (out.hasRemaining()) {
            device.unsent = Arrays.copyOfRange(device.unsent, out.position(), device.unsent.length);
        } else {
            device.unsent = null;
            device.key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Queues one frame; false if the link was lost on the way (the device is then backing off). */
    private boolean send(SimulatedDevice device, Envelope envelope) {
        if (device.channel == null || !device.state.isConnected()) {
            return false;
        }
        if (device.unsent != null) {
            byte[] frame = FrameEncoder.encode(envelope);
            if (device.unsent.length + frame.length > MAX_UNSENT_BYTES) {
                LOG.log(System.Logger.Level.DEBUG, "broker stopped reading deviceId={0}", device.id);
                retryWithBackoff(device);
                return false;
            }
            byte[] joined = Arrays.copyOf(device.unsent, device.unsent.length + frame.length);
            System.arraycopy(frame, 0, joined, device.unsent.length, frame.length);
            device.unsent = joined;
            return true;
        }
        ByteBuffer out;
        if (FrameEncoder.frameSize(envelope) <= writeBuffer.capacity()) {
            writeBuffer.clear();
            FrameEncoder.encodeInto(envelope, writeBuffer);
            writeBuffer.flip();
            out = writeBuffer;
        } else {
            out = ByteBuffer.wrap(FrameEncoder.encode(envelope));
        }
        try {
            device.channel.write(out);
        } catch (IOException e) {
            retryWithBackoff(device);
            return false;
        }
        if (out.hasRemaining()) {
            device.unsent = new byte[out.remaining()];
            out.get(device.unsent);
            device.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
        return true;
    }

    // ---- the protocol, device side

    private void onEnvelope(SimulatedDevice device, Envelope envelope) {
        if (envelope.getBodyCase() != Envelope.BodyCase.PONG) {
            try {
                frameListener.onFrame(device.id, envelope);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "frame listener failed deviceId=" + device.id
                        + " body=" + envelope.getBodyCase(), e);
            }
        }
        // taken out before the device reacts (which may end the link) and completed after, so that a test
        // woken by the answer sees the device's reaction to it, counters included
        ScriptedRequest answered = device.scriptedRequests == null ? null : takeAnsweredRequest(device, envelope);
        handleEnvelope(device, envelope);
        if (answered != null) {
            answered.answer().complete(envelope);
        }
    }

    private void handleEnvelope(SimulatedDevice device, Envelope envelope) {
        switch (envelope.getBodyCase()) {
            case CHALLENGE -> onChallenge(device, envelope.getChallenge());
            case WELCOME -> onWelcome(device, envelope.getWelcome());
            case PING -> send(device, Envelope.newBuilder()
                    .setPong(Pong.newBuilder().setNonce(envelope.getPing().getNonce())).build());
            case PONG -> {
                // its arrival already counted as inbound traffic, which is all a Pong proves
            }
            case CHANNEL_ISSUED -> onChannelIssued(device, envelope.getChannelIssued());
            case NOTIFICATION -> onNotification(device, envelope.getNotification());
            case WEB_PUSH_NOTIFICATION -> onWebPushNotification(device, envelope.getWebPushNotification());
            case WEB_PUSH_SUBSCRIPTION -> onWebPushSubscription(device, envelope.getWebPushSubscription());
            case CHANNEL_CLOSED -> onChannelClosed(device, envelope.getChannelClosed());
            case GO_AWAY -> onGoAway(device, envelope.getGoAway());
            case ERROR -> onError(device, envelope.getError());
            case LOCK_SCREEN_STATUS, CONTROL_CHANNEL_STATUS, TRIGGER_REGISTRATION_STATUS, BACKGROUND_TASK_ANSWER,
                 SYSTEM_TRIGGER -> onDeviceModelFrame(device, envelope);
            default -> onUnexpected(device, envelope.getBodyCase());
        }
    }

    /** The oldest scripted request this frame answers, removed from the waiting ones; one frame answers one. */
    private static ScriptedRequest takeAnsweredRequest(SimulatedDevice device, Envelope envelope) {
        List<ScriptedRequest> pending = device.scriptedRequests;
        pending.removeIf(request -> request.answer().isDone());
        ScriptedRequest answered = null;
        for (ScriptedRequest request : pending) {
            if (request.isAnsweredBy(envelope)) {
                answered = request;
                break;
            }
        }
        if (answered != null) {
            pending.remove(answered);
        }
        if (pending.isEmpty()) {
            device.scriptedRequests = null;
        }
        return answered;
    }

    private void onDeviceModelFrame(SimulatedDevice device, Envelope envelope) {
        if (device.state != LinkState.LINKED) {
            onUnexpected(device, envelope.getBodyCase());
            return;
        }
        if (envelope.getBodyCase() == Envelope.BodyCase.CONTROL_CHANNEL_STATUS && channelFile != null
                && !envelope.getControlChannelStatus().getControlChannelUri().isEmpty()) {
            var status = envelope.getControlChannelStatus();
            channelFile.append(new ControlChannelRecord(device.id, status.getAppId(), status.getChannelId(),
                    status.getControlChannelUri()));
        }
        model.onFrame(device, envelope);
    }

    private void onChallenge(SimulatedDevice device, Challenge challenge) {
        if (device.state != LinkState.AWAITING_CHALLENGE) {
            onUnexpected(device, Envelope.BodyCase.CHALLENGE);
            return;
        }
        if (challenge.getProtocolVersion() != LinkProtocol.VERSION) {
            send(device, error(ErrorCode.UNSUPPORTED_VERSION,
                    "device speaks version " + LinkProtocol.VERSION + " only", true));
            retryWithBackoff(device);
            return;
        }
        byte[] credential = DeviceCredentials.deriveCredential(fleetSecret, device.id);
        byte[] proof = DeviceCredentials.proof(credential, challenge.getNonce().toByteArray(), device.id);
        device.state = LinkState.AWAITING_WELCOME;
        send(device, Envelope.newBuilder()
                .setAuthenticate(Authenticate.newBuilder().setProof(ByteString.copyFrom(proof))).build());
    }

    private void onWelcome(SimulatedDevice device, Welcome welcome) {
        if (device.state != LinkState.AWAITING_WELCOME) {
            onUnexpected(device, Envelope.BodyCase.WELCOME);
            return;
        }
        device.state = LinkState.LINKED;
        device.failedAttempts = 0;
        counters.handshakeCompleted();
        device.heartbeatMillis = secondsToMillis(welcome.getHeartbeatIntervalSeconds(), DEFAULT_HEARTBEAT_SECONDS);
        device.idleTimeoutMillis = secondsToMillis(welcome.getIdleTimeoutSeconds(), DEFAULT_IDLE_TIMEOUT_SECONDS);
        // the first ping lands anywhere in the second half of the interval, so devices linked together drift apart
        long heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(device.heartbeatMillis);
        schedule(device, now + heartbeatNanos / 2 + random.nextLong(heartbeatNanos / 2 + 1));
        if (appIds.isEmpty() && !device.hasEveryChannel) {
            device.hasEveryChannel = true;
            counters.deviceHasEveryChannel();
        }
        model.onLinked(device, now);
        if (device.model == null && config.reportAppsInForeground()) {
            reportAppsInForeground(device);
        }
        requestMissingChannels(device);
        model.resumeApps(device, now);
    }

    /**
     * With the device model off, a device stands for one whose apps are running in the foreground: it says
     * so after every Welcome, so the broker's Windows rules hand raw notifications to the apps as events
     * (docs/protocol.md, "After Welcome"), and counts it. Tests that script the model may report other states
     * afterwards, or switch this off ({@link SimulatorConfig#reportAppsInForeground()}).
     */
    private void reportAppsInForeground(SimulatedDevice device) {
        for (int app = 0; app < appIds.size() && device.state == LinkState.LINKED; app++) {
            if (send(device, Envelope.newBuilder().setAppStateReport(AppStateReport.newBuilder()
                    .setAppId(appIds.get(app))
                    .setState(AppExecutionState.FOREGROUND)).build())) {
                counters.foregroundReported();
            }
        }
    }

    private void requestMissingChannels(SimulatedDevice device) {
        long nowMillis = System.currentTimeMillis();
        for (int app = 0; app < appIds.size() && device.state == LinkState.LINKED; app++) {
            ChannelRecord held = device.channels == null ? null : device.channels[app];
            if (held == null || held.expiresAtMillis() <= nowMillis) {
                send(device, Envelope.newBuilder().setChannelRequest(ChannelRequest.newBuilder()
                        .setRequestId(app + 1)
                        .setAppId(appIds.get(app))).build());
            }
        }
    }

    private void onHeartbeatDue(SimulatedDevice device) {
        if (now - device.lastInboundNanos > TimeUnit.MILLISECONDS.toNanos(device.idleTimeoutMillis)) {
            // nothing heard, not even Pongs, for a whole idle timeout: the link is dead without a FIN
            LOG.log(System.Logger.Level.DEBUG, "link silent past idle timeout deviceId={0}", device.id);
            retryWithBackoff(device);
            return;
        }
        schedule(device, now + TimeUnit.MILLISECONDS.toNanos(device.heartbeatMillis));
        send(device, Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(nextPingNonce++)).build());
        model.sendControlKeepAlives(device);
        if (!device.hasEveryChannel) {
            // a request the broker refused as retryable (INTERNAL, RATE_LIMITED) is asked again, at most once
            // per heartbeat: by then any earlier request has been answered or has timed out on the broker
            requestMissingChannels(device);
        }
    }

    private void onChannelIssued(SimulatedDevice device, ChannelIssued issued) {
        Integer app = appPosition(issued);
        if (device.state != LinkState.LINKED || app == null) {
            onUnexpected(device, Envelope.BodyCase.CHANNEL_ISSUED);
            return;
        }
        if (device.channels == null) {
            device.channels = new ChannelRecord[appIds.size()];
        }
        ChannelRecord channel = new ChannelRecord(device.id, appIds.get(app), issued.getChannelUri(),
                issued.getChannelId(), issued.getExpiresAtMillis());
        boolean first = device.channels[app] == null;
        device.channels[app] = channel;
        counters.channelIssued();
        if (first && ++device.channelCount == appIds.size()) {
            device.hasEveryChannel = true;
            counters.deviceHasEveryChannel();
        }
        if (channelFile != null) {
            channelFile.append(channel);
        }
    }

    /** The app a ChannelIssued answers: by its request id (the app's position + 1), else by its app id. */
    private Integer appPosition(ChannelIssued issued) {
        int byRequest = issued.getRequestId() - 1;
        if (byRequest >= 0 && byRequest < appIds.size() && appIds.get(byRequest).equals(issued.getAppId())) {
            return byRequest;
        }
        return appPositions.get(issued.getAppId());
    }

    private void onNotification(SimulatedDevice device, Notification notification) {
        if (device.state != LinkState.LINKED) {
            onUnexpected(device, Envelope.BodyCase.NOTIFICATION);
            return;
        }
        counters.notificationReceived();
        if (notification.getType() == io.wakeline.protocol.v1.NotificationType.CONTROL) {
            onControlMessage(device, notification);
            ackBatch[ackCount++] = notification.getDeliveryId();
            if (ackCount == ACK_BATCH_LIMIT) {
                sendAcks(device);
            }
            return;
        }
        model.onNotification(device, notification);
        try {
            config.listener().onNotification(device.id, notification);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "notification listener failed deviceId=" + device.id
                    + " deliveryId=" + Long.toUnsignedString(notification.getDeliveryId()), e);
        }
        ackBatch[ackCount++] = notification.getDeliveryId();
        if (ackCount == ACK_BATCH_LIMIT) {
            sendAcks(device);
        }
    }

    /**
     * Exactly-once processing on the device side (docs/protocol.md §15): a sequence at or below the highest one
     * processed on its channel is a redelivery, dropped and acked again; anything higher is processed, and acked
     * cumulatively with the next Ack flush.
     */
    private void onControlMessage(SimulatedDevice device, Notification notification) {
        String key = notification.getAppId() + "\n" + notification.getControlChannelId();
        if (device.controlProcessed == null) {
            device.controlProcessed = new java.util.HashMap<>(4);
        }
        long last = device.controlProcessed.getOrDefault(key, 0L);
        long seq = notification.getSequence();
        if (seq <= last) {
            counters.controlDuplicate();
        } else {
            device.controlProcessed.put(key, seq);
            counters.controlProcessed(seq != last + 1);
            try {
                config.listener().onControlMessage(device.id, notification);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "control message listener failed deviceId=" + device.id
                        + " seq=" + seq, e);
            }
        }
        if (device.controlAcksDue == null) {
            device.controlAcksDue = new java.util.HashMap<>(4);
        }
        device.controlAcksDue.put(key, Math.max(seq, last));
    }

    private void sendControlAcks(SimulatedDevice device) {
        if (device.controlAcksDue == null || device.controlAcksDue.isEmpty()) {
            return;
        }
        for (var due : device.controlAcksDue.entrySet()) {
            int cut = due.getKey().indexOf('\n');
            if (send(device, Envelope.newBuilder().setControlAck(io.wakeline.protocol.v1.ControlAck.newBuilder()
                    .setAppId(due.getKey().substring(0, cut))
                    .setChannelId(due.getKey().substring(cut + 1))
                    .setUpToSequence(due.getValue())).build())) {
                counters.controlAckSent();
            }
        }
        device.controlAcksDue.clear();
    }

    private void onWebPushNotification(SimulatedDevice device, WebPushNotification message) {
        if (device.state != LinkState.LINKED) {
            onUnexpected(device, Envelope.BodyCase.WEB_PUSH_NOTIFICATION);
            return;
        }
        counters.notificationReceived();
        try {
            config.listener().onWebPush(device.id, message);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "web push listener failed deviceId=" + device.id
                    + " deliveryId=" + Long.toUnsignedString(message.getDeliveryId()), e);
        }
        // RFC 8030 §6.2: the user agent acknowledges the message itself, by its id, once the app has it
        webPushAcks.addMessages(WebPushMessageRef.newBuilder()
                .setSubscriptionId(message.getSubscriptionId()).setMessageId(message.getMessageId()));
        if (webPushAcks.getMessagesCount() == ACK_BATCH_LIMIT) {
            sendAcks(device);
        }
    }

    private void onWebPushSubscription(SimulatedDevice device, WebPushSubscription subscription) {
        WebPushSubscriptionRecord record = new WebPushSubscriptionRecord(device.id, subscription.getAppId(),
                subscription.getEndpoint(), subscription.getSubscriptionId(), subscription.getExpiresAtMillis(),
                subscriptionKeys.remove(device.id + "#" + subscription.getRequestId()));
        if (channelFile != null) {
            channelFile.append(record);
        }
        CompletableFuture<WebPushSubscriptionRecord> done =
                requests.take(device.id, subscription.getRequestId());
        if (done != null) {
            done.complete(record);
        }
    }

    private void onChannelClosed(SimulatedDevice device, ChannelClosed closed) {
        CompletableFuture<List<String>> done = requests.take(device.id, closed.getRequestId());
        if (done != null) {
            done.complete(List.copyOf(closed.getClosedChannelIdsList()));
        }
    }

    private void sendAcks(SimulatedDevice device) {
        sendControlAcks(device);
        sendWebPushAcks(device);
        if (ackCount == 0) {
            return;
        }
        Ack.Builder ack = Ack.newBuilder();
        for (int i = 0; i < ackCount; i++) {
            ack.addDeliveryIds(ackBatch[i]);
        }
        int acked = ackCount;
        ackCount = 0;
        if (send(device, Envelope.newBuilder().setAck(ack).build())) {
            counters.acked(acked);
            // the background tasks of these notifications report after their Ack
            model.flushPushTasks(device);
        } else {
            model.discardPushTasks();
        }
    }

    private void sendWebPushAcks(SimulatedDevice device) {
        int acked = webPushAcks.getMessagesCount();
        if (acked == 0) {
            return;
        }
        Envelope frame = Envelope.newBuilder().setWebPushAck(webPushAcks).build();
        webPushAcks.clear();
        if (send(device, frame)) {
            counters.acked(acked);
        }
    }

        private void onGoAway(SimulatedDevice device, GoAway goAway) {
        counters.goAwayReceived();
        sendAcks(device);
        if (goAway.getReason() == GoAwayReason.REPLACED) {
            // a newer link of this device id is live elsewhere; reconnecting would only take it back
            closeLink(device);
            device.state = LinkState.OFFLINE;
            return;
        }
        long delay = TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(goAway.getReconnectAfterMillis()))
                + random.nextLong(config.reconnectBackoffMin().toNanos() + 1);
        if (goAway.getReason() != GoAwayReason.DRAINING && goAway.getReason() != GoAwayReason.IDLE) {
            // OVERLOADED, and reasons this device does not know, also wait out the device's own backoff
            delay = Math.max(delay, backoff.delayNanos(device.failedAttempts, random));
            device.failedAttempts++;
        }
        closeLink(device);
        moveToAnotherGateway(device);
        schedule(device, now + delay);
    }

    /**
     * After a failed or lost link, or a GoAway, the next attempt goes to another listener, picked at random among
     * the others so that a dead or draining node's devices spread over every survivor.
     */
    private void moveToAnotherGateway(SimulatedDevice device) {
        if (gateways.length > 1) {
            device.gateway = (byte) ((device.gateway + 1 + random.nextInt(gateways.length - 1)) % gateways.length);
        }
    }

    private void onError(SimulatedDevice device, Error error) {
        counters.errorReceived(error.getCode());
        LOG.log(System.Logger.Level.DEBUG, "broker error deviceId={0} code={1} fatal={2} message={3}",
                device.id, error.getCode(), error.getFatal(), error.getMessage());
        requests.fail(device.id, error.getRequestId(), error.getCode() + ": " + error.getMessage());
        if (error.getFatal()) {
            retryWithBackoff(device);
        }
    }

    private void onMalformed(SimulatedDevice device, DecodeResult.Malformed malformed) {
        if (!malformed.closesLink()) {
            // docs/protocol.md, "Evolution": a body this device does not know is answered, the link stays
            send(device, error(malformed.code(), malformed.reason(), false));
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "malformed frame from broker deviceId={0} code={1} reason={2}",
                device.id, malformed.code(), malformed.reason());
        send(device, error(malformed.code(), malformed.reason(), true));
        retryWithBackoff(device);
    }

    /** Fatal during the handshake, where the two sides no longer agree on the link's state; tolerated after. */
    private void onUnexpected(SimulatedDevice device, Envelope.BodyCase body) {
        boolean fatal = device.state != LinkState.LINKED;
        send(device, error(ErrorCode.UNEXPECTED_MESSAGE, body + " not expected in state " + device.state, fatal));
        if (fatal) {
            retryWithBackoff(device);
        }
    }

    private static Envelope error(ErrorCode code, String message, boolean fatal) {
        return Envelope.newBuilder().setError(Error.newBuilder()
                .setCode(code)
                .setMessage(message)
                .setFatal(fatal)).build();
    }

    private static int secondsToMillis(int unsignedSeconds, int defaultSeconds) {
        long seconds = Integer.toUnsignedLong(unsignedSeconds);
        if (seconds == 0) {
            seconds = defaultSeconds;
        }
        return (int) TimeUnit.SECONDS.toMillis(Math.min(seconds, MAX_TIMER_SECONDS));
    }

    /** One pending timer of one device; superseded when the device's generation for its purpose moves on. */
    private record DeviceTimer(long dueNanos, SimulatedDevice device, int generation, TimerPurpose purpose) {
    }

    private enum TimerPurpose {
        /** Backoff, connect, handshake timeout, heartbeat: generation {@code SimulatedDevice.timerGeneration}. */
        LINK,
        /** The device model's clock: generation {@code DeviceModelState.timerGeneration}. */
        MODEL
    }
}
