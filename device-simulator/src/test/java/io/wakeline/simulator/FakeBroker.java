package io.wakeline.simulator;

import com.google.protobuf.ByteString;
import io.wakeline.protocol.DeviceCredentials;
import io.wakeline.protocol.LinkProtocol;
import io.wakeline.protocol.v1.BackgroundAccessStatus;
import io.wakeline.protocol.v1.BackgroundTaskAnswer;
import io.wakeline.protocol.v1.BackgroundTaskRequest;
import io.wakeline.protocol.v1.BackgroundTaskVerdict;
import io.wakeline.protocol.v1.ChannelIssued;
import io.wakeline.protocol.v1.ChannelRequest;
import io.wakeline.protocol.v1.Challenge;
import io.wakeline.protocol.v1.ControlChannelOperation;
import io.wakeline.protocol.v1.ControlChannelRequest;
import io.wakeline.protocol.v1.ControlChannelResourceType;
import io.wakeline.protocol.v1.ControlChannelStatus;
import io.wakeline.protocol.v1.ControlChannelTriggerStatus;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.Error;
import io.wakeline.protocol.v1.ErrorCode;
import io.wakeline.protocol.v1.GoAway;
import io.wakeline.protocol.v1.GoAwayReason;
import io.wakeline.protocol.v1.Hello;
import io.wakeline.protocol.v1.LockScreenConsentAnswer;
import io.wakeline.protocol.v1.LockScreenRequest;
import io.wakeline.protocol.v1.LockScreenStatus;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.Ping;
import io.wakeline.protocol.v1.Pong;
import io.wakeline.protocol.v1.RawDelivery;
import io.wakeline.protocol.v1.SystemTrigger;
import io.wakeline.protocol.v1.SystemTriggerType;
import io.wakeline.protocol.v1.TriggerKind;
import io.wakeline.protocol.v1.TriggerRegistration;
import io.wakeline.protocol.v1.TriggerRegistrationStatus;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A broker just good enough to drive the simulator: blocking sockets, one thread per link, the handshake
 * with a real challenge and proof check, channels for known apps, and hooks to push notifications, pings,
 * GoAways and raw frames or to drop a link.
 *
 * <p>It mimics the device-model answers of the real broker closely enough for the simulator's tests: a
 * lock-screen request gets a consent prompt the first time and the decided status after; a consent answer
 * decides (ALLOW: always-on real-time connectivity with connected-standby network hardware, else active
 * only); trigger registrations are accepted for lock-screen apps (maintenance for any app) with a freshness
 * of at least 15 min; control channels get a hardware slot when asked for one on capable hardware, else a
 * software slot; background-task requests get the verdicts queued with {@link #queueTaskVerdicts}, then RUN.
 * It records every frame a device sends after Welcome.
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
    private final Map<String, Hello> hellos = new ConcurrentHashMap<>();
    private final Map<String, List<Envelope>> framesFrom = new ConcurrentHashMap<>();
    /** Lock-screen decisions by "device app"; absent: never asked, the next request prompts. */
    private final Map<String, BackgroundAccessStatus> lockScreen = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<BackgroundTaskVerdict> taskVerdicts = new ConcurrentLinkedQueue<>();

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

    long sendRaw(String deviceId, String appId, RawDelivery delivery, byte[] payload) throws IOException {
        long deliveryId = nextDeliveryId.getAndIncrement();
        send(deviceId, Envelope.newBuilder().setNotification(Notification.newBuilder()
                .setDeliveryId(deliveryId)
                .setAppId(appId)
                .setType(NotificationType.RAW)
                .setPayload(ByteString.copyFrom(payload))
                .setMessageId("msg-" + deliveryId)
                .setChannelId("ch-of-" + deviceId)
                .setSentAtMillis(System.currentTimeMillis())
                .setRawDelivery(delivery)).build());
        return deliveryId;
    }

    void sendSystemTrigger(String deviceId, SystemTrigger trigger) throws IOException {
        send(deviceId, Envelope.newBuilder().setSystemTrigger(trigger).build());
    }

    void send(String deviceId, Envelope envelope) throws IOException {
        link(deviceId).send(envelope);
    }

    /** The next background-task requests get these verdicts, in order; RUN once they are used up. */
    void queueTaskVerdicts(BackgroundTaskVerdict... verdicts) {
        taskVerdicts.addAll(List.of(verdicts));
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

    /** The Hello of the device's latest link, or null. */
    Hello hello(String deviceId) {
        return hellos.get(deviceId);
    }

    /** Every frame the device sent after a Welcome, over all its links, in order. */
    List<Envelope> framesFrom(String deviceId) {
        return List.copyOf(framesFrom.getOrDefault(deviceId, List.of()));
    }

    List<Envelope> framesFrom(String deviceId, Envelope.BodyCase body) {
        return framesFrom(deviceId).stream().filter(frame -> frame.getBodyCase() == body).toList();
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
            hellos.put(deviceId, hello.getHello());
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
        framesFrom.computeIfAbsent(deviceId, id -> new CopyOnWriteArrayList<>()).add(envelope);
        switch (envelope.getBodyCase()) {
            case CHANNEL_REQUEST -> onChannelRequest(deviceId, link, envelope.getChannelRequest());
            case PING -> {
                link.send(Envelope.newBuilder().setPong(Pong.newBuilder().setNonce(envelope.getPing().getNonce())).build());
                // counted once the Pong is out, so a test that saw the count knows the Pong precedes what it sends next
                pings.computeIfAbsent(deviceId, id -> new AtomicInteger()).incrementAndGet();
            }
            case PONG -> pongs.computeIfAbsent(deviceId, id -> ConcurrentHashMap.newKeySet()).add(envelope.getPong().getNonce());
            case ACK -> acked.computeIfAbsent(deviceId, id -> ConcurrentHashMap.newKeySet()).addAll(envelope.getAck().getDeliveryIdsList());
            case ERROR -> errorsFromDevices.add(envelope.getError());
            case LOCK_SCREEN_REQUEST -> onLockScreenRequest(deviceId, link, envelope.getLockScreenRequest());
            case LOCK_SCREEN_CONSENT -> onConsent(deviceId, link, envelope.getLockScreenConsent());
            case TRIGGER_REGISTRATION -> onTriggerRegistration(deviceId, link, envelope.getTriggerRegistration());
            case CONTROL_CHANNEL_REQUEST -> onControlChannelRequest(deviceId, link, envelope.getControlChannelRequest());
            case BACKGROUND_TASK_REQUEST -> onTaskRequest(link, envelope.getBackgroundTaskRequest());
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

    private void onLockScreenRequest(String deviceId, Link link, LockScreenRequest request) throws IOException {
        BackgroundAccessStatus decided = lockScreen.get(deviceId + " " + request.getAppId());
        link.send(Envelope.newBuilder().setLockScreenStatus(LockScreenStatus.newBuilder()
                .setRequestId(request.getRequestId())
                .setAppId(request.getAppId())
                .setStatus(decided == null ? BackgroundAccessStatus.BACKGROUND_ACCESS_UNSPECIFIED : decided)
                .setShowConsentPrompt(decided == null)).build());
    }

    private void onConsent(String deviceId, Link link, LockScreenConsentAnswer answer) throws IOException {
        boolean alwaysOn = hellos.get(deviceId).getCapabilities().getNetworkConnectedStandby();
        BackgroundAccessStatus status = switch (answer.getConsent()) {
            case CONSENT_ALLOW -> alwaysOn ? BackgroundAccessStatus.ALLOWED_WITH_ALWAYS_ON_REAL_TIME_CONNECTIVITY
                    : BackgroundAccessStatus.ALLOWED_MAY_USE_ACTIVE_REAL_TIME_CONNECTIVITY;
            case CONSENT_DONT_ALLOW -> BackgroundAccessStatus.DENIED;
            default -> BackgroundAccessStatus.BACKGROUND_ACCESS_UNSPECIFIED;
        };
        lockScreen.put(deviceId + " " + answer.getAppId(), status);
        link.send(Envelope.newBuilder().setLockScreenStatus(LockScreenStatus.newBuilder()
                .setRequestId(answer.getRequestId())
                .setAppId(answer.getAppId())
                .setStatus(status)).build());
    }

    /** As if the user added the app in PC settings: decided, and the device is told. */
    void addToLockScreen(String deviceId, String appId) throws IOException {
        lockScreen.put(deviceId + " " + appId, BackgroundAccessStatus.ALLOWED_MAY_USE_ACTIVE_REAL_TIME_CONNECTIVITY);
        sendSystemTrigger(deviceId, SystemTrigger.newBuilder()
                .setAppId(appId)
                .setTrigger(SystemTriggerType.LOCK_SCREEN_APPLICATION_ADDED).build());
    }

    private boolean onLockScreen(String deviceId, String appId) {
        BackgroundAccessStatus status = lockScreen.get(deviceId + " " + appId);
        return status == BackgroundAccessStatus.ALLOWED_WITH_ALWAYS_ON_REAL_TIME_CONNECTIVITY
                || status == BackgroundAccessStatus.ALLOWED_MAY_USE_ACTIVE_REAL_TIME_CONNECTIVITY;
    }

    private void onTriggerRegistration(String deviceId, Link link, TriggerRegistration registration) throws IOException {
        String rejection = "";
        boolean timed = registration.getTrigger() == TriggerKind.TIME_TRIGGER
                || registration.getTrigger() == TriggerKind.MAINTENANCE_TRIGGER;
        if (timed && registration.getFreshnessMinutes() < 15) {
            rejection = "freshness below 15 minutes";
        } else if (registration.getTrigger() != TriggerKind.MAINTENANCE_TRIGGER
                && !onLockScreen(deviceId, registration.getAppId())) {
            rejection = "not on the lock screen";
        }
        link.send(Envelope.newBuilder().setTriggerRegistrationStatus(TriggerRegistrationStatus.newBuilder()
                .setRequestId(registration.getRequestId())
                .setAppId(registration.getAppId())
                .setAccepted(rejection.isEmpty())
                .setRejection(rejection)).build());
    }

    private void onControlChannelRequest(String deviceId, Link link, ControlChannelRequest request) throws IOException {
        ControlChannelStatus.Builder status = ControlChannelStatus.newBuilder()
                .setRequestId(request.getRequestId())
                .setAppId(request.getAppId())
                .setChannelId(request.getChannelId());
        if (request.getOperation() == ControlChannelOperation.CLOSE) {
            status.setClosed(true);
        } else if (request.getServerKeepAliveMinutes() < 15 || request.getServerKeepAliveMinutes() > 1439) {
            status.setRejection("server keep-alive out of 15..1439");
        } else {
            boolean hardware = request.getResourceType() == ControlChannelResourceType.REQUEST_HARDWARE_SLOT
                    && hellos.get(deviceId).getCapabilities().getNetworkConnectedStandby();
            status.setStatus(hardware ? ControlChannelTriggerStatus.HARDWARE_SLOT_ALLOCATED
                    : ControlChannelTriggerStatus.SOFTWARE_SLOT_ALLOCATED);
        }
        link.send(Envelope.newBuilder().setControlChannelStatus(status).build());
    }

    private void onTaskRequest(Link link, BackgroundTaskRequest request) throws IOException {
        BackgroundTaskVerdict verdict = taskVerdicts.poll();
        link.send(Envelope.newBuilder().setBackgroundTaskAnswer(BackgroundTaskAnswer.newBuilder()
                .setRequestId(request.getRequestId())
                .setAppId(request.getAppId())
                .setVerdict(verdict == null ? BackgroundTaskVerdict.RUN : verdict)).build());
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
