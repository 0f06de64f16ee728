package io.wakeline.broker.device.policy;

import io.wakeline.broker.CborSerializable;

/** The one background task an app may run at a time (wns-spec 5.10). */
public record RunningTask(TriggerKind trigger, long startedAtMillis) implements CborSerializable {
}
