package io.wakeline.loadtest;

import io.wakeline.report.HtmlReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Command-line entry point: {@code wakeline-load-test raw|control [options]} (see {@link LoadTestCommandLine} and
 * load-test/README.md). Prints a progress line per interval, then the report as a table; writes the HTML report
 * (and the JSON one if asked).
 */
public final class LoadTestMain {

    public static final int EXIT_REPORTED = 0;
    public static final int EXIT_ABORTED = 1;
    public static final int EXIT_BAD_ARGUMENTS = 2;
    public static final int EXIT_REPORT_UNWRITTEN = 3;

    private LoadTestMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(execute(List.of(args), System.getenv(), System.out, System.err, System.console() != null));
    }

    /** {@link #execute(List, Map, PrintStream, PrintStream, boolean)} with plain progress lines (not a terminal). */
    public static int execute(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err)
            throws InterruptedException {
        return execute(args, environment, out, err, false);
    }

    /**
     * Everything {@link #main} does except exiting, so it can be driven from tests.
     *
     * @param terminal whether {@code out} is a terminal: progress lines are then rewritten in place
     */
    public static int execute(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err,
                              boolean terminal) throws InterruptedException {
        LoadTestCommandLine.Parsed parsed = LoadTestCommandLine.parse(args, environment);
        if (parsed instanceof LoadTestCommandLine.ShowHelp help) {
            out.print(help.usage());
            return EXIT_REPORTED;
        }
        if (parsed instanceof LoadTestCommandLine.Rejected rejected) {
            err.println("wakeline-load-test: " + rejected.reason());
            err.println("Try `" + rejected.helpCommand() + " --help`.");
            return EXIT_BAD_ARGUMENTS;
        }
        LoadTestCommandLine.Run run = (LoadTestCommandLine.Run) parsed;
        LoadTestConfig config = run.config();
        String table;
        String json;
        HtmlReport page;
        try {
            if (config.scenario() == LoadTestConfig.Scenario.CONTROL) {
                Measured<ControlReport> measured = measure(run, out, terminal, RunProgress::control,
                        ControlLoadTest.Count.class, ControlLoadTest.Timing.class, ControlLoadTest::run);
                table = measured.report().toTable();
                json = measured.report().toJson();
                page = RunReportPage.control(measured.report(), measured.samples());
            } else {
                Measured<LoadReport> measured = measure(run, out, terminal, RunProgress::raw,
                        LoadTest.Count.class, LoadTest.Timing.class, LoadTest::run);
                table = measured.report().toTable();
                json = measured.report().toJson();
                page = RunReportPage.raw(measured.report(), measured.samples());
            }
        } catch (LoadTestAbortedException e) {
            err.println("wakeline-load-test: " + e.getMessage());
            return EXIT_ABORTED;
        }
        out.print(table);
        // The table is printed either way; a distinct status tells scripts that a file is missing.
        int status = EXIT_REPORTED;
        if (run.reportJson() != null) {
            status = write(run.reportJson(), json, "JSON report", out, err, status);
        }
        return write(run.reportHtml(), page.render(), "HTML report", out, err, status);
    }

    /** A scenario's run, recording into a timeline. */
    @FunctionalInterface
    private interface Scenario<C extends Enum<C>, L extends Enum<L>, R> {
        R run(LoadTestConfig config, Timeline<C, L> timeline) throws LoadTestAbortedException, InterruptedException;
    }

    private record Measured<R>(R report, List<Timeline.Sample> samples) {
    }

    /** Runs the scenario, recording a timeline of its counts and latencies, with a progress line per sample. */
    private static <C extends Enum<C>, L extends Enum<L>, R> Measured<R> measure(LoadTestCommandLine.Run run,
            PrintStream out, boolean terminal, Function<Timeline.Sample, String> figures, Class<C> counts,
            Class<L> timings, Scenario<C, L, R> scenario) throws LoadTestAbortedException, InterruptedException {
        RunProgress progress = new RunProgress(out, terminal, run.config().duration(), figures);
        Timeline<C, L> timeline = new Timeline<>(counts, timings, run.interval(), sample -> {
            if (run.progress()) {
                progress.print(sample);
            }
        });
        try {
            return new Measured<>(scenario.run(run.config(), timeline), timeline.samples());
        } finally {
            progress.finish();
        }
    }

    private static int write(Path file, String content, String what, PrintStream out, PrintStream err, int status) {
        try {
            Files.writeString(file, content);
            out.println(String.format("%-28s %s", what, file));
            return status;
        } catch (IOException e) {
            err.println("wakeline-load-test: cannot write the " + what + " " + file + ": " + e);
            return EXIT_REPORT_UNWRITTEN;
        }
    }
}
