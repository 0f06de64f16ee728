package io.wakeline.broker.device;

import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.WebPushSubscriptionToken;

/** Builds what a device app hands its app server: a WNS channel URI, or a Web Push endpoint (push resource). */
public interface PushEndpoints {

    String channelUri(ChannelToken token);

    String webPushEndpoint(WebPushSubscriptionToken token);
}
