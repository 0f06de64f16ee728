package io.wakeline.simulator;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.wakeline.protocol.v1.Envelope;
import java.util.concurrent.CompletableFuture;

/**
 * A frame a test made a device send, waiting for its answer: the next inbound frame of {@code answerCase}
 * that carries the same {@code request_id} (when both messages have one), or an Error carrying that id.
 *
 * @param requestId  the request's {@code request_id}, or {@link #NO_REQUEST_ID} when its message has none
 * @param answerCase the body the answer has
 * @param answer     completed on the selector thread
 */
record ScriptedRequest(int requestId, Envelope.BodyCase answerCase, CompletableFuture<Envelope> answer) {
    static final int NO_REQUEST_ID = -1;
    private static final String REQUEST_ID_FIELD = "request_id";

    static ScriptedRequest of(Envelope request, Envelope.BodyCase answerCase, CompletableFuture<Envelope> answer) {
        return new ScriptedRequest(requestIdOf(request), answerCase, answer);
    }

    boolean isAnsweredBy(Envelope inbound) {
        if (inbound.getBodyCase() == answerCase) {
            if (requestId == NO_REQUEST_ID) {
                return true;
            }
            int answerId = requestIdOf(inbound);
            return answerId == NO_REQUEST_ID || answerId == requestId;
        }
        // docs/protocol.md "Errors": a refusal of a request carries its id
        return inbound.getBodyCase() == Envelope.BodyCase.ERROR && requestId > 0
                && inbound.getError().getRequestId() == requestId;
    }

    /**
     * The body's {@code request_id}, or {@link #NO_REQUEST_ID} if its message has no such field. Looked up by
     * name, so messages added to the protocol later are matched without a change here.
     */
    static int requestIdOf(Envelope envelope) {
        if (envelope.getBodyCase() == Envelope.BodyCase.BODY_NOT_SET) {
            return NO_REQUEST_ID;
        }
        FieldDescriptor bodyField = Envelope.getDescriptor().findFieldByNumber(envelope.getBodyCase().getNumber());
        Message body = (Message) envelope.getField(bodyField);
        FieldDescriptor idField = body.getDescriptorForType().findFieldByName(REQUEST_ID_FIELD);
        if (idField == null || idField.getJavaType() != FieldDescriptor.JavaType.INT) {
            return NO_REQUEST_ID;
        }
        return (Integer) body.getField(idField);
    }
}
