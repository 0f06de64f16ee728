package io.wakeline.simulator;

import io.wakeline.protocol.LinkProtocol;
import io.wakeline.protocol.v1.DeviceCapabilities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to simulate: how many devices, where the broker is, how they authenticate, which apps ask for
 * channels, and how politely they (re)connect. Build with {@link #builder()}.
 *
 * @param gateways              the broker's device-link listeners (host and port), at least one; devices are
 *                              spread over them by position and move to another one after a failed or lost
 *                              link or a GoAway, so a cluster's surviving nodes take over a dead node's devices
 * @param deviceCount           number of simulated devices
 * @param deviceIdPrefix        device ids are {@code prefix + index}
 * @param firstIndex            index of the first device, so several simulator processes can share a prefix
 * @param fleetSecret           the fleet secret the broker derives device credentials from
 * @param appIds                package SIDs ({@code ms-app://S-1-15-2-...}); each device asks for a channel per app
 * @param sourceAddresses       local addresses to connect from, used round-robin (empty: the OS chooses); several
 *                              loopback addresses multiply the ephemeral ports available towards one broker port
 * @param connectRatePerSecond  most connection attempts started per second, first connects and reconnects alike
 * @param reconnectBackoffMin   first reconnect delay ceiling after a failure
 * @param reconnectBackoffMax   cap of the reconnect delay ceiling
 * @param channelFile           if not null, every issued channel is appended here as one JSON line
 * @param listener              sees every notification, on the selector thread
 * @param capabilities          what the devices report in Hello
 * @param clientAgent           Hello.client_agent
 * @param maxFrameBytes         largest frame body a device accepts from the broker
 * @param handshakeTimeout      a link not welcomed within this long is closed and retried with backoff
 * @param deviceModel           whether the devices play the Windows device model on their own
 * @param population            the fleet's make-up for the device model; with {@link DeviceModelMode#AUTOMATIC}
 *                              it also decides each device's Hello capabilities (and {@code capabilities} is unused)
 * @param seed                  makes the population's draws reproducible
 * @param frameListener         sees every inbound frame but Pong, on the selector thread
 * @param requestTimeout        how long {@link DeviceSimulator#request} waits for its answer
 * @param reportAppsInForeground with the device model off: after every Welcome, report each app
 *                              {@code FOREGROUND} (AppStateReport), so that the broker's Windows rules hand raw
 *                              notifications to the apps as foreground events (docs/protocol.md §14, "After Welcome");
 *                              counted in {@link SimulatorStats#foregroundReports()}. Off: the device sends no
 *                              device-model frame by itself and its apps' raw notifications follow the background
 *                              rules (dropped unless scripted otherwise). Ignored with the model on, which reports
 *                              its own app states
 */
public record SimulatorConfig(
        List<GatewayAddress> gateways,
        int deviceCount,
        String deviceIdPrefix,
        int firstIndex,
        byte[] fleetSecret,
        List<String> appIds,
        List<String> sourceAddresses,
        int connectRatePerSecond,
        Duration reconnectBackoffMin,
        Duration reconnectBackoffMax,
        Path channelFile,
        NotificationListener listener,
        DeviceCapabilities capabilities,
        String clientAgent,
        int maxFrameBytes,
        Duration handshakeTimeout,
        DeviceModelMode deviceModel,
        DevicePopulation population,
        long seed,
        FrameListener frameListener,
        Duration requestTimeout,
        boolean reportAppsInForeground) {

    /** A device remembers its gateway's position in one byte's worth of range. */
    public static final int MAX_GATEWAYS = 127;

    public SimulatorConfig {
        gateways = List.copyOf(gateways);
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("at least one gateway address is needed");
        }
        if (gateways.size() > MAX_GATEWAYS) {
            throw new IllegalArgumentException("at most " + MAX_GATEWAYS + " gateway addresses: " + gateways.size());
        }
        if (deviceCount < 1) {
            throw new IllegalArgumentException("deviceCount must be positive: " + deviceCount);
        }
        if (firstIndex < 0 || (long) firstIndex + deviceCount - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("device indexes must stay within 0.." + Integer.MAX_VALUE);
        }
        Objects.requireNonNull(deviceIdPrefix, "deviceIdPrefix");
        String lastId = deviceIdPrefix + (firstIndex + deviceCount - 1);
        if (!LinkProtocol.isValidDeviceId(lastId)) {
            throw new IllegalArgumentException("device ids like '" + lastId
                    + "' are not 1.." + LinkProtocol.MAX_DEVICE_ID_LENGTH + " characters of [A-Za-z0-9._:-]");
        }
        Objects.requireNonNull(fleetSecret, "fleetSecret");
        if (fleetSecret.length == 0) {
            throw new IllegalArgumentException("fleetSecret must not be empty");
        }
        fleetSecret = fleetSecret.clone();
        appIds = List.copyOf(appIds);
        if (appIds.stream().distinct().count() != appIds.size()) {
            throw new IllegalArgumentException("appIds must be distinct: " + appIds);
        }
        sourceAddresses = List.copyOf(sourceAddresses);
        if (connectRatePerSecond < 1) {
            throw new IllegalArgumentException("connectRatePerSecond must be positive: " + connectRatePerSecond);
        }
        new ReconnectBackoff(reconnectBackoffMin, reconnectBackoffMax); // validates the pair
        listener = listener == null ? NotificationListener.IGNORE : listener;
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(clientAgent, "clientAgent");
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
        Objects.requireNonNull(deviceModel, "deviceModel");
        Objects.requireNonNull(population, "population");
        if (deviceModel == DeviceModelMode.AUTOMATIC && appIds.size() > DevicePopulation.MAX_APPS) {
            throw new IllegalArgumentException("the device model simulates at most " + DevicePopulation.MAX_APPS
                    + " apps per device: " + appIds.size());
        }
        frameListener = frameListener == null ? FrameListener.IGNORE : frameListener;
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
        }
    }

    /** This configuration with another notification listener. */
    public SimulatorConfig withListener(NotificationListener listener) {
        return new SimulatorConfig(gateways, deviceCount, deviceIdPrefix, firstIndex, fleetSecret, appIds, sourceAddresses,
                connectRatePerSecond, reconnectBackoffMin, reconnectBackoffMax, channelFile, listener, capabilities,
                clientAgent, maxFrameBytes, handshakeTimeout, deviceModel, population, seed, frameListener, requestTimeout,
                reportAppsInForeground);
    }

    /** The first gateway's host. */
    public String host() {
        return gateways.get(0).host();
    }

    /** The first gateway's port. */
    public int port() {
        return gateways.get(0).port();
    }

    /** A copy: the secret stays as configured whatever a caller does with the array. */
    @Override
    public byte[] fleetSecret() {
        return fleetSecret.clone();
    }

    /** The id of the device at position {@code position} (0-based) of this simulator. */
    public String deviceId(int position) {
        return deviceIdPrefix + (firstIndex + position);
    }

    /** The profile the device at {@code position} plays when the device model is on. */
    public DeviceProfile profile(int position) {
        return population.profile(seed, (long) firstIndex + position, appIds.size());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults: gateway 127.0.0.1 (the port must be set), one device {@code dev-0}, no apps, 1000 connects/s, backoff 1 s..60 s, device model
     * off (population {@link DevicePopulation#defaults()}, seed 1) with apps reported in the foreground after each
     * Welcome, request timeout 10 s.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private List<GatewayAddress> gateways;
        private int deviceCount = 1;
        private String deviceIdPrefix = "dev-";
        private int firstIndex;
        private byte[] fleetSecret;
        private List<String> appIds = List.of();
        private List<String> sourceAddresses = List.of();
        private int connectRatePerSecond = 1_000;
        private Duration reconnectBackoffMin = Duration.ofSeconds(1);
        private Duration reconnectBackoffMax = Duration.ofSeconds(60);
        private Path channelFile;
        private NotificationListener listener = NotificationListener.IGNORE;
        private DeviceCapabilities capabilities = DeviceCapabilities.newBuilder()
                .setChipsetConnectedStandby(true)
                .setNetworkConnectedStandby(true)
                .build();
        private String clientAgent = "wakeline-sim/0.1";
        private int maxFrameBytes = LinkProtocol.DEFAULT_MAX_FRAME_BYTES;
        private Duration handshakeTimeout = Duration.ofSeconds(15);
        private DeviceModelMode deviceModel = DeviceModelMode.OFF;
        private DevicePopulation population = DevicePopulation.defaults();
        private long seed = 1;
        private FrameListener frameListener = FrameListener.IGNORE;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private boolean reportAppsInForeground = true;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Several device-link listeners (e.g. one per cluster node); overrides {@link #host} and {@link #port}. */
        public Builder gateways(List<GatewayAddress> gateways) {
            this.gateways = gateways;
            return this;
        }

        public Builder deviceCount(int deviceCount) {
            this.deviceCount = deviceCount;
            return this;
        }

        public Builder deviceIdPrefix(String deviceIdPrefix) {
            this.deviceIdPrefix = deviceIdPrefix;
            return this;
        }

        public Builder firstIndex(int firstIndex) {
            this.firstIndex = firstIndex;
            return this;
        }

        public Builder fleetSecret(byte[] fleetSecret) {
            this.fleetSecret = fleetSecret;
            return this;
        }

        public Builder appIds(List<String> appIds) {
            this.appIds = appIds;
            return this;
        }

        /** IP address literals such as {@code 127.0.0.2}; an empty list lets the OS choose. */
        public Builder sourceAddresses(List<String> sourceAddresses) {
            this.sourceAddresses = sourceAddresses;
            return this;
        }

        public Builder connectRatePerSecond(int connectRatePerSecond) {
            this.connectRatePerSecond = connectRatePerSecond;
            return this;
        }

        public Builder reconnectBackoff(Duration min, Duration max) {
            this.reconnectBackoffMin = min;
            this.reconnectBackoffMax = max;
            return this;
        }

        /** Nullable: where to append one JSON line per issued channel; the file is truncated at start. */
        public Builder channelFile(Path channelFile) {
            this.channelFile = channelFile;
            return this;
        }

        public Builder listener(NotificationListener listener) {
            this.listener = listener;
            return this;
        }

        public Builder capabilities(DeviceCapabilities capabilities) {
            this.capabilities = capabilities;
            return this;
        }

        public Builder clientAgent(String clientAgent) {
            this.clientAgent = clientAgent;
            return this;
        }

        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
            return this;
        }

        public Builder deviceModel(DeviceModelMode deviceModel) {
            this.deviceModel = deviceModel;
            return this;
        }

        /** The population the device model draws from; does not switch the model on by itself. */
        public Builder population(DevicePopulation population) {
            this.population = population;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder frameListener(FrameListener frameListener) {
            this.frameListener = frameListener;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** See {@link SimulatorConfig#reportAppsInForeground()}; on by default. */
        public Builder reportAppsInForeground(boolean reportAppsInForeground) {
            this.reportAppsInForeground = reportAppsInForeground;
            return this;
        }

        public SimulatorConfig build() {
            List<GatewayAddress> listeners = gateways != null ? gateways : List.of(new GatewayAddress(host, port));
            return new SimulatorConfig(listeners, deviceCount, deviceIdPrefix, firstIndex, fleetSecret, appIds,
                    sourceAddresses, connectRatePerSecond, reconnectBackoffMin, reconnectBackoffMax, channelFile,
                    listener, capabilities, clientAgent, maxFrameBytes, handshakeTimeout, deviceModel, population,
                    seed, frameListener, requestTimeout, reportAppsInForeground);
        }
    }
}
