package io.wakeline.broker.device.push;

import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;

/**
 * The power facts delivery decisions need, as last reported by the device over its link ({@code PowerReport},
 * docs/protocol.md). Transient: a device re-reports after every handshake, and a handshake means
 * {@link PowerState#Active} (the device is up and talking).
 *
 * <p>Kept apart from the device-policy state on purpose: when the entity keeps power state and source itself,
 * this record is built from that state instead of from the report.
 */
public record PowerReport(PowerState state, PowerSource source, EnergySaver energySaver) implements CborSerializable {

    /** A device that has just completed its handshake and said nothing else yet. */
    public static final PowerReport AFTER_HANDSHAKE = new PowerReport(PowerState.Active, PowerSource.Battery, EnergySaver.Off);

    public PowerReport {
        if (source == PowerSource.Mains) {
            energySaver = EnergySaver.Off; // battery saver only runs on battery
        }
    }
}
