package io.wakeline.simulator;

import io.wakeline.protocol.v1.Envelope;

/**
 * Sees every frame a simulated device receives except Pong, in arrival order, before the device reacts to
 * it (handshake frames included).
 *
 * <p>Called on the simulator's selector thread: return quickly and never block, or every device stalls with
 * it. An exception thrown here is logged and the device handles the frame as usual.
 */
@FunctionalInterface
public interface FrameListener {

    FrameListener IGNORE = (deviceId, envelope) -> { };

    void onFrame(String deviceId, Envelope envelope);
}
