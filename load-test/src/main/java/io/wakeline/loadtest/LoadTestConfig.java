package io.wakeline.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one load-test run needs. Build with {@link #builder()}; the compact constructor rejects
 * values that would make the run unbounded or meaningless.
 *
 * @param channelsFile         the device simulator's JSON-lines channel file
 * @param appId                package SID whose channels to drive; empty = the only app in the file
 * @param clientSecret         the app's client secret for the token endpoint (never printed)
 * @param tokenUri             token endpoint; empty = first channel URI's origin + {@code /accesstoken.srf}
 * @param trustPem             PEM file with the certificate(s) to trust, and only those
 * @param hostnameVerification whether the certificate must also name the host dialled
 * @param ratePerSecond        open-loop send rate, notifications per second
 * @param duration             measured phase; the run is warm-up + this, then a bounded drain
 * @param warmup               phase before measuring whose sends are counted apart (may be zero)
 * @param payloadBytes         raw payload size; see {@link PayloadLayout} for its contents
 * @param connections          HTTP/2 connections per origin used round-robin ({@code --client jdk}: JDK clients,
 *                             each with its own connections)
 * @param httpVersion          preferred HTTP version; HTTP/2 is negotiated by ALPN, else (JDK client) HTTP/1.1 is used
 * @param maxInFlight          bound on outstanding sends; a send due while at the bound is skipped, not queued
 * @param requestForStatus     adds {@code X-WNS-RequestForStatus: true}
 * @param requestTimeout       per-request timeout (token and send)
 * @param drainTimeout         how long to wait for outstanding answers after the last send
 * @param commandLine          how the run was invoked, echoed in the report (secrets already redacted)
 * @param scenario             what to drive: raw WNS notifications (default) or guaranteed control messages
 * @param controlTtl           {@code X-Wakeline-TTL} of each control message (control scenario only)
 * @param client               which HTTP client sends the scenario's requests; HTTP/1.1 always uses the JDK's
 */
public record LoadTestConfig(
        Path channelsFile,
        Optional<String> appId,
        String clientSecret,
        Optional<URI> tokenUri,
        Path trustPem,
        HostnameVerification hostnameVerification,
        double ratePerSecond,
        Duration duration,
        Duration warmup,
        int payloadBytes,
        int connections,
        HttpClient.Version httpVersion,
        int maxInFlight,
        boolean requestForStatus,
        Duration requestTimeout,
        Duration drainTimeout,
        List<String> commandLine,
        Scenario scenario,
        Duration controlTtl,
        ClientKind client) {

    public static final double DEFAULT_RATE_PER_SECOND = 100;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    public static final int DEFAULT_PAYLOAD_BYTES = 100;
    public static final int DEFAULT_CONNECTIONS = 1;
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONTROL_TTL = Duration.ofSeconds(60);

    /** Which traffic a run generates. */
    public enum Scenario {
        /** Raw WNS notifications to {@code /w/…} channel URIs. */
        RAW,
        /** Guaranteed control messages to {@code /cc/…} URIs, with their receipts read from {@code GET /events}. */
        CONTROL
    }

    /** A token lives 24 h (wns-spec 1.11); a longer run is a soak test, not this tool's job. */
    public static final Duration MAX_RUN = Duration.ofHours(24);
    /** Above this the scheduler's sub-10 µs intervals are noise on the machines we run on. */
    public static final double MAX_RATE_PER_SECOND = 100_000;
    /** Larger than WNS's 5000-byte limit on purpose, so 413 handling can be exercised; bounded for memory. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;
    public static final int MAX_CONNECTIONS = 256;
    /** Over HTTP/1.1 every outstanding send is a socket; stay well under the 20 000 open-files limit. */
    public static final int MAX_IN_FLIGHT = 10_000;

    public LoadTestConfig {
        Objects.requireNonNull(channelsFile, "channelsFile");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(tokenUri, "tokenUri");
        Objects.requireNonNull(trustPem, "trustPem");
        Objects.requireNonNull(hostnameVerification, "hostnameVerification");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(httpVersion, "httpVersion");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        commandLine = List.copyOf(commandLine);
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(controlTtl, "controlTtl");
        Objects.requireNonNull(client, "client");
        require(controlTtl.toSeconds() >= 1, "control TTL must be at least 1 s, got " + controlTtl);
        require(!clientSecret.isEmpty(), "client secret must not be empty");
        require(ratePerSecond > 0 && ratePerSecond <= MAX_RATE_PER_SECOND,
                "rate must be in (0, " + MAX_RATE_PER_SECOND + "], got " + ratePerSecond);
        require(duration.compareTo(Duration.ZERO) > 0, "duration must be positive, got " + duration);
        require(!warmup.isNegative(), "warm-up must not be negative, got " + warmup);
        require(duration.plus(warmup).compareTo(MAX_RUN) <= 0, "warm-up + duration must not exceed " + MAX_RUN);
        require(payloadBytes >= PayloadLayout.STAMP_BYTES && payloadBytes <= MAX_PAYLOAD_BYTES,
                "payload bytes must be in [" + PayloadLayout.STAMP_BYTES + ", " + MAX_PAYLOAD_BYTES + "], got "
                        + payloadBytes);
        require(connections >= 1 && connections <= MAX_CONNECTIONS,
                "connections must be in [1, " + MAX_CONNECTIONS + "], got " + connections);
        require(maxInFlight >= 1 && maxInFlight <= MAX_IN_FLIGHT,
                "max in flight must be in [1, " + MAX_IN_FLIGHT + "], got " + maxInFlight);
        require(requestTimeout.compareTo(Duration.ZERO) > 0, "request timeout must be positive");
        require(!drainTimeout.isNegative(), "drain timeout must not be negative");
        require(duration.plus(warmup).plus(drainTimeout).compareTo(MAX_RUN) <= 0,
                "warm-up + duration + drain must not exceed " + MAX_RUN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The client that actually sends: the Netty client speaks only HTTP/2, so HTTP/1.1 runs use the JDK's. */
    public ClientKind effectiveClient() {
        return httpVersion == HttpClient.Version.HTTP_1_1 ? ClientKind.JDK : client;
    }

    /** Keeps the client secret out of logs and stack traces. */
    @Override
    public String toString() {
        return "LoadTestConfig[channelsFile=" + channelsFile + ", appId=" + appId + ", clientSecret=<redacted>"
                + ", tokenUri=" + tokenUri + ", trustPem=" + trustPem + ", hostnameVerification=" + hostnameVerification
                + ", ratePerSecond=" + ratePerSecond + ", duration=" + duration + ", warmup=" + warmup
                + ", payloadBytes=" + payloadBytes + ", connections=" + connections + ", httpVersion=" + httpVersion
                + ", maxInFlight=" + maxInFlight + ", requestForStatus=" + requestForStatus
                + ", requestTimeout=" + requestTimeout + ", drainTimeout=" + drainTimeout
                + ", commandLine=" + commandLine + ", scenario=" + scenario + ", controlTtl=" + controlTtl
                + ", client=" + client + "]";
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Defaults as documented on the constants above; channels file, client secret and trust PEM are required. */
    public static final class Builder {

        private Path channelsFile;
        private String appId;
        private String clientSecret;
        private URI tokenUri;
        private Path trustPem;
        private HostnameVerification hostnameVerification = HostnameVerification.VERIFY;
        private double ratePerSecond = DEFAULT_RATE_PER_SECOND;
        private Duration duration = DEFAULT_DURATION;
        private Duration warmup = Duration.ZERO;
        private int payloadBytes = DEFAULT_PAYLOAD_BYTES;
        private int connections = DEFAULT_CONNECTIONS;
        private HttpClient.Version httpVersion = HttpClient.Version.HTTP_2;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private boolean requestForStatus;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private List<String> commandLine = List.of();
        private Scenario scenario = Scenario.RAW;
        private Duration controlTtl = DEFAULT_CONTROL_TTL;
        private ClientKind client = ClientKind.NETTY;

        private Builder() {
        }

        public Builder channelsFile(Path channelsFile) {
            this.channelsFile = channelsFile;
            return this;
        }

        public Builder appId(String appId) {
            this.appId = appId;
            return this;
        }

        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        public Builder tokenUri(URI tokenUri) {
            this.tokenUri = tokenUri;
            return this;
        }

        public Builder trustPem(Path trustPem) {
            this.trustPem = trustPem;
            return this;
        }

        public Builder hostnameVerification(HostnameVerification hostnameVerification) {
            this.hostnameVerification = hostnameVerification;
            return this;
        }

        public Builder ratePerSecond(double ratePerSecond) {
            this.ratePerSecond = ratePerSecond;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Builder warmup(Duration warmup) {
            this.warmup = warmup;
            return this;
        }

        public Builder payloadBytes(int payloadBytes) {
            this.payloadBytes = payloadBytes;
            return this;
        }

        public Builder connections(int connections) {
            this.connections = connections;
            return this;
        }

        public Builder httpVersion(HttpClient.Version httpVersion) {
            this.httpVersion = httpVersion;
            return this;
        }

        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Builder requestForStatus(boolean requestForStatus) {
            this.requestForStatus = requestForStatus;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        public Builder scenario(Scenario scenario) {
            this.scenario = scenario;
            return this;
        }

        public Builder controlTtl(Duration controlTtl) {
            this.controlTtl = controlTtl;
            return this;
        }

        public Builder client(ClientKind client) {
            this.client = client;
            return this;
        }

        public Builder commandLine(List<String> commandLine) {
            this.commandLine = commandLine;
            return this;
        }

        /** @throws IllegalArgumentException naming the first value out of range */
        public LoadTestConfig build() {
            require(channelsFile != null, "channels file is required");
            require(clientSecret != null, "client secret is required");
            require(trustPem != null, "trust PEM is required");
            return new LoadTestConfig(channelsFile, Optional.ofNullable(appId), clientSecret,
                    Optional.ofNullable(tokenUri), trustPem, hostnameVerification, ratePerSecond, duration, warmup,
                    payloadBytes, connections, httpVersion, maxInFlight, requestForStatus, requestTimeout,
                    drainTimeout, commandLine, scenario, controlTtl, client);
        }
    }
}
