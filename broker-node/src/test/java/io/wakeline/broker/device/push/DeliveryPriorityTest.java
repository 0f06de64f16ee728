package io.wakeline.broker.device.push;

import static io.wakeline.broker.device.push.DeliveryDecision.Batch;
import static io.wakeline.broker.device.push.DeliveryDecision.DeliverNow;
import static io.wakeline.broker.device.push.DeliveryDecision.Hold;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wakeline.broker.device.PushPriority;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** wns-spec 4.17, every cell: power state × power source × battery saver × priority. */
class DeliveryPriorityTest {
    private static final List<PowerState> SCREEN_OFF = List.of(PowerState.ConnectedStandby, PowerState.Sleep);

    private static List<DeliveryDecision> row(PowerState state, PowerSource source, EnergySaver saver) {
        PowerReport power = new PowerReport(state, source, saver);
        return List.of(PushPriority.values()).stream().map(p -> DeliveryPriority.decide(power, p)).toList();
    }

    @Test
    void screenOnDeliversEveryPriorityNow() {
        assertEquals(List.of(DeliverNow, DeliverNow, DeliverNow, DeliverNow),
                row(PowerState.Active, PowerSource.Battery, EnergySaver.Off));
    }

    @Test
    void pluggedInDeliversEveryPriorityNowWhateverTheScreen() {
        for (PowerState state : List.of(PowerState.Active, PowerState.ConnectedStandby, PowerState.Sleep)) {
            for (EnergySaver saver : EnergySaver.values()) {
                assertEquals(List.of(DeliverNow, DeliverNow, DeliverNow, DeliverNow),
                        row(state, PowerSource.Mains, saver), state + " " + saver);
            }
        }
    }

    @Test
    void screenOffOnBatteryDeliversHighBatchesMediumAndHoldsLowAndVeryLow() {
        for (PowerState state : SCREEN_OFF) {
            assertEquals(List.of(DeliverNow, Batch, Hold, Hold), row(state, PowerSource.Battery, EnergySaver.Off), state.name());
        }
    }

    @Test
    void batterySaverHoldsEveryPriorityEvenWithTheScreenOn() {
        for (PowerState state : List.of(PowerState.Active, PowerState.ConnectedStandby, PowerState.Sleep)) {
            assertEquals(List.of(Hold, Hold, Hold, Hold), row(state, PowerSource.Battery, EnergySaver.On), state.name());
        }
    }

    @Test
    void theWholeMatrixHasTheSpecShape() {
        Map<String, List<DeliveryDecision>> expected = Map.of(
                "screen on/battery", List.of(DeliverNow, DeliverNow, DeliverNow, DeliverNow),
                "screen off/battery", List.of(DeliverNow, Batch, Hold, Hold),
                "saver", List.of(Hold, Hold, Hold, Hold));
        assertEquals(expected.get("screen on/battery"), row(PowerState.Active, PowerSource.Battery, EnergySaver.Off));
        assertEquals(expected.get("screen off/battery"), row(PowerState.ConnectedStandby, PowerSource.Battery, EnergySaver.Off));
        assertEquals(expected.get("saver"), row(PowerState.ConnectedStandby, PowerSource.Battery, EnergySaver.On));
    }

    @Test
    void batterySaverIsNeverOnWhilePluggedIn() {
        assertEquals(EnergySaver.Off, new PowerReport(PowerState.Active, PowerSource.Mains, EnergySaver.On).energySaver());
    }
}
