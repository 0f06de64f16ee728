package io.wakeline.loadtest;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * One request as a fake broker sees it, whichever server carried it: {@code com.sun.net.httpserver}
 * over HTTP/1.1 or {@link Http2TestServer} over HTTP/2. Lets the fakes keep one implementation of their
 * routes for both protocols.
 */
interface FakeExchange {

    String method();

    /** The request target's path (and query, if any). */
    String path();

    /** The first value of a request header, matched case-insensitively; null if absent. */
    String requestHeader(String name);

    /** The first value of every request header, names in lower case. */
    Map<String, String> requestHeaders();

    byte[] requestBody();

    /** Headers to send with the answer: fill before {@link #respond} or {@link #respondStreaming}. */
    Map<String, String> responseHeaders();

    /** The whole answer at once. */
    void respond(int status, byte[] body) throws IOException;

    /**
     * An answer of unknown length: each write is sent at once, and throws once the client has gone.
     * The answer ends when the route returns (or the stream is closed).
     */
    OutputStream respondStreaming(int status) throws IOException;
}
