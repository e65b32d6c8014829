package dev.mcpgw.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.config.GatewaySettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page size of the SQLite file (ADR 0032): new files get {@link Database#SQLITE_PAGE_SIZE}, old ones keep theirs. */
class SqlitePageSizeTest {
  @TempDir Path tmp;

  @Test
  void aNewDatabaseFileGetsTheLargerPagesAndStillRunsInWalMode() {
    GatewaySettings.Database settings = new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("new.db"), null, null, 4);
    try (Database db = Database.open(settings)) {
      assertThat(pragma(db, "page_size")).isEqualTo(String.valueOf(Database.SQLITE_PAGE_SIZE));
      assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
      int chunks = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM span_chunks").mapTo(Integer.class).one());
      assertThat(chunks).as("migrated").isZero();
    }
  }

  @Test
  void anExistingDatabaseFileKeepsItsPageSize() throws Exception {
    Path file = oldFile();
    try (Database db = Database.open(new GatewaySettings.Database("jdbc:sqlite:" + file, null, null, 4))) {
      assertThat(pragma(db, "page_size")).isEqualTo("4096");
      assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
    }
  }

  @Test
  void anOldFileConvertedAsTheOperationsGuideSaysKeepsItsRowsAndGetsTheLargerPages() throws Exception {
    Path file = oldFile();
    GatewaySettings.Database settings = new GatewaySettings.Database("jdbc:sqlite:" + file, null, null, 4);
    try (Database db = Database.open(settings)) {
      db.jdbi().useHandle(h -> h.execute("INSERT INTO span_chunks (trace_id, tenant_id, start_ns, span_count, spans)"
          + " VALUES ('t1', '', 1, 1, '[]')"));
    }
    // the statements of docs/operations.md, "SQLite page size", with the gateway stopped
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      for (String sql : "PRAGMA journal_mode=DELETE; PRAGMA page_size=16384; VACUUM; PRAGMA journal_mode=WAL;"
          .split(";")) {
        if (!sql.isBlank()) {
          s.execute(sql.trim());
        }
      }
    }
    try (Database db = Database.open(settings)) {
      assertThat(pragma(db, "page_size")).isEqualTo("16384");
      assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
      List<String> chunks = db.jdbi().withHandle(h -> h.createQuery("SELECT trace_id FROM span_chunks")
          .mapTo(String.class).list());
      assertThat(chunks).containsExactly("t1");
    }
  }

  /** An empty database file with SQLite's default 4 KiB pages, as an older version made it. */
  private Path oldFile() throws Exception {
    Path file = tmp.resolve("old.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("PRAGMA page_size = 4096");
      s.execute("VACUUM");
    }
    return file;
  }

  private static String pragma(Database db, String name) {
    return db.jdbi().withHandle(h -> h.createQuery("PRAGMA " + name).mapTo(String.class).one());
  }
}
