package io.wakeline.simulator;

/**
 * Completes a {@link DeviceSimulator#request} whose device's link ended (or whose simulator closed) before the
 * answer arrived.
 */
public final class LinkLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LinkLostException(String message) {
        super(message);
    }
}
