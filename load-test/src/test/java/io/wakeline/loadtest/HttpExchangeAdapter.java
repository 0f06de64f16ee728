package io.wakeline.loadtest;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A {@link FakeExchange} over {@code com.sun.net.httpserver} (HTTP/1.1). */
final class HttpExchangeAdapter implements FakeExchange {

    private final HttpExchange exchange;
    private final byte[] body;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();

    HttpExchangeAdapter(HttpExchange exchange) throws IOException {
        this.exchange = exchange;
        this.body = exchange.getRequestBody().readAllBytes();
    }

    @Override
    public String method() {
        return exchange.getRequestMethod();
    }

    @Override
    public String path() {
        return exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    }

    @Override
    public String requestHeader(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public Map<String, String> requestHeaders() {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        return headers;
    }

    @Override
    public byte[] requestBody() {
        return body.clone();
    }

    @Override
    public Map<String, String> responseHeaders() {
        return responseHeaders;
    }

    @Override
    public void respond(int status, byte[] answer) throws IOException {
        responseHeaders.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            exchange.getResponseBody().write(answer);
        }
    }

    @Override
    public OutputStream respondStreaming(int status) throws IOException {
        responseHeaders.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, 0);
        return exchange.getResponseBody();
    }
}
