package io.wakeline.broker.device;

import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.channel.WebPushSubscriptionToken;

/**
 * Builds what a device app hands its app server: a WNS channel URI, a Web Push endpoint (push resource), or a
 * control channel URI.
 */
public interface PushEndpoints {

    String channelUri(ChannelToken token);

    String webPushEndpoint(WebPushSubscriptionToken token);

    /** Where the app server sends guaranteed messages; "" from endpoints that have no control-channel route. */
    default String controlChannelUri(ControlChannelToken token) {
        return "";
    }
}
