package io.wakeline.loadtest;

import java.net.URI;

/**
 * The configuration a run actually used, as plain values for the report: app id and token URL as
 * resolved from the channel file when not given; the client secret is deliberately absent. {@code client}
 * is the HTTP client that actually sent ({@code netty} or {@code jdk}; absent in reports made before it existed).
 */
public record RunSettings(
        String channelsFile,
        int channelCount,
        String appId,
        String tokenUrl,
        String trustPem,
        HostnameVerification hostnameVerification,
        double ratePerSecond,
        double durationSeconds,
        double warmupSeconds,
        int payloadBytes,
        int connections,
        String httpVersion,
        int maxInFlight,
        boolean requestForStatus,
        long requestTimeoutMillis,
        long drainTimeoutMillis,
        String client) {

    private static final double MILLIS_PER_SECOND = 1_000.0;

    static RunSettings of(LoadTestConfig config, int channelCount, String appId, URI tokenUri) {
        return new RunSettings(config.channelsFile().toString(), channelCount, appId, tokenUri.toString(),
                config.trustPem().toString(), config.hostnameVerification(), config.ratePerSecond(),
                config.duration().toMillis() / MILLIS_PER_SECOND, config.warmup().toMillis() / MILLIS_PER_SECOND,
                config.payloadBytes(), config.connections(), config.httpVersion().name(), config.maxInFlight(),
                config.requestForStatus(), config.requestTimeout().toMillis(), config.drainTimeout().toMillis(),
                config.effectiveClient().flagValue());
    }
}
