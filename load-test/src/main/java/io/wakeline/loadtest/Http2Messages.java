package io.wakeline.loadtest;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Pure translation between {@link PostRequest}/{@link PostAnswer} and HTTP/2 header blocks, kept out of
 * the connection code so it can be read (and changed) without the event-loop machinery around it.
 */
final class Http2Messages {

    private static final int INFORMATIONAL_CLASS = 1;

    private Http2Messages() {
    }

    /** The request's header block: pseudo-headers, its headers with names in lower case (RFC 9113 8.2.1), content-length. */
    static Http2Headers requestHeaders(PostRequest request) {
        URI uri = request.uri();
        Http2Headers headers = new DefaultHttp2Headers()
                .method(HttpMethod.POST.asciiName())
                .scheme(uri.getScheme().toLowerCase(Locale.ROOT))
                .authority(uri.getRawAuthority())
                .path(pathAndQuery(uri));
        request.headers().forEach((name, value) -> headers.add(name.toLowerCase(Locale.ROOT), value));
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
        return headers;
    }

    static String pathAndQuery(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** A 1xx head: another header block follows with the final status. */
    static boolean isInformational(Http2Headers headers) {
        CharSequence status = headers.status();
        return status != null && status.length() == 3 && status.charAt(0) - '0' == INFORMATIONAL_CLASS;
    }

    /**
     * The answer a response header block describes: its {@code :status} and the first value of every
     * regular header (names in lower case, as HTTP/2 sends them).
     *
     * @throws IllegalArgumentException if {@code :status} is missing or not a number
     */
    static PostAnswer answer(Http2Headers headers) {
        CharSequence status = headers.status();
        if (status == null) {
            throw new IllegalArgumentException("response without :status");
        }
        int code;
        try {
            code = Integer.parseInt(status.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("response :status is not a number: " + status, e);
        }
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<CharSequence, CharSequence> header : headers) {
            String name = header.getKey().toString();
            if (!Http2Headers.PseudoHeaderName.hasPseudoHeaderFormat(name)) {
                values.putIfAbsent(name.toLowerCase(Locale.ROOT), header.getValue().toString());
            }
        }
        return new PostAnswer(code, HttpClient.Version.HTTP_2, values);
    }
}
