package io.wakeline.broker.management;

import java.util.regex.Pattern;

/**
 * Prometheus text exposition format 0.0.4: a HELP line, a TYPE line and one unlabelled sample per
 * metric (https://prometheus.io/docs/instrumenting/exposition_formats/).
 */
public final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private final StringBuilder text = new StringBuilder();

    /** A monotonically increasing count; by convention its name ends in {@code _total}. */
    public PrometheusText counter(String name, String help, long value) {
        return sample(name, "counter", help, value);
    }

    /** A value that may go up and down. */
    public PrometheusText gauge(String name, String help, long value) {
        return sample(name, "gauge", help, value);
    }

    public String render() {
        return text.toString();
    }

    private PrometheusText sample(String name, String type, String help, long value) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + name);
        }
        String escapedHelp = help.replace("\\", "\\\\").replace("\n", "\\n");
        text.append("# HELP ").append(name).append(' ').append(escapedHelp).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
        return this;
    }
}
