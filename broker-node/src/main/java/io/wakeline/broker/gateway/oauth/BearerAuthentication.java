package io.wakeline.broker.gateway.oauth;

import io.wakeline.broker.gateway.http.RequestHead;

/**
 * Which app sends a request: the one named by its {@code Authorization: Bearer <access token>} (wns-spec 1.12, 1.13),
 * a token sealed by this broker and not expired. The WNS send, the control channel and the event stream all ask
 * this first, so a caller without a valid token learns nothing about a URI. Plain Java.
 */
public final class BearerAuthentication {
    private final AccessTokenSealer accessTokens;

    public BearerAuthentication(AccessTokenSealer accessTokens) {
        this.accessTokens = accessTokens;
    }

    public sealed interface Outcome {
        record Authenticated(AccessToken token) implements Outcome {
        }

        /** A 401: {@code description} says why. */
        record Refused(String description) implements Outcome {
        }
    }

    public Outcome authenticate(RequestHead head, long nowMillis) {
        RequestHead.Bearer bearer = head.bearer();
        if (bearer instanceof RequestHead.Bearer.Refused refused) {
            return new Outcome.Refused(refused.description());
        }
        String sealed = ((RequestHead.Bearer.Token) bearer).token();
        if (!(accessTokens.open(sealed) instanceof AccessTokenSealer.Opened.Valid valid)) {
            return new Outcome.Refused("Invalid access token");
        }
        if (valid.token().isExpiredAt(nowMillis)) {
            return new Outcome.Refused("Access token expired");
        }
        return new Outcome.Authenticated(valid.token());
    }
}
