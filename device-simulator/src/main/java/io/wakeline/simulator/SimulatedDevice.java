package io.wakeline.simulator;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * The whole state of one simulated device, touched by the selector thread only.
 *
 * <p>Deliberately small, because a simulator process holds up to ~19k of these: no buffers while the
 * link is quiet (the selector thread shares one read and one write buffer among all devices), only the
 * leftover bytes of an incomplete frame or of a write the socket did not take.
 */
final class SimulatedDevice {
    final String id;

    LinkState state = LinkState.QUEUED;
    SocketChannel channel;
    SelectionKey key;
    /** Bytes of a frame that has only partly arrived; null while none is pending. */
    byte[] partialFrame;
    /** Encoded frames the socket has not accepted yet; null while none is pending. */
    byte[] unsent;

    /** Generation of this device's one pending timer; queued timers of older generations are stale. */
    int timerGeneration;

    /** Position of the broker listener this device connects to (SimulatorConfig.gateways). */
    byte gateway;

    /** Connection attempts that failed since the last Welcome: drives the backoff. */
    int failedAttempts;
    /** Whether this device has ever tried to connect: every later attempt counts as a reconnect. */
    boolean attemptedBefore;

    /** From the current link's Welcome. */
    int heartbeatMillis;
    int idleTimeoutMillis;
    long lastInboundNanos;

    /** Issued channels by app position; null until the first one arrives. */
    ChannelRecord[] channels;
    int channelCount;
    /** Set once the device held a channel for every configured app (or, with no apps, once it linked). */
    boolean hasEveryChannel;

    /** The Windows device model's state; null with the model off. */
    DeviceModelState model;
    /** Frames a test sent through this device that still wait for their answer; null while there are none. */
    List<ScriptedRequest> scriptedRequests;

    /**
     * Guaranteed control channels, by app id + "\n" + channel id: the highest sequence processed (what the device
     * acks, and how it drops redeliveries). Null until the first control message; kept across links, as a real
     * device keeps it across reconnects.
     */
    java.util.Map<String, Long> controlProcessed;
    /** Control acks to send with the next Ack flush: key as above → highest sequence processed. */
    java.util.Map<String, Long> controlAcksDue;

    SimulatedDevice(String id) {
        this.id = id;
    }
}
