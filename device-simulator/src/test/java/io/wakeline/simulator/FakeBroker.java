package io.wakeline.simulator;

import com.google.protobuf.ByteString;
import io.wakeline.protocol.DeviceCredentials;
import io.wakeline.protocol.LinkProtocol;
import io.wakeline.protocol.v1.ChannelIssued;
import io.wakeline.protocol.v1.ChannelRequest;
import io.wakeline.protocol.v1.Challenge;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.Error;
import io.wakeline.protocol.v1.ErrorCode;
import io.wakeline.protocol.v1.GoAway;
import io.wakeline.protocol.v1.GoAwayReason;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.Ping;
import io.wakeline.protocol.v1.Pong;
import io.wakeline.protocol.v1.Welcome;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A broker just good enough to drive the simulator: blocking sockets, one thread per link, the handshake
 * with a real challenge and proof check, channels for known apps, and hooks to push notifications, pings,
 * GoAways and raw frames or to drop a link.
 *
 * <p>Frames are read and written with protobuf's own delimited format ({@code parseDelimitedFrom},
 * {@code writeDelimitedTo}), an implementation independent of the codec under test that the link framing
 * is meant to match byte for byte.
 */
final class FakeBroker implements AutoCloseable {
    /** One accepted connection that completed (or failed) the handshake. */
    record LinkEvent(String deviceId, long acceptedAtNanos, InetAddress remoteAddress) {
    }

    private final ServerSocket server;
    private final byte[] fleetSecret;
    private final Set<String> knownApps;
    private final int heartbeatSeconds;
    private final SecureRandom random = new SecureRandom();
    private final Thread acceptor;
    private final List<Thread> linkThreads = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private final Map<String, Link> currentLinks = new ConcurrentHashMap<>();
    private final List<LinkEvent> welcomed = new CopyOnWriteArrayList<>();
    private final List<LinkEvent> rejected = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> linksEnded = new ConcurrentHashMap<>();
    private final Map<String, Set<Long>> acked = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> pings = new ConcurrentHashMap<>();
    private final Map<String, Set<Long>> pongs = new ConcurrentHashMap<>();
    private final List<Error> errorsFromDevices = new CopyOnWriteArrayList<>();
    private final Map<String, ChannelIssued> issued = new ConcurrentHashMap<>();
    private final AtomicLong nextDeliveryId = new AtomicLong(1);
    private final AtomicInteger nextChannel = new AtomicInteger(1);

