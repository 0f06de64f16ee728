package io.wakeline.simulator;

import io.wakeline.protocol.v1.ErrorCode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of what the simulated fleet has done since it started. Gauges ({@code connected},
 * {@code linked}) are current values; everything else is a running total.
 *
 * @param devices               simulated devices, online or not
 * @param connected             devices with an established TCP connection right now (handshake done or not)
 * @param linked                devices whose handshake completed on their current link
 * @param handshakesCompleted   Welcome frames received
 * @param channelsIssued        ChannelIssued frames received
 * @param notificationsReceived Notification frames received
 * @param acksSent              delivery ids acknowledged (one Ack frame may carry several)
 * @param reconnects            connection attempts after each device's first
 * @param goAways               GoAway frames received
 * @param errorsReceived        Error frames received from the broker
 * @param errorsByCode          {@code errorsReceived} split by code; codes never received are absent
 * @param deviceModel           the Windows device model's totals
 * @param control               guaranteed control-channel messages: processed once, duplicates dropped, order
 * @param foregroundReports     AppStateReport{FOREGROUND} frames devices with the device model off sent by themselves
 *                              after a Welcome (one per app per link, {@link SimulatorConfig#reportAppsInForeground()})
 */
public record SimulatorStats(
        int devices,
        int connected,
        int linked,
        long handshakesCompleted,
        long channelsIssued,
        long notificationsReceived,
        long acksSent,
        long reconnects,
        long goAways,
        long errorsReceived,
        Map<ErrorCode, Long> errorsByCode,
        DeviceModelStats deviceModel,
        ControlStats control,
        long foregroundReports) {

    public SimulatorStats {
        // an EnumMap keeps the codes in protocol order for the summary line
        errorsByCode = errorsByCode.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(errorsByCode));
    }

    public long errors(ErrorCode code) {
        return errorsByCode.getOrDefault(code, 0L);
    }

    /** One line for a live console summary; the device model's part when it is on or had traffic. */
    public String summaryLine() {
        return "devices=" + devices
                + " connected=" + connected
                + " linked=" + linked
                + " handshakes=" + handshakesCompleted
                + " channels=" + channelsIssued
                + " received=" + notificationsReceived
                + " acked=" + acksSent
                + " reconnects=" + reconnects
                + " goaways=" + goAways
                + " errors=" + errorsReceived
                + (errorsByCode.isEmpty() ? "" : " " + errorsByCode)
                + (foregroundReports == 0 ? "" : " fg-reports=" + foregroundReports)
                + (deviceModel.mode() == DeviceModelMode.OFF && !deviceModel.anyTraffic()
                        ? "" : " | model " + deviceModel.summary())
                + (control.processed() == 0 && control.duplicatesDropped() == 0 ? "" : " | " + control.summary());
    }
}
