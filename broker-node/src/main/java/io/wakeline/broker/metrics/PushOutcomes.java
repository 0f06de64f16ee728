package io.wakeline.broker.metrics;

import java.util.Locale;
import java.util.Optional;

/**
 * Names the path and the outcome of one push request from what the app gateway answered, for
 * {@code wakeline_pushes_total{path, outcome}}: the fixed vocabularies below, so the counter stays small
 * whatever clients send.
 */
final class PushOutcomes {
    private PushOutcomes() {
    }

    /**
     * The push path: {@code wns_raw|wns_toast|wns_tile|wns_badge} by {@code X-WNS-Type} (wns-spec 3.2),
     * {@code wns_invalid} for any other type, {@code control}, {@code webpush}; empty for requests that push nothing.
     */
    static Optional<String> path(ApiOperation operation, Optional<String> wnsType) {
        return switch (operation) {
            case WNS_SEND -> Optional.of(switch (wnsType.map(t -> t.trim().toLowerCase(Locale.ROOT)).orElse("")) {
                case "wns/raw" -> "wns_raw";
                case "wns/toast" -> "wns_toast";
                case "wns/tile" -> "wns_tile";
                case "wns/badge" -> "wns_badge";
                default -> "wns_invalid";
            });
            case CONTROL_SEND -> Optional.of("control");
            case WEBPUSH_SEND -> Optional.of("webpush");
            default -> Optional.empty();
        };
    }

    /**
     * What became of the push at the gateway: WNS's own {@code X-WNS-Status} ({@code received}, {@code dropped},
     * {@code channelthrottled}) when it answered one, the control route's {@code X-Wakeline-Error}
     * ({@code backlog_full}, {@code channel_closed}), else a name for the status code.
     */
    static String outcome(ApiOperation operation, int status, Optional<String> wnsStatus, Optional<String> wakelineError) {
        if (wnsStatus.isPresent()) {
            switch (wnsStatus.get().trim().toLowerCase(Locale.ROOT)) {
                case "received":
                    return "received";
                case "dropped":
                    return "dropped";
                case "channelthrottled":
                    return "throttled";
                default:
                    break;
            }
        }
        if (wakelineError.isPresent()) {
            switch (wakelineError.get().trim().toLowerCase(Locale.ROOT)) {
                case "backlog-full":
                    return "backlog_full";
                case "channel-closed":
                    return "channel_closed";
                default:
                    break;
            }
        }
        if (operation == ApiOperation.CONTROL_SEND && status == 200) {
            return "duplicate"; // the client message id was seen: nothing new stored
        }
        if (status >= 200 && status < 300) {
            return "accepted";
        }
        return switch (status) {
            case 401, 403 -> "unauthorized";
            case 404, 410 -> "gone";
            case 413 -> "too_large";
            case 429 -> "throttled";
            case 503 -> "unavailable";
            default -> status >= 500 ? "error" : "invalid";
        };
    }
}
