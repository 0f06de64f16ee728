package io.wakeline.broker.gateway.app;

import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A push handed to the device side with a bound on the wait: the stage fails with a
 * {@link java.util.concurrent.TimeoutException} after {@code timeout}, and a call that throws instead of
 * answering fails it too, so a route always has one outcome to turn into a response.
 */
public final class BoundedDelivery {
    private BoundedDelivery() {
    }

    public static CompletableFuture<PushOutcome> deliver(DeviceDirectory devices, Push push, Duration timeout) {
        CompletableFuture<PushOutcome> outcome = new CompletableFuture<>();
        try {
            devices.deliver(push).whenComplete((o, e) -> {
                if (e != null) {
                    outcome.completeExceptionally(e);
                } else {
                    outcome.complete(o);
                }
            });
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
        }
        return outcome.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
