package io.wakeline.broker.device.push;

import io.wakeline.broker.device.PushPriority;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;

/**
 * The wns-spec 4.17 priority matrix (desktop guidance, S6): what a connected device gets now, in a batch, or later.
 *
 * <table>
 *   <caption>decision by power and priority</caption>
 *   <tr><th>power</th><th>1 High</th><th>2 Medium</th><th>3 Low</th><th>4 Very low</th></tr>
 *   <tr><td>battery saver on (battery)</td><td>hold</td><td>hold</td><td>hold</td><td>hold</td></tr>
 *   <tr><td>screen on, or plugged in</td><td>now</td><td>now</td><td>now</td><td>now</td></tr>
 *   <tr><td>screen off on battery</td><td>now</td><td>batch</td><td>hold</td><td>hold</td></tr>
 * </table>
 *
 * <p>"Screen on" is {@link PowerState#Active}; {@link PowerState#ConnectedStandby} and {@link PowerState#Sleep} are
 * screen off. The spec's "unless the user exempted the app" is not modelled: no app is exempted. A device that is
 * {@link PowerState#Off} has no link; its pushes go to the offline cache, never through this matrix.
 */
public final class DeliveryPriority {
    private DeliveryPriority() {
    }

    public static DeliveryDecision decide(PowerReport power, PushPriority priority) {
        if (power.source() == PowerSource.Battery && power.energySaver() == EnergySaver.On) {
            return DeliveryDecision.Hold;
        }
        if (power.state() == PowerState.Active || power.source() == PowerSource.Mains) {
            return DeliveryDecision.DeliverNow;
        }
        return switch (priority) {
            case HIGH -> DeliveryDecision.DeliverNow;
            case MEDIUM -> DeliveryDecision.Batch;
            case LOW, VERY_LOW -> DeliveryDecision.Hold;
        };
    }
}
