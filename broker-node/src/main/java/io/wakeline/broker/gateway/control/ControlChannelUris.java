package io.wakeline.broker.gateway.control;

import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.channel.ControlChannelTokenSealer;

/** Builds a control channel's URI: {@code <public-base-url>/cc/<sealed token>} ({@link ControlChannelRoute}). */
public final class ControlChannelUris {
    /** Path segment of the control-channel route. */
    public static final String PATH_SEGMENT = "cc";

    private final String prefix;
    private final ControlChannelTokenSealer sealer;

    public ControlChannelUris(String publicBaseUrl, ControlChannelTokenSealer sealer) {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        this.prefix = base + "/" + PATH_SEGMENT + "/";
        this.sealer = sealer;
    }

    public String uriFor(ControlChannelToken token) {
        return prefix + sealer.seal(token);
    }
}
