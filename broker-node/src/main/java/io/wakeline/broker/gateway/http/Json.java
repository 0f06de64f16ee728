package io.wakeline.broker.gateway.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * JSON bodies of the gateways' answers, always written by Jackson so that any string (a description, a client's
 * message id) is escaped right. Objects keep their fields in the order they were put, which is the documented order.
 */
public final class Json {
    /** Thread-safe once configured; shared by the gateways for reading and writing. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code application/json}, compact UTF-8. */
    public static HttpEntity.Strict entity(JsonNode body) {
        return HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
