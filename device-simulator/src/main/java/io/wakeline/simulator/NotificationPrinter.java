package io.wakeline.simulator;

import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.WebPushNotification;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --print-notifications N}: prints the first N notifications the devices receive, one line each, with the
 * payload as text (Web Push payloads decrypted with the keys of the script's subscriptions), so a newcomer sees
 * a push arrive. Runs on the selector thread: the work is bounded by N.
 */
final class NotificationPrinter implements NotificationListener {
    private static final int MAX_PAYLOAD_CHARS = 200;

    private final SimulatorConsole console;
    private final int limit;
    private final Map<String, WebPushKeys> keysBySubscription;
    private final AtomicInteger printed = new AtomicInteger();

    NotificationPrinter(SimulatorConsole console, int limit, Map<String, WebPushKeys> keysBySubscription) {
        this.console = console;
        this.limit = limit;
        this.keysBySubscription = keysBySubscription;
    }

    @Override
    public void onNotification(String deviceId, Notification notification) {
        if (take()) {
            console.line(deviceId + " received " + notification.getType() + " for " + notification.getAppId()
                    + " (" + notification.getRawDelivery() + "): " + text(notification.getPayload().toByteArray()));
        }
    }

    @Override
    public void onControlMessage(String deviceId, Notification notification) {
        if (take()) {
            console.line(deviceId + " received control message " + notification.getSequence() + " on "
                    + notification.getAppId() + " " + notification.getControlChannelId() + ": "
                    + text(notification.getPayload().toByteArray()));
        }
    }

    @Override
    public void onWebPush(String deviceId, WebPushNotification message) {
        if (!take()) {
            return;
        }
        String shown;
        WebPushKeys keys = keysBySubscription.get(message.getSubscriptionId());
        if (message.getPayload().isEmpty()) {
            shown = "(no payload)";
        } else if (keys == null || !message.getContentEncoding().equals("aes128gcm")) {
            shown = "(" + message.getPayload().size() + " encrypted bytes, " + message.getContentEncoding() + ")";
        } else {
            try {
                shown = text(keys.decrypt(message.getPayload().toByteArray())) + " (decrypted)";
            } catch (IllegalArgumentException e) {
                shown = "(cannot decrypt: " + e.getMessage() + ")";
            }
        }
        console.line(deviceId + " received web push for " + message.getAppId() + ": " + shown);
    }

    private boolean take() {
        int count = printed.incrementAndGet();
        if (count == limit + 1) {
            console.line("(" + limit + " notifications printed; the rest are only counted)");
        }
        return count <= limit;
    }

    /** UTF-8 text as is (shortened), anything else as its length. */
    private static String text(byte[] payload) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
            if (text.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                return "(" + payload.length + " bytes)";
            }
            return text.length() > MAX_PAYLOAD_CHARS ? text.substring(0, MAX_PAYLOAD_CHARS) + "..." : text;
        } catch (CharacterCodingException e) {
            return "(" + payload.length + " bytes)";
        }
    }
}
