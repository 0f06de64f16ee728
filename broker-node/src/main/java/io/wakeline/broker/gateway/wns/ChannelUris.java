package io.wakeline.broker.gateway.wns;

import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ChannelTokenSealer;
import io.wakeline.broker.gateway.http.SealedUris;

/** The channel URI an app server sends to: {@code <public-base-url>/w/<sealed token>} ({@link WnsSendRoute}). */
public final class ChannelUris extends SealedUris<ChannelToken> {
    /** Path segment of the send route. */
    public static final String SEND_PATH_SEGMENT = "w";

    public ChannelUris(String publicBaseUrl, ChannelTokenSealer sealer) {
        super(publicBaseUrl, SEND_PATH_SEGMENT, sealer::seal);
    }
}
