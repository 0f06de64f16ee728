package io.wakeline.broker.gateway.webpush;

import io.wakeline.broker.channel.WebPushSubscriptionSealer;
import io.wakeline.broker.channel.WebPushSubscriptionToken;

/**
 * Builds Web Push endpoints (push resources, RFC 8030 §4): {@code <public-base-url>/wp/<sealed subscription>}.
 * The device side calls it when it creates a subscription; {@link WebPushRoute} opens the same token.
 */
public final class WebPushEndpoints {
    /** Path segment of the push resources, shared with {@link WebPushRoute}. */
    public static final String PUSH_PATH_SEGMENT = "wp";

    private final String prefix;
    private final WebPushSubscriptionSealer sealer;

    public WebPushEndpoints(String publicBaseUrl, WebPushSubscriptionSealer sealer) {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        this.prefix = base + "/" + PUSH_PATH_SEGMENT + "/";
        this.sealer = sealer;
    }

    public String endpointFor(WebPushSubscriptionToken token) {
        return prefix + sealer.seal(token);
    }
}
