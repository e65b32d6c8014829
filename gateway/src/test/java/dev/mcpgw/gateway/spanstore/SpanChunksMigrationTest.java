package dev.mcpgw.gateway.spanstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.store.Database;
import dev.mcpgw.gateway.store.PostgresExtension;
import dev.mcpgw.gateway.store.TestDatabases;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * V6 on a database written by the release before it: the spans stored one per row are dropped (documented in
 * docs/observability-console.md and ADR 0027), the registry's rows stay. V8 on a store written before it: its traces
 * stay readable, by request id and by trace id, and take later chunks (ADR 0034). On SQLite and on PostgreSQL.
 */
@ExtendWith(PostgresExtension.class)
class SpanChunksMigrationTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void upgradingDropsTheSpansStoredPerRowAndKeepsTheRegistry(TestDatabases.Kind kind, TestDatabases dbs) {
    GatewaySettings.Database settings = dbs.create(kind, tmp);
    try (HikariDataSource ds = dataSource(settings)) {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("1").load().migrate();
      Jdbi.create(ds).useHandle(h -> h.execute("INSERT INTO gateways (id, name, transport, url, command, args_json,"
          + " env_json, headers_json, created_at) VALUES ('g1', 'legacy', 'streamablehttp', 'http://127.0.0.1:9/mcp',"
          + " NULL, '[]', '{}', '{}', 1)"));
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("5").load().migrate();
      Jdbi.create(ds).useHandle(h -> h.execute("INSERT INTO spans (trace_id, span_id, name, kind, start_ns,"
          + " duration_ns, status, attributes, events) VALUES ('" + "a".repeat(32) + "', '" + "b".repeat(16)
          + "', 'POST /mcp', 'SERVER', 1, 1, 'ok', '{}', '[]')"));
    }

    try (Database db = Database.open(settings)) {
      Jdbi jdbi = db.untracedJdbi();
      String gateway = jdbi.withHandle(h -> h.createQuery("SELECT name FROM gateways WHERE id = 'g1'")
          .mapTo(String.class).one());
      int lines = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM span_traces").mapTo(Integer.class).one());
      int chunks = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM span_chunks").mapTo(Integer.class).one());
      assertThat(gateway).isEqualTo("legacy");
      assertThat(lines).isZero();
      assertThat(chunks).isZero();
      assertThatThrownBy(() -> jdbi.useHandle(h -> h.createQuery("SELECT COUNT(*) FROM spans").mapTo(Integer.class)
          .one())).hasMessageContaining("spans");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void aTraceStoredBeforeTheLineCarriedItsFirstChunkStaysReadableAndTakesLaterChunks(TestDatabases.Kind kind,
      TestDatabases dbs) {
    GatewaySettings.Database settings = dbs.create(kind, tmp);
    String trace = Spans.trace(71);
    long start = java.time.Instant.now().toEpochMilli() * 1_000_000L;
    // a chunk as V7's writer wrote it (ChunkCodec's layout then): user, request id, tool, upstream and method between
    // status and service
    String oldChunk = "[[\"" + Spans.id(1) + "\",null,\"POST /mcp\",\"SERVER\"," + start + ",2000000,\"ok\",\"alice\","
        + "\"r-old\",null,null,null,\"mcpgw\",{},[]]]";
    try (HikariDataSource ds = dataSource(settings)) {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("7").load().migrate();
      // the shape V7's writer left: a line without spans, the chunk and the request id as rows
      Jdbi.create(ds).useHandle(h -> {
        h.createUpdate("INSERT INTO span_traces (trace_id, tenant_id, start_ns, end_ns, failed, name, name_order,"
            + " request_id, user_id, tool_name, span_count, calls) VALUES (:t, 'acme', :s, :e, 0, 'POST /mcp', :o,"
            + " 'r-old', 'alice', NULL, 1, '')").bind("t", trace).bind("s", start).bind("e", start + 2_000_000)
            .bind("o", start - TraceChunk.ROOT_BIAS).execute();
        h.createUpdate("INSERT INTO span_chunks (trace_id, tenant_id, start_ns, span_count, spans) VALUES (:t, 'acme',"
            + " :s, 1, :spans)").bind("t", trace).bind("s", start)
            .bind("spans", oldChunk).execute();
        h.createUpdate("INSERT INTO span_requests (request_id, trace_id, tenant_id, start_ns) VALUES ('r-old', :t,"
            + " 'acme', :s)").bind("t", trace).bind("s", start).execute();
      });
    }

    try (Database db = Database.open(settings)) {
      SpanStore store = SpanStore.create(new GatewaySettings.SpanStore(true, java.time.Duration.ofHours(1), 1_000, 100,
          100, java.time.Duration.ofHours(1)));
      try {
        store.start(db);
        SpanQueries q = store.queries().orElseThrow();
        dev.mcpgw.gateway.auth.Caller alice = new dev.mcpgw.gateway.auth.Caller("alice", "acme",
            dev.mcpgw.gateway.auth.Caller.Role.USER);
        TraceFilter byOld = new TraceFilter("r-old", null, null, null, null, null, null, null, null, 10, 0);
        assertThat(q.traces(byOld, alice).traces()).extracting(TraceSummary::traceId).containsExactly(trace);
        assertThat(q.trace(trace, alice).orElseThrow()).extracting(SpanRow::name).containsExactly("POST /mcp");

        // a later call of the same trace, written by the new writer: merged into the old line, as a chunk row
        store.exporter().orElseThrow().export(java.util.List.of(Spans.span(trace, Spans.id(2), null, "POST /mcp",
            java.time.Instant.ofEpochSecond(0, start).plusMillis(5), io.opentelemetry.api.common.Attributes.builder()
                .put("request.id", "r-new").put("tenant.id", "acme").put("user.id", "alice").build())));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
            .until(() -> store.stats().written() == 1);
        TraceFilter byNew = new TraceFilter("r-new", null, null, null, null, null, null, null, null, 10, 0);
        assertThat(q.traces(byNew, alice).traces()).singleElement().satisfies(line -> {
          assertThat(line.traceId()).isEqualTo(trace);
          assertThat(line.spanCount()).isEqualTo(2);
          assertThat(line.requestId()).isEqualTo("r-old");
        });
        assertThat(q.trace(trace, alice).orElseThrow()).extracting(SpanRow::spanId)
            .containsExactly(Spans.id(1), Spans.id(2));
      } finally {
        store.close();
      }
    }
  }

  /** A pool on {@code settings}' database that migrates nothing by itself: the tests migrate it to a version. */
  private static HikariDataSource dataSource(GatewaySettings.Database settings) {
    HikariDataSource ds = new HikariDataSource();
    ds.setJdbcUrl(settings.url());
    if (settings.user() != null) {
      ds.setUsername(settings.user());
      ds.setPassword(settings.password());
    }
    return ds;
  }
}
