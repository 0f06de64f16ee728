package io.wakeline.simulator;

import java.io.PrintStream;

/**
 * The simulator's standard output: a progress line per interval, rewritten in place ({@code \r}, erase to the end
 * of the line) on a terminal and one plain line each otherwise, and other lines (script results, printed
 * notifications) that never get mixed into the progress line. Any thread.
 */
final class SimulatorConsole {
    private static final String ERASE_TO_END_OF_LINE = "\u001b[K";

    private final PrintStream out;
    private final boolean terminal;
    private String progress;

    /** @param terminal whether {@code out} is a terminal ({@code System.console() != null}) */
    SimulatorConsole(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    boolean terminal() {
        return terminal;
    }

    synchronized void progress(String line) {
        if (terminal) {
            out.print("\r" + line + ERASE_TO_END_OF_LINE);
            progress = line;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** A line of its own; on a terminal the progress line is drawn again below it. */
    synchronized void line(String line) {
        if (terminal && progress != null) {
            out.print("\r" + ERASE_TO_END_OF_LINE + line + System.lineSeparator() + progress + ERASE_TO_END_OF_LINE);
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the line being rewritten, so what follows starts on a line of its own. */
    synchronized void finish() {
        if (terminal && progress != null) {
            out.println();
            progress = null;
        }
        out.flush();
    }
}
