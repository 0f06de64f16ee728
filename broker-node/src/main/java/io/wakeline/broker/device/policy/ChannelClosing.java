package io.wakeline.broker.device.policy;

import java.util.List;

/** Outcome of {@code ControlChannelTrigger.Close()} (wns-spec 7.6). */
public sealed interface ChannelClosing extends PolicyDecision {

    /** The slot is free. */
    record Closed(List<DevicePolicyEvent> events) implements ChannelClosing {
        public Closed {
            events = List.copyOf(events);
        }
    }

    /** No such open channel; nothing changes. */
    record UnknownChannel() implements ChannelClosing {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }
}
