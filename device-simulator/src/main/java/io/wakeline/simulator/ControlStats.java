package io.wakeline.simulator;

/**
 * What the simulated devices did with guaranteed control-channel messages (docs/protocol.md §15).
 *
 * @param processed         messages handed to the app once each (the listener saw them): sequence above the
 *                          highest one processed on their channel
 * @param duplicatesDropped redeliveries of a sequence already processed (after a reconnect or broker restart): acked
 *                          again, not processed
 * @param outOfOrder        messages whose sequence skipped one or more numbers on their channel: an expired message
 *                          in between, or a delivery out of order
 * @param acksSent          ControlAck frames sent
 * @param keepAlivesSent    ControlKeepAlive frames sent
 */
public record ControlStats(long processed, long duplicatesDropped, long outOfOrder, long acksSent, long keepAlivesSent) {

    public String summary() {
        return "control processed=" + processed + " duplicates=" + duplicatesDropped + " outOfOrder=" + outOfOrder
                + " acks=" + acksSent + " keepAlives=" + keepAlivesSent;
    }
}