    FakeBroker(byte[] fleetSecret, Set<String> knownApps, int heartbeatSeconds) throws IOException {
        this.fleetSecret = fleetSecret.clone();
        this.knownApps = Set.copyOf(knownApps);
        this.heartbeatSeconds = heartbeatSeconds;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        this.acceptor = new Thread(this::acceptLinks, "fake-broker-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    // ---- what tests do to devices

    long sendNotification(String deviceId, String appId, byte[] payload) throws IOException {
        long deliveryId = nextDeliveryId.getAndIncrement();
        link(deviceId).send(Envelope.newBuilder().setNotification(Notification.newBuilder()
                .setDeliveryId(deliveryId)
                .setAppId(appId)
                .setType(NotificationType.RAW)
                .setPayload(ByteString.copyFrom(payload))
                .setMessageId("msg-" + deliveryId)
                .setChannelId("ch-of-" + deviceId)
                .setSentAtMillis(System.currentTimeMillis())).build());
        return deliveryId;
    }

    void sendGoAway(String deviceId, GoAwayReason reason, int reconnectAfterMillis) throws IOException {
        link(deviceId).send(Envelope.newBuilder().setGoAway(GoAway.newBuilder()
                .setReason(reason)
                .setReconnectAfterMillis(reconnectAfterMillis)
                .setMessage("test says " + reason)).build());
    }

    void sendPing(String deviceId, long nonce) throws IOException {
        link(deviceId).send(Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build());
    }

    void sendRawFrame(String deviceId, byte[] frame) throws IOException {
        link(deviceId).sendRaw(frame);
    }

    /** Writes {@code frame} a few bytes at a time with pauses, so the device reads it in many pieces. */
    void trickleRawFrame(String deviceId, byte[] frame, int chunkBytes) throws IOException, InterruptedException {
        Link link = link(deviceId);
        for (int offset = 0; offset < frame.length; offset += chunkBytes) {
            link.sendRaw(java.util.Arrays.copyOfRange(frame, offset, Math.min(frame.length, offset + chunkBytes)));
            Thread.sleep(2);
        }
    }

    /** Closes the device's current link without a word, like a crashed node or a cut cable. */
    void drop(String deviceId) throws IOException {
        link(deviceId).socket.close();
    }

    // ---- what tests observe

    List<LinkEvent> welcomed(String deviceId) {
        return welcomed.stream().filter(event -> event.deviceId().equals(deviceId)).toList();
    }

    List<LinkEvent> welcomed() {
        return List.copyOf(welcomed);
    }

    List<LinkEvent> rejected() {
        return List.copyOf(rejected);
    }

    int linksEnded(String deviceId) {
        AtomicInteger count = linksEnded.get(deviceId);
        return count == null ? 0 : count.get();
    }

    boolean isLinked(String deviceId) {
        return currentLinks.containsKey(deviceId);
    }

    Set<Long> acked(String deviceId) {
        return Set.copyOf(acked.getOrDefault(deviceId, Set.of()));
    }

    int pingsFrom(String deviceId) {
        AtomicInteger count = pings.get(deviceId);
        return count == null ? 0 : count.get();
    }

    Set<Long> pongsFrom(String deviceId) {
        return Set.copyOf(pongs.getOrDefault(deviceId, Set.of()));
    }

    List<Error> errorsFromDevices() {
        return List.copyOf(errorsFromDevices);
    }

    /** The channel last issued for (device, app), or null. */
    ChannelIssued issued(String deviceId, String appId) {
        return issued.get(deviceId + " " + appId);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
            for (Thread thread : linkThreads) {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the broker side of the link

    private Link link(String deviceId) {
        Link link = currentLinks.get(deviceId);
        if (link == null) {
            throw new IllegalStateException(deviceId + " has no link");
        }
        return link;
    }

    private void acceptLinks() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            long acceptedAt = System.nanoTime();
            sockets.add(socket);
            Thread thread = new Thread(() -> serve(socket, acceptedAt), "fake-broker-link");
            thread.setDaemon(true);
            linkThreads.add(thread);
            thread.start();
        }
    }

    private void serve(Socket socket, long acceptedAt) {
        String deviceId = null;
        Link link = null;
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            link = new Link(socket, new BufferedOutputStream(socket.getOutputStream()));
            Envelope hello = Envelope.parseDelimitedFrom(in);
            if (hello == null || !hello.hasHello()) {
                return;
            }
            deviceId = hello.getHello().getDeviceId();
            byte[] nonce = new byte[LinkProtocol.NONCE_BYTES];
            random.nextBytes(nonce);
            link.send(Envelope.newBuilder().setChallenge(Challenge.newBuilder()
                    .setNonce(ByteString.copyFrom(nonce))
                    .setProtocolVersion(LinkProtocol.VERSION)).build());
            Envelope authenticate = Envelope.parseDelimitedFrom(in);
            if (authenticate == null || !authenticate.hasAuthenticate()) {
                return;
            }
            LinkEvent event = new LinkEvent(deviceId, acceptedAt, socket.getInetAddress());
            if (!DeviceCredentials.verify(fleetSecret, deviceId, nonce, authenticate.getAuthenticate().getProof().toByteArray())) {
                rejected.add(event);
                link.send(Envelope.newBuilder().setError(Error.newBuilder()
                        .setCode(ErrorCode.AUTHENTICATION_FAILED)
                        .setMessage("proof does not match")
                        .setFatal(true)).build());
                return;
            }
            currentLinks.put(deviceId, link);
            link.send(Envelope.newBuilder().setWelcome(Welcome.newBuilder()
                    .setSessionId("fake-" + acceptedAt)
                    .setHeartbeatIntervalSeconds(heartbeatSeconds)
                    .setIdleTimeoutSeconds(3 * heartbeatSeconds)
                    .setServerTimeMillis(System.currentTimeMillis())
                    .setMaxFrameBytes(LinkProtocol.DEFAULT_MAX_FRAME_BYTES)).build());
            welcomed.add(event);
            Envelope envelope;
            while ((envelope = Envelope.parseDelimitedFrom(in)) != null) {
                onEnvelope(deviceId, link, envelope);
            }
        } catch (IOException e) {
            // the link ended: dropped by a test, closed by the device, or the broker is closing
        } finally {
            if (deviceId != null) {
                if (link != null) {
                    currentLinks.remove(deviceId, link);
                }
                linksEnded.computeIfAbsent(deviceId, id -> new AtomicInteger()).incrementAndGet();
            }
        }
    }

    private void onEnvelope(String deviceId, Link link, Envelope envelope) throws IOException {
        switch (envelope.getBodyCase()) {
            case CHANNEL_REQUEST -> onChannelRequest(deviceId, link, envelope.getChannelRequest());
            case PING -> {
                pings.computeIfAbsent(deviceId, id -> new AtomicInteger()).incrementAndGet();
                link.send(Envelope.newBuilder().setPong(Pong.newBuilder().setNonce(envelope.getPing().getNonce())).build());
            }
            case PONG -> pongs.computeIfAbsent(deviceId, id -> ConcurrentHashMap.newKeySet()).add(envelope.getPong().getNonce());
            case ACK -> acked.computeIfAbsent(deviceId, id -> ConcurrentHashMap.newKeySet()).addAll(envelope.getAck().getDeliveryIdsList());
            case ERROR -> errorsFromDevices.add(envelope.getError());
            default -> {
                // nothing else is expected from the simulator; tests look at what arrived where it matters
            }
        }
    }

    private void onChannelRequest(String deviceId, Link link, ChannelRequest request) throws IOException {
        if (!knownApps.contains(request.getAppId())) {
            link.send(Envelope.newBuilder().setError(Error.newBuilder()
                    .setCode(ErrorCode.UNKNOWN_APP)
                    .setMessage("no such app")
                    .setRequestId(request.getRequestId())).build());
            return;
        }
        int number = nextChannel.getAndIncrement();
        ChannelIssued channel = ChannelIssued.newBuilder()
                .setRequestId(request.getRequestId())
                .setAppId(request.getAppId())
                .setChannelUri("https://fake.wakeline.test/w/?token=" + number)
                .setExpiresAtMillis(System.currentTimeMillis() + Duration.ofDays(30).toMillis())
                .setChannelId("ch-" + number)
                .build();
        issued.put(deviceId + " " + request.getAppId(), channel);
        link.send(Envelope.newBuilder().setChannelIssued(channel).build());
    }

    /** The writing end of one link; test threads and the link's reader thread both send. */
    private static final class Link {
        final Socket socket;
        private final OutputStream out;

        Link(Socket socket, OutputStream out) {
            this.socket = socket;
            this.out = out;
        }

        synchronized void send(Envelope envelope) throws IOException {
            envelope.writeDelimitedTo(out);
            out.flush();
        }

        synchronized void sendRaw(byte[] frame) throws IOException {
            out.write(frame);
            out.flush();
        }
    }
}
