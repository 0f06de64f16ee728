package io.wakeline.broker.app.events;

import akka.Done;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where device entities hand an app its events. The stage completes once the events are durably recorded
 * in the app's event log (so the caller can stop re-publishing them); it fails or times out otherwise, and
 * the caller publishes again later. Re-published events with the same {@link AppEvent#key()} are recorded
 * once.
 */
public interface AppEventPublisher {

    CompletionStage<Done> publish(String appId, List<AppEvent> events);
}
