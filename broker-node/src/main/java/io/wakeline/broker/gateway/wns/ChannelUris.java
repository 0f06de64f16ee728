package io.wakeline.broker.gateway.wns;

import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ChannelTokenSealer;

/**
 * Builds the channel URI an app server sends to: {@code <public-base-url>/w/<sealed token>}. The device
 * side calls it when it issues a channel; the send route opens the same token without a lookup.
 */
public final class ChannelUris {
    /** Path segment of the send route, shared with {@link WnsSendRoute}. */
    public static final String SEND_PATH_SEGMENT = "w";

    private final String prefix;
    private final ChannelTokenSealer sealer;

    public ChannelUris(String publicBaseUrl, ChannelTokenSealer sealer) {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        this.prefix = base + "/" + SEND_PATH_SEGMENT + "/";
        this.sealer = sealer;
    }

    public String uriFor(ChannelToken token) {
        // base64url needs no percent-encoding in a path segment
        return prefix + sealer.seal(token);
    }
}
