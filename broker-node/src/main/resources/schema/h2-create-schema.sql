-- Journal, tags, snapshots and durable state for akka-persistence-jdbc 5.2.1 on H2: the plugin's
-- schema/h2/h2-create-schema.sql with IF NOT EXISTS on every statement, so a restart re-runs it
-- without errors and a real error is never mistaken for "already exists".
-- Two changes, both for the cost of H2's commits (under load H2 took half of the node's CPU, most of it
-- rewriting the pages a commit changed; JFR, control-throughput.sh):
-- * the journal's event_payload is VARBINARY, not BLOB. An event is a few hundred bytes to a few hundred KB
--   and is written once; as a BLOB each one went through H2's LOB storage (more maps rewritten at every
--   commit: 17 % of H2's time). Stored in the row instead.
-- * "ordering" is the primary key (the rows are stored by it, in insertion order) and (persistence_id,
--   sequence_number) a unique index, instead of a composite primary key plus two unique indexes on
--   "ordering" (the column's UNIQUE and event_journal_ordering_idx): one index fewer to keep per row, the
--   same uniqueness and lookups.
-- A database created with the plugin's schema keeps it and works as before.
-- Statements end with ';' at the end of a line.

CREATE TABLE IF NOT EXISTS "event_journal" (
  "ordering" BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  "deleted" BOOLEAN DEFAULT false NOT NULL,
  "persistence_id" VARCHAR(255) NOT NULL,
  "sequence_number" BIGINT NOT NULL,
  "writer" VARCHAR NOT NULL,
  "write_timestamp" BIGINT NOT NULL,
  "adapter_manifest" VARCHAR NOT NULL,
  "event_payload" VARBINARY NOT NULL,
  "event_ser_id" INTEGER NOT NULL,
  "event_ser_manifest" VARCHAR NOT NULL,
  "meta_payload" BLOB,
  "meta_ser_id" INTEGER,
  "meta_ser_manifest" VARCHAR
);

CREATE UNIQUE INDEX IF NOT EXISTS "event_journal_persistence_id_sequence_number_idx"
  ON "event_journal" ("persistence_id", "sequence_number");

-- H2 persists an identity column's sequence with a full store commit every CACHE values (default 32): under
-- load that was a third of the journal threads' time (JFR, control-throughput.sh). A larger cache only widens
-- the gap in "ordering" after a crash; nothing here reads it (the event stream follows sequence_number).
ALTER TABLE "event_journal" ALTER COLUMN "ordering" SET CACHE 1000;

CREATE TABLE IF NOT EXISTS "event_tag" (
  "event_id" BIGINT NOT NULL,
  "tag" VARCHAR NOT NULL,
  PRIMARY KEY ("event_id", "tag"),
  CONSTRAINT fk_event_journal
    FOREIGN KEY ("event_id")
    REFERENCES "event_journal" ("ordering")
    ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS "snapshot" (
  "persistence_id" VARCHAR(255) NOT NULL,
  "sequence_number" BIGINT NOT NULL,
  "created" BIGINT NOT NULL,
  "snapshot_ser_id" INTEGER NOT NULL,
  "snapshot_ser_manifest" VARCHAR NOT NULL,
  "snapshot_payload" BLOB NOT NULL,
  "meta_ser_id" INTEGER,
  "meta_ser_manifest" VARCHAR,
  "meta_payload" BLOB,
  PRIMARY KEY ("persistence_id", "sequence_number")
);

CREATE SEQUENCE IF NOT EXISTS "global_offset_seq";

CREATE TABLE IF NOT EXISTS "durable_state" (
  "global_offset" BIGINT DEFAULT NEXT VALUE FOR "global_offset_seq",
  "persistence_id" VARCHAR(255) NOT NULL,
  "revision" BIGINT NOT NULL,
  "state_payload" BLOB NOT NULL,
  "state_serial_id" INTEGER NOT NULL,
  "state_serial_manifest" VARCHAR,
  "tag" VARCHAR,
  "state_timestamp" BIGINT NOT NULL,
  PRIMARY KEY ("persistence_id")
);

CREATE INDEX IF NOT EXISTS "state_tag_idx" ON "durable_state" ("tag");

CREATE INDEX IF NOT EXISTS "state_global_offset_idx" ON "durable_state" ("global_offset");
