package io.wakeline.broker.device.push;

/** When a push for a connected device goes out (wns-spec 4.17). */
public enum DeliveryDecision {
    /** Send it on the link now. */
    DeliverNow,
    /** Keep it for the next batch: sent when the batch interval elapses, or earlier if power allows. */
    Batch,
    /** Keep it until the power state allows immediate delivery (screen on, plugged in, battery saver off). */
    Hold
}
