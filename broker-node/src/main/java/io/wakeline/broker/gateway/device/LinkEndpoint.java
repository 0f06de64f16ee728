package io.wakeline.broker.gateway.device;

/** The part of a live device link that its node's link registry drives. Implemented by {@link DeviceSession}. */
public interface LinkEndpoint {

    /** Writes a notification to the device if the link can take it; best effort. */
    void deliver(LinkRegistry.Deliver delivery);

    /** Writes a Web Push message to the device if the link can take it; best effort. */
    void deliverWebPush(LinkRegistry.DeliverWebPush delivery);

    /** A newer link for the same device took over: tell the device and close. */
    void replaced();
}
