package io.wakeline.broker.gateway.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wakeline.broker.app.events.AppEvent;
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

    public static String data(AppEvent event) {
        ObjectNode node = JSON.createObjectNode();
        if (event instanceof AppEvent.WebPushReceipt w) {
            // docs/app-server-api.md "Receipts": the message resource and its RFC 8030 status; no device or
            // subscription ids (RFC 8030 §8: nothing that correlates subscriptions)
            node.put("message", w.messageResource());
            node.put("status", w.fate().httpStatus());
            node.put("fate", w.fate().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            return render(node, event);
        }
        node.put("deviceId", event.deviceId());
        node.put("channelId", event.channelId());
        if (event instanceof AppEvent.MessageReceipt r) {
            node.put("messageId", r.messageId());
            node.put("fate", r.fate().name().toLowerCase(Locale.ROOT));
            putReason(node, r.reason());
        } else if (event instanceof AppEvent.UpstreamMessage u) {
            node.put("upstreamId", u.upstreamId());
            node.put("payload", Base64.getEncoder().encodeToString(u.payload()));
        } else if (event instanceof AppEvent.ChannelStateChanged c) {
            node.put("state", c.state().name().toLowerCase(Locale.ROOT));
            putReason(node, c.reason());
        }
        return render(node, event);
    }

    private static String render(ObjectNode node, AppEvent event) {
        node.put("time", Instant.ofEpochMilli(event.atMillis()).toString());
        node.put("atMillis", event.atMillis());
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always renders", e);
        }
    }

    private static void putReason(ObjectNode node, String reason) {
        if (reason != null && !reason.isEmpty()) {
            node.put("reason", reason);
        }
    }
}
