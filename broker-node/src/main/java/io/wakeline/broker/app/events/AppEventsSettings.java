package io.wakeline.broker.app.events;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code wakeline.app-events} (every key documented in reference.conf).
 *
 * @param batchMaxEvents    most events one {@code Record} command (one journal write) carries
 * @param batchMaxDelay     how long the first event of a batch waits for more before the batch is written
 * @param recordTimeout     bound on one batch's write to an app's log (the ask to its entity and its journal write):
 *                          a publish not confirmed within {@code batchMaxDelay} plus this fails
 * @param recentKeys        how many recent event keys an app's log remembers for de-duplication
 * @param snapshotEvery     snapshot the log every N events
 * @param keepSnapshots     snapshots kept; with {@code deleteEvents} also the resume horizon (see docs)
 * @param deleteEvents      delete events older than the kept snapshots
 * @param readJournal       plugin id of the read journal the event stream tails
 * @param heartbeat         interval of SSE comment lines on an idle stream
 * @param maxStreamsPerApp  concurrent {@code GET /events} streams per app on one node
 */
public record AppEventsSettings(
        int batchMaxEvents,
        Duration batchMaxDelay,
        Duration recordTimeout,
        int recentKeys,
        int snapshotEvery,
        int keepSnapshots,
        boolean deleteEvents,
        String readJournal,
        Duration heartbeat,
        int maxStreamsPerApp) {

    public static final String PATH = "wakeline.app-events";

    public AppEventsSettings {
        if (batchMaxEvents < 1 || recentKeys < 1 || snapshotEvery < 1 || keepSnapshots < 1 || maxStreamsPerApp < 1) {
            throw new IllegalArgumentException(PATH + ": counts must be positive");
        }
    }

    public static AppEventsSettings fromConfig(Config root) {
        Config c = root.getConfig(PATH);
        return new AppEventsSettings(
                c.getInt("batch.max-events"),
                c.getDuration("batch.max-delay"),
                // the key was "ask-timeout" before; a configuration that still sets it keeps its value for one release
                c.getDuration(c.hasPath("ask-timeout") ? "ask-timeout" : "record-timeout"),
                c.getInt("recent-keys"),
                c.getInt("retention.snapshot-every"),
                c.getInt("retention.keep-snapshots"),
                c.getBoolean("retention.delete-events"),
                c.getString("stream.read-journal"),
                c.getDuration("stream.heartbeat"),
                c.getInt("stream.max-streams-per-app"));
    }

    /** Events at most this far behind the newest stay readable when old events are deleted. */
    public long resumeHorizonEvents() {
        return deleteEvents ? (long) snapshotEvery * keepSnapshots : Long.MAX_VALUE;
    }
}
