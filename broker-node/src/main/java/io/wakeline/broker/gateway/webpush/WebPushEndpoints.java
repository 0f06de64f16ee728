package io.wakeline.broker.gateway.webpush;

import io.wakeline.broker.channel.WebPushSubscriptionSealer;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.gateway.http.SealedUris;

/** Web Push endpoints (push resources, RFC 8030 §4): {@code <public-base-url>/wp/<sealed subscription>} ({@link WebPushRoute}). */
public final class WebPushEndpoints extends SealedUris<WebPushSubscriptionToken> {
    /** Path segment of the push resources. */
    public static final String PUSH_PATH_SEGMENT = "wp";

    public WebPushEndpoints(String publicBaseUrl, WebPushSubscriptionSealer sealer) {
        super(publicBaseUrl, PUSH_PATH_SEGMENT, sealer::seal);
    }
}
