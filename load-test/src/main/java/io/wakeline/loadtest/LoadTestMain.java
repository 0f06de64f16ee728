package io.wakeline.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Command-line entry point; see {@link LoadTestArguments#USAGE} and load-test/README.md. */
public final class LoadTestMain {

    public static final int EXIT_REPORTED = 0;
    public static final int EXIT_ABORTED = 1;
    public static final int EXIT_BAD_ARGUMENTS = 2;
    public static final int EXIT_REPORT_UNWRITTEN = 3;

    private LoadTestMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(execute(List.of(args), System.getenv(), System.out, System.err));
    }

    /** Everything {@link #main} does except exiting, so it can be driven from tests. */
    public static int execute(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err)
            throws InterruptedException {
        LoadTestArguments.Parsed parsed = LoadTestArguments.parse(args, environment);
        if (parsed instanceof LoadTestArguments.ShowHelp) {
            out.print(LoadTestArguments.USAGE);
            return EXIT_REPORTED;
        }
        if (parsed instanceof LoadTestArguments.Rejected rejected) {
            err.println("load-test: " + rejected.reason());
            err.println("Try --help.");
            return EXIT_BAD_ARGUMENTS;
        }
        LoadTestArguments.Run run = (LoadTestArguments.Run) parsed;
        String table;
        String json;
        try {
            if (run.config().scenario() == LoadTestConfig.Scenario.CONTROL) {
                ControlReport report = ControlLoadTest.run(run.config());
                table = report.toTable();
                json = report.toJson();
            } else {
                LoadReport report = LoadTest.run(run.config());
                table = report.toTable();
                json = report.toJson();
            }
        } catch (LoadTestAbortedException e) {
            err.println("load-test: " + e.getMessage());
            return EXIT_ABORTED;
        }
        out.print(table);
        if (run.reportJson().isPresent()) {
            try {
                java.nio.file.Files.writeString(run.reportJson().get(), json);
            } catch (IOException e) {
                // The table is already printed; a distinct status tells scripts the JSON is missing.
                err.println("load-test: cannot write " + run.reportJson().get() + ": " + e.getMessage());
                return EXIT_REPORT_UNWRITTEN;
            }
        }
        return EXIT_REPORTED;
    }
}
