package io.wakeline.broker.gateway.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wakeline.broker.app.events.AppEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/** The SSE {@code event:} name and JSON {@code data} of an {@link AppEvent} (docs/app-server-api.md "Event stream"). */
public final class AppEventJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AppEventJson() {
    }

    public static String eventType(AppEvent event) {
        if (event instanceof AppEvent.MessageReceipt || event instanceof AppEvent.WebPushReceipt) {
            return "receipt";
        }
        return event instanceof AppEvent.UpstreamMessage ? "upstream" : "channel-state";
    }

    /**
     * Written with Jackson's streaming generator: three receipts per guaranteed message pass through here, and a tree
     * per event cost twice the CPU.
     */
    public static String data(AppEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            if (event instanceof AppEvent.WebPushReceipt w) {
                // docs/app-server-api.md "Receipts": the message resource and its RFC 8030 status; no device or
                // subscription ids (RFC 8030 §8: nothing that correlates subscriptions)
                json.writeStringField("message", w.messageResource());
                json.writeNumberField("status", w.fate().httpStatus());
                json.writeStringField("fate", w.fate().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            } else {
                json.writeStringField("deviceId", event.deviceId());
                json.writeStringField("channelId", event.channelId());
                if (event instanceof AppEvent.MessageReceipt r) {
                    json.writeStringField("messageId", r.messageId());
                    json.writeStringField("fate", r.fate().name().toLowerCase(Locale.ROOT));
                    writeReason(json, r.reason());
                } else if (event instanceof AppEvent.UpstreamMessage u) {
                    json.writeNumberField("upstreamId", u.upstreamId());
                    json.writeStringField("payload", Base64.getEncoder().encodeToString(u.payload()));
                } else if (event instanceof AppEvent.ChannelStateChanged c) {
                    json.writeStringField("state", c.state().name().toLowerCase(Locale.ROOT));
                    writeReason(json, c.reason());
                }
            }
            json.writeStringField("time", Instant.ofEpochMilli(event.atMillis()).toString());
            json.writeNumberField("atMillis", event.atMillis());
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing strings and numbers to memory cannot fail", e);
        }
        return out.toString();
    }

    private static void writeReason(JsonGenerator json, String reason) throws IOException {
        if (reason != null && !reason.isEmpty()) {
            json.writeStringField("reason", reason);
        }
    }
}
