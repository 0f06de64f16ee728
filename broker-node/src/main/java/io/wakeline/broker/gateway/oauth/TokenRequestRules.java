package io.wakeline.broker.gateway.oauth;

import io.wakeline.broker.app.PackageSid;
import io.wakeline.broker.gateway.http.RequestHead;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which token requests may go on to client authentication (wns-spec 1, OAuth 2.0 client-credentials).
 * Plain Java: the route hands in the content type and body, and maps the decision to a response.
 *
 * <p>Order: form encoding, then missing or repeated parameters ({@code invalid_request}), grant type
 * ({@code unsupported_grant_type}), scope ({@code invalid_scope}), client id form ({@code invalid_client}).
 * Everything cheap is checked before the secret is hashed.
 */
public final class TokenRequestRules {
    public static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";
    public static final String GRANT_TYPE = "client_credentials";
    /** wns-spec 1.6: Windows, and the older Windows Phone scope. */
    public static final Set<String> SCOPES = Set.of("notify.windows.com", "s.notify.live.net");

    private TokenRequestRules() {
    }

    /** OAuth 2.0 error codes used by the token endpoint. */
    public enum OAuthError {
        INVALID_REQUEST("invalid_request"),
        INVALID_CLIENT("invalid_client"),
        UNSUPPORTED_GRANT_TYPE("unsupported_grant_type"),
        INVALID_SCOPE("invalid_scope");

        private final String code;

        OAuthError(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public sealed interface Decision {
        /** Well-formed: verify this client's secret. {@link #toString()} hides the secret. */
        record Authenticate(String packageSid, String clientSecret) implements Decision {
            @Override
            public String toString() {
                return "Authenticate[packageSid=" + packageSid + ", clientSecret=<redacted>]";
            }
        }

        record Refuse(OAuthError error, String description) implements Decision {
        }
    }

    /** {@code head}: its content type is read; {@code body}: the form, decoded as UTF-8. */
    public static Decision evaluate(RequestHead head, String body) {
        if (head.contentType().map(m -> !m.equalsIgnoreCase(FORM_CONTENT_TYPE)).orElse(true)) {
            return refuse(OAuthError.INVALID_REQUEST, "Content-Type must be " + FORM_CONTENT_TYPE);
        }
        Map<String, List<String>> form;
        try {
            form = parseForm(body);
        } catch (IllegalArgumentException e) {
            return refuse(OAuthError.INVALID_REQUEST, "Malformed form encoding");
        }
        for (String name : List.of("grant_type", "client_id", "client_secret", "scope")) {
            List<String> values = form.getOrDefault(name, List.of());
            if (values.size() > 1) {
                return refuse(OAuthError.INVALID_REQUEST, "Parameter " + name + " is repeated");
            }
            if (values.isEmpty() || values.get(0).isEmpty()) {
                return refuse(OAuthError.INVALID_REQUEST, "Missing parameter " + name);
            }
        }
        if (!GRANT_TYPE.equals(form.get("grant_type").get(0))) {
            return refuse(OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type must be " + GRANT_TYPE);
        }
        if (!SCOPES.contains(form.get("scope").get(0))) {
            return refuse(OAuthError.INVALID_SCOPE, "scope must be notify.windows.com");
        }
        String clientId = form.get("client_id").get(0);
        if (!PackageSid.isWellFormed(clientId)) {
            return refuse(OAuthError.INVALID_CLIENT, "client_id must be a package SID (ms-app://...)");
        }
        return new Decision.Authenticate(clientId, form.get("client_secret").get(0));
    }

    /** {@code application/x-www-form-urlencoded}: {@code +} is a space, {@code %XX} a UTF-8 byte. */
    static Map<String, List<String>> parseForm(String body) {
        Map<String, List<String>> form = new HashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        }
        return form;
    }

    private static Decision refuse(OAuthError error, String description) {
        return new Decision.Refuse(error, description);
    }
}
