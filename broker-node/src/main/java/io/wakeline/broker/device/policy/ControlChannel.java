package io.wakeline.broker.device.policy;

import io.wakeline.broker.CborSerializable;

/** A registered {@code ControlChannelTrigger}: one app's channel and the slot it holds (wns-spec 7.3, 7.5). */
public record ControlChannel(String appId, String channelId, int serverKeepAliveIntervalInMinutes,
        ControlChannelSlot slot) implements CborSerializable {
}
