package io.wakeline.loadtest;

import java.net.http.HttpClient;
import java.util.Optional;

/** How one scheduled notification ended; {@code attempts} is 2 when a 401 made us renew the token and resend. */
sealed interface SendOutcome {

    int attempts();

    /** The broker answered with an HTTP status; {@code wnsStatus} is the raw header value when present. */
    record Answered(int statusCode, Optional<String> wnsStatus, HttpClient.Version version, int attempts)
            implements SendOutcome {
    }

    /** No HTTP answer: connect, TLS, reset or request timeout. */
    record TransportFailed(Throwable cause, int attempts) implements SendOutcome {
    }

    /** Not sent (again) because no access token could be had. */
    record TokenUnavailable(AccessTokenUnavailable cause, int attempts) implements SendOutcome {
    }
}
