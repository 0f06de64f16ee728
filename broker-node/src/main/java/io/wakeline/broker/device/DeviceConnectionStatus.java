package io.wakeline.broker.device;

/** {@code X-WNS-DeviceConnectionStatus} values (wns-spec 3.1). */
public enum DeviceConnectionStatus {
    CONNECTED("connected"),
    DISCONNECTED("disconnected"),
    TEMP_DISCONNECTED("tempdisconnected");

    private final String headerValue;

    DeviceConnectionStatus(String headerValue) {
        this.headerValue = headerValue;
    }

    public String headerValue() {
        return headerValue;
    }
}
