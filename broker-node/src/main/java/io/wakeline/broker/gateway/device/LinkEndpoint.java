package io.wakeline.broker.gateway.device;

import io.wakeline.broker.device.policy.DeviceNotification;

/** The part of a live device link that its node's link registry drives. Implemented by {@link DeviceSession}. */
public interface LinkEndpoint {

    /** Writes a notification to the device if the link can take it; best effort. */
    void deliver(LinkRegistry.Deliver delivery);

    /** Raises a system trigger on the device (lock screen added/removed, control channel reset). */
    void notify(DeviceNotification notification);

    /** Writes a Web Push message to the device if the link can take it; best effort. */
    void deliverWebPush(LinkRegistry.DeliverWebPush delivery);

    /** A newer link for the same device took over: tell the device and close. */
    void replaced();

    /**
     * The device entity this link is attached to stopped (its node died, or its shard moved to another node): attach
     * the link again, which starts the entity wherever its shard now lives and hands it the link.
     */
    void entityStopped();
}
