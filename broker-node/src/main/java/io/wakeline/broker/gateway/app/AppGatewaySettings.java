package io.wakeline.broker.gateway.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.wakeline.broker.gateway.ratelimit.SendLimits;
import io.wakeline.broker.gateway.webpush.WebPushSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * {@code wakeline.app-gateway} (every key documented in reference.conf).
 *
 * @param publicBaseUrl  scheme://host[:port] that channel URIs start with; no trailing slash
 * @param debugTrace     the {@code X-WNS-Debug-Trace} value naming this node; empty = derive from the cluster address
 * @param deviceAskTimeout how long an app server's request waits for the device's entity (the ask through cluster
 *                       sharding) before it is answered 503; the only timeout on that hop
 * @param retryAfter     the {@code Retry-After} of a 503
 * @param bodyTimeout    how long reading a request body may take
 * @param accessTokenTtl lifetime of an issued access token (wns-spec 1.11)
 * @param maxFormBytes   largest token-endpoint or admin request body
 * @param drainLimit     bytes of an oversized body still read (and discarded) so its 413 arrives cleanly
 * @param limits         sender and channel rates, sends in flight
 * @param webPush        the Web Push endpoint's settings
 */
public record AppGatewaySettings(
        String host,
        int port,
        String publicBaseUrl,
        String debugTrace,
        Duration deviceAskTimeout,
        Duration retryAfter,
        Duration bodyTimeout,
        Duration accessTokenTtl,
        int maxFormBytes,
        long drainLimit,
        TlsSettings tls,
        SendLimits limits,
        WebPushSettings webPush) {

    public static final String PATH = "wakeline.app-gateway";

    public static AppGatewaySettings fromConfig(Config root) {
        Config c = root.getConfig(PATH);
        int port = c.getInt("port");
        String configuredBase = c.getString("public-base-url").trim();
        String base = configuredBase.isEmpty() ? "https://localhost:" + port : stripTrailingSlash(configuredBase);
        String publicHost = hostOf(base);
        return new AppGatewaySettings(
                c.getString("host"),
                port,
                base,
                c.getString("debug-trace"),
                c.getDuration("device-ask-timeout"),
                c.getDuration("retry-after"),
                c.getDuration("body-timeout"),
                c.getDuration("access-token-ttl"),
                c.getBytes("max-form-bytes").intValue(),
                c.getBytes("oversize-drain-limit"),
                TlsSettings.fromConfig(root, publicHost),
                SendLimits.fromConfig(c.getConfig("limits")),
                WebPushSettings.fromConfig(c.getConfig("web-push")));
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String hostOf(String baseUrl) {
        try {
            URI uri = new URI(baseUrl);
            if (uri.getHost() == null || !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new ConfigException.BadValue(PATH + ".public-base-url", "must be https://host[:port]");
            }
            String host = uri.getHost();
            return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        } catch (URISyntaxException e) {
            throw new ConfigException.BadValue(PATH + ".public-base-url", e.getMessage());
        }
    }
}
