package io.wakeline.simulator;

import java.time.Duration;
import java.util.List;

/** One line of a simulator script ({@link SimulatorScript}); {@code line} and {@code text} say where it came from. */
sealed interface ScriptStep {

    String source();

    int line();

    String text();

    /** Wait, then go on. */
    record Sleep(String source, int line, String text, Duration duration) implements ScriptStep {
    }

    /** Wait until every device holds a channel for every app (or is linked, without apps), at most {@code timeout}. */
    record AwaitChannels(String source, int line, String text, Duration timeout) implements ScriptStep {
    }

    /** Make each device do {@code action}, one after the other. */
    record OnDevices(String source, int line, String text, List<String> deviceIds, DeviceAction action)
            implements ScriptStep {
        public OnDevices {
            deviceIds = List.copyOf(deviceIds);
        }
    }
}
