package io.wakeline.broker.app.events;

import akka.Done;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An {@link AppEventPublisher} that keeps each app's events in memory, de-duplicated by {@link AppEvent#key()},
 * the newest {@code capacityPerApp} per app. For tests and for a node without the durable per-app event log;
 * nothing here survives a restart.
 */
public final class InMemoryAppEventPublisher implements AppEventPublisher {
    private final int capacityPerApp;
    private final Map<String, LinkedHashMap<String, AppEvent>> byApp = new LinkedHashMap<>();

    public InMemoryAppEventPublisher(int capacityPerApp) {
        this.capacityPerApp = capacityPerApp;
    }

    @Override
    public synchronized CompletionStage<Done> publish(String appId, List<AppEvent> events) {
        LinkedHashMap<String, AppEvent> log = byApp.computeIfAbsent(appId, a -> new LinkedHashMap<>());
        for (AppEvent event : events) {
            log.putIfAbsent(event.key(), event);
        }
        while (log.size() > capacityPerApp) {
            log.remove(log.keySet().iterator().next());
        }
        return CompletableFuture.completedFuture(Done.getInstance());
    }

    /** The app's recorded events, oldest first. */
    public synchronized List<AppEvent> events(String appId) {
        return new ArrayList<>(byApp.getOrDefault(appId, new LinkedHashMap<>()).values());
    }
}
