package io.wakeline.broker.gateway.control;

import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.channel.ControlChannelTokenSealer;
import io.wakeline.broker.gateway.http.SealedUris;

/** A control channel's URI: {@code <public-base-url>/cc/<sealed token>} ({@link ControlChannelRoute}). */
public final class ControlChannelUris extends SealedUris<ControlChannelToken> {
    /** Path segment of the control-channel route. */
    public static final String PATH_SEGMENT = "cc";

    public ControlChannelUris(String publicBaseUrl, ControlChannelTokenSealer sealer) {
        super(publicBaseUrl, PATH_SEGMENT, sealer::seal);
    }
}
