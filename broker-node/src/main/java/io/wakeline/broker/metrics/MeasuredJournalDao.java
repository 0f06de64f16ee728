package io.wakeline.broker.metrics;

import akka.actor.typed.javadsl.Adapter;
import akka.persistence.jdbc.config.JournalConfig;
import akka.persistence.jdbc.journal.dao.DefaultJournalDao;
import akka.persistence.jdbc.journal.dao.JournalTables;
import akka.serialization.Serialization;
import akka.stream.Materializer;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * akka-persistence-jdbc's journal DAO with its database writes measured: named by {@code jdbc-journal.dao}
 * (persistence.conf). The plugin queues the events every entity on the node persists and writes them in
 * batches, one transaction each ({@code jdbc-journal.batchSize}, {@code parallelism}); {@link #writeJournalRows}
 * is that transaction. So {@code wakeline_journal_write_seconds} is what a batch waited on the database and
 * {@code wakeline_journal_write_batch_rows} how much group commit gathered: the two figures the journal settings
 * trade against each other (docs/benchmarks.md §3).
 *
 * <p>Chosen over HikariCP's Micrometer tracker, whose connection usage time mixes these writes with recovery
 * reads, snapshots and the event stream's polls on the same pool, and which does not know batch sizes; and over
 * a JDBC {@code DataSource} wrapper, which Slick's pool would have to be handed through JNDI.
 */
public class MeasuredJournalDao extends DefaultJournalDao {
    private final Timer written;
    private final Timer failed;
    private final DistributionSummary batchRows;

    public MeasuredJournalDao(JdbcBackend.DatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
                              Serialization serialization, ExecutionContext ec, Materializer mat) {
        super(db, profile, journalConfig, serialization, ec, mat);
        MeterRegistry registry = NodeMetrics.get(Adapter.toTyped(mat.system())).registry();
        written = writes(registry, "ok");
        failed = writes(registry, "failed");
        batchRows = DistributionSummary.builder("wakeline.journal.write.batch")
                .description("Events (journal rows) written per journal transaction")
                .baseUnit("rows")
                .serviceLevelObjectives(Buckets.BATCH_ROWS)
                .register(registry);
    }

    private static Timer writes(MeterRegistry registry, String outcome) {
        return Timer.builder("wakeline.journal.write")
                .description("Journal transactions (batches of persisted events), from start to commit, by outcome")
                .tag("outcome", outcome)
                .serviceLevelObjectives(Buckets.REQUEST)
                .register(registry);
    }

    @Override
    public Future<BoxedUnit> writeJournalRows(Seq<Tuple2<JournalTables.JournalAkkaSerializationRow, Set<String>>> rows) {
        long start = System.nanoTime();
        int size = rows.size();
        Future<BoxedUnit> write = super.writeJournalRows(rows);
        FutureConverters.asJava(write).whenComplete((done, failure) -> {
            (failure == null ? written : failed).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            batchRows.record(size);
        });
        return write;
    }
}
