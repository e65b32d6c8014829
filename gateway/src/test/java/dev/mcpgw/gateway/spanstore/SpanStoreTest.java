package dev.mcpgw.gateway.spanstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.store.Database;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.extension.ExtendWith(dev.mcpgw.gateway.store.PostgresExtension.class)
class SpanStoreTest {
  private static final Caller OPERATOR = new Caller("op", "ops", Caller.Role.PLATFORM_ADMIN);
  @TempDir Path tmp;
  private Database db;
  private SpanStore store;

  @BeforeEach
  void open() {
    db = Database.open(new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("spans.db"), null, null, 4));
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
    db.close();
  }

  private SpanStore store(boolean enabled, Duration retention, int maxSpans, int queue, int batch, Duration prune) {
    store = SpanStore.create(new GatewaySettings.SpanStore(enabled, retention, maxSpans, queue, batch, prune));
    return store;
  }

  private static List<SpanData> roots(int count, Instant start) {
    List<SpanData> out = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      out.add(Spans.span(Spans.trace(i), Spans.id(i), null, "root " + i, start.plusMillis(i), Attributes.empty()));
    }
    return out;
  }

  private long stored() {
    return store.queries().orElseThrow().count();
  }

  @Test
  void aFullQueueDropsAndCountsWhatDoesNotFitAndTheRestIsWrittenOnceTheDatabaseIsThere() {
    store(true, Duration.ofHours(1), 1000, 2, 10, Duration.ofHours(1));
    store.exporter().orElseThrow().export(roots(5, Instant.now()));
    assertThat(store.stats().dropped()).isEqualTo(3);
    assertThat(store.stats().queued()).isEqualTo(2);

    store.start(db);
    await().atMost(Duration.ofSeconds(10)).until(() -> stored() == 2);
    assertThat(store.stats().written()).isEqualTo(2);
  }

  @Test
  void batchesHoldAtMostTheBatchSize() {
    store(true, Duration.ofHours(1), 1000, 100, 3, Duration.ofHours(1));
    store.exporter().orElseThrow().export(roots(10, Instant.now()));
    store.start(db);
    await().atMost(Duration.ofSeconds(10)).until(() -> stored() == 10);
    assertThat(store.stats().largestBatch()).isEqualTo(3);
    assertThat(store.stats().batches()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void spansOlderThanTheRetentionGoAtThePruneInterval() {
    store(true, Duration.ofHours(1), 1000, 100, 100, Duration.ofMillis(100));
    List<SpanData> spans = new ArrayList<>(roots(3, Instant.now().minus(Duration.ofHours(2))));
    spans.add(Spans.span(Spans.trace(99), Spans.id(99), null, "fresh", Instant.now(), Attributes.empty()));
    store.exporter().orElseThrow().export(spans);
    store.start(db);
    await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().written() == 4);
    await().atMost(Duration.ofSeconds(10)).until(() -> stored() == 1);
    assertThat(store.queries().orElseThrow().traces(TraceFilter.all(), OPERATOR).traces())
        .extracting(TraceSummary::name).containsExactly("fresh");
    assertThat(store.stats().pruned()).isEqualTo(3);
  }

  @Test
  void retentionLeavesEveryPooledConnectionZeroingWhatTheRegistryDeletes() {
    store(true, Duration.ofMinutes(1), 2, 100, 100, Duration.ofHours(1));
    store.start(db);
    store.exporter().orElseThrow().export(roots(3, Instant.now().minus(Duration.ofHours(1))));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().written() == 3);

    assertThat(store.prune()).isEqualTo(3);

    // all four connections of the pool at once: the one retention used has secure_delete on again
    List<org.jdbi.v3.core.Handle> handles = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        handles.add(db.untracedJdbi().open());
      }
      assertThat(handles).allSatisfy(h -> assertThat(h.createQuery("PRAGMA secure_delete").mapTo(Integer.class).one())
          .isEqualTo(1));
    } finally {
      handles.forEach(org.jdbi.v3.core.Handle::close);
    }
  }

  @Test
  void beyondTheMostSpansKeptTheOldestGo() {
    store(true, Duration.ofHours(1), 3, 100, 100, Duration.ofHours(1));
    store.exporter().orElseThrow().export(roots(5, Instant.now().minusSeconds(10)));
    store.start(db);
    await().atMost(Duration.ofSeconds(10)).until(() -> stored() == 5);
    assertThat(store.prune()).isEqualTo(2);
    assertThat(store.queries().orElseThrow().traces(TraceFilter.all(), OPERATOR).traces())
        .extracting(TraceSummary::name).containsExactly("root 5", "root 4", "root 3");
  }

  @Test
  void aStoreThatIsOffHasNoExporterAndNoQueries() {
    store(false, Duration.ofHours(1), 10, 10, 10, Duration.ofHours(1));
    store.start(db);
    assertThat(store.exporter()).isEmpty();
    assertThat(store.queries()).isEmpty();
    assertThat(store.stats().enabled()).isFalse();
  }

  @Test
  void everySpanOfARequestTreeGetsTheTenantOfItsMcpSpanWhateverOrderTheyEndIn() {
    store(true, Duration.ofHours(1), 1000, 100, 100, Duration.ofHours(1));
    Instant t = Instant.now();
    String trace = Spans.trace(7);
    SpanData http = Spans.span(trace, Spans.id(1), null, "POST /mcp", t,
        Attributes.builder().put("request.id", "r-7").build());
    SpanData mcp = Spans.span(trace, Spans.id(2), Spans.id(1), "tools/call demo-echo", t,
        Attributes.builder().put("tenant.id", "acme").put("user.id", "alice").put("tool.name", "demo-echo").build());
    SpanData forward = Spans.span(trace, Spans.id(3), Spans.id(2), "gateway.forward", t, Attributes.empty());
    SpanData client = Spans.span(trace, Spans.id(4), Spans.id(3), "tools/call echo", t, Attributes.empty());
    // children end first, in two batches; the HTTP root last
    store.exporter().orElseThrow().export(List.of(client, forward));
    store.exporter().orElseThrow().export(List.of(mcp));
    store.start(db);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> store.stats().held() == 3);
    store.exporter().orElseThrow().export(List.of(http));
    await().atMost(Duration.ofSeconds(10)).until(() -> stored() == 4);

    Caller alice = new Caller("alice", "acme", Caller.Role.USER);
    assertThat(store.queries().orElseThrow().trace(trace, alice).orElseThrow())
        .extracting(SpanRow::tenantId).containsOnly("acme").hasSize(4);
    assertThat(store.queries().orElseThrow().trace(trace, new Caller("bob", "globex", Caller.Role.USER))).isEmpty();
    TraceSummary summary = store.queries().orElseThrow().traces(TraceFilter.all(), alice).traces().get(0);
    assertThat(summary).extracting(TraceSummary::name, TraceSummary::requestId, TraceSummary::user,
        TraceSummary::tool, TraceSummary::spanCount).containsExactly("POST /mcp", "r-7", "alice", "demo-echo", 4);
  }

  private static SpanData span(String trace, int id, Integer parent, String name, Instant start, long millis,
      boolean failed, Attributes attrs, io.opentelemetry.api.trace.SpanKind kind) {
    SpanData d = Spans.span(trace, Spans.id(id), parent == null ? null : Spans.id(parent), name, start, attrs, kind);
    long startNs = d.getStartEpochNanos();
    return io.opentelemetry.sdk.testing.trace.TestSpanData.builder().setSpanContext(d.getSpanContext())
        .setParentSpanContext(d.getParentSpanContext()).setName(name).setKind(kind).setStartEpochNanos(startNs)
        .setEndEpochNanos(startNs + millis * 1_000_000L).setHasEnded(true)
        .setStatus(failed ? io.opentelemetry.sdk.trace.data.StatusData.error()
            : io.opentelemetry.sdk.trace.data.StatusData.unset())
        .setAttributes(attrs).setTotalRecordedEvents(0).setTotalRecordedLinks(0).setTotalAttributeCount(attrs.size())
        .build();
  }

  @Test
  void aTraceWhoseSpansArriveInSeveralBatchesListsOnceWithItsSpanCountDurationAndStatus() {
    store(true, Duration.ofHours(1), 1000, 100, 100, Duration.ofHours(1));
    store.start(db);
    Instant t = Instant.now();
    String trace = Spans.trace(11);
    var server = io.opentelemetry.api.trace.SpanKind.SERVER;
    var internal = io.opentelemetry.api.trace.SpanKind.INTERNAL;
    store.exporter().orElseThrow().export(List.of(
        span(trace, 2, 1, "gateway.forward", t.plusMillis(1), 3, false, Attributes.empty(), internal),
        span(trace, 1, null, "POST /mcp", t, 5, false, Attributes.builder().put("request.id", "r-11")
            .put("tenant.id", "acme").build(), server)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().written() == 2);
    // the MCP span ends after its HTTP parent (its tokens are counted after the answer): a chunk of its own, later
    store.exporter().orElseThrow().export(List.of(span(trace, 3, 1, "tools/call demo-add", t.plusMillis(2), 40, true,
        Attributes.builder().put("tenant.id", "acme").put("user.id", "alice").put("tool.name", "demo-add").build(),
        server)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().written() == 3);

    Caller alice = new Caller("alice", "acme", Caller.Role.USER);
    SpanQueries q = store.queries().orElseThrow();
    assertThat(q.traces(TraceFilter.all(), alice).traces()).singleElement().satisfies(s -> {
      assertThat(s.traceId()).isEqualTo(trace);
      assertThat(s.name()).isEqualTo("POST /mcp");
      assertThat(s.spanCount()).isEqualTo(3);
      assertThat(s.durationMs()).isEqualTo(42.0);
      assertThat(s.status()).isEqualTo("error");
      assertThat(s).extracting(TraceSummary::requestId, TraceSummary::user, TraceSummary::tenant, TraceSummary::tool)
          .containsExactly("r-11", "alice", "acme", "demo-add");
    });
    assertThat(q.trace(trace, alice).orElseThrow()).extracting(SpanRow::name)
        .containsExactly("POST /mcp", "gateway.forward", "tools/call demo-add");
    assertThat(q.stats(SpanQueries.GroupBy.TOOL, Duration.ofHours(1), alice)).singleElement()
        .extracting(GroupStats::key, GroupStats::calls, GroupStats::errors).containsExactly("demo-add", 1L, 1L);
    assertThat(q.count()).isEqualTo(3);
  }

  @Test
  void theSummaryFiltersApplyToTheWholeTraceWhicheverChunkBroughtTheValue() {
    store(true, Duration.ofHours(1), 1000, 100, 100, Duration.ofHours(1));
    store.start(db);
    Instant t = Instant.now().minusSeconds(60);
    var server = io.opentelemetry.api.trace.SpanKind.SERVER;
    // trace 21: fast and ok, tool demo-echo; trace 22: slow and failed, tool demo-add, its request id in a late chunk
    store.exporter().orElseThrow().export(List.of(
        span(Spans.trace(21), 1, null, "POST /mcp", t, 2, false, Attributes.builder().put("request.id", "r-21")
            .put("user.id", "alice").put("tool.name", "demo-echo").build(), server),
        span(Spans.trace(22), 2, null, "tools/call demo-add", t.plusSeconds(10), 10, false,
            Attributes.builder().put("user.id", "bob").put("tool.name", "demo-add").build(), server)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().written() == 2);
    // a late request tree of the trace (its root's parent is the caller's): a chunk of its own
    store.exporter().orElseThrow().export(List.of(remote(span(Spans.trace(22), 3, 2, "late", t.plusSeconds(10), 300,
        true, Attributes.builder().put("request.id", "r-22").build(), io.opentelemetry.api.trace.SpanKind.SERVER))));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().written() == 3);

    SpanQueries q = store.queries().orElseThrow();
    long fromNs = t.plusSeconds(5).getEpochSecond() * 1_000_000_000L;
    assertThat(ids(q, new TraceFilter("r-22", null, null, null, null, null, null, null, null, 10, 0)))
        .containsExactly(Spans.trace(22));
    assertThat(ids(q, new TraceFilter(null, null, "alice", null, null, null, null, null, null, 10, 0)))
        .containsExactly(Spans.trace(21));
    assertThat(ids(q, new TraceFilter(null, null, null, null, "demo-add", null, null, null, null, 10, 0)))
        .containsExactly(Spans.trace(22));
    assertThat(ids(q, new TraceFilter(null, null, null, null, null, "error", null, null, null, 10, 0)))
        .containsExactly(Spans.trace(22));
    assertThat(ids(q, new TraceFilter(null, null, null, null, null, "ok", null, null, null, 10, 0)))
        .containsExactly(Spans.trace(21));
    assertThat(ids(q, new TraceFilter(null, null, null, null, null, null, 100L, null, null, 10, 0)))
        .containsExactly(Spans.trace(22));
    assertThat(ids(q, new TraceFilter(null, Spans.trace(21), null, null, null, null, null, null, null, 10, 0)))
        .containsExactly(Spans.trace(21));
    assertThat(ids(q, new TraceFilter(null, null, null, null, null, null, null, fromNs, null, 10, 0)))
        .containsExactly(Spans.trace(22));
    assertThat(ids(q, new TraceFilter(null, null, null, null, null, null, null, null, fromNs, 10, 0)))
        .containsExactly(Spans.trace(21));
    assertThat(ids(q, new TraceFilter(null, null, null, null, null, null, null, null, null, 1, 0)))
        .containsExactly(Spans.trace(22));
    assertThat(q.traces(new TraceFilter(null, null, null, null, null, null, null, null, null, 1, 0), OPERATOR).more())
        .isTrue();
    assertThat(ids(q, new TraceFilter(null, null, null, null, null, null, null, null, null, 1, 1)))
        .containsExactly(Spans.trace(21));
  }

  private static List<String> ids(SpanQueries q, TraceFilter f) {
    return q.traces(f, OPERATOR).traces().stream().map(TraceSummary::traceId).toList();
  }

  @Test
  void retentionDropsWholeTracesWithEveryChunkEvenOneThatArrivedLater() {
    store(true, Duration.ofHours(1), 4, 100, 100, Duration.ofHours(1));
    store.start(db);
    Instant old = Instant.now().minus(Duration.ofMinutes(30));
    var server = io.opentelemetry.api.trace.SpanKind.SERVER;
    var internal = io.opentelemetry.api.trace.SpanKind.INTERNAL;
    String older = Spans.trace(31);
    String newer = Spans.trace(32);
    String expired = Spans.trace(33);
    store.exporter().orElseThrow().export(List.of(
        span(expired, 9, null, "expired", Instant.now().minus(Duration.ofHours(2)), 1, false, Attributes.empty(),
            server),
        span(older, 1, null, "older", old, 1, false, Attributes.empty(), server),
        span(older, 2, 1, "older child", old, 1, false, Attributes.empty(), internal),
        span(newer, 5, null, "newer", Instant.now(), 1, false, Attributes.empty(), server)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().written() == 4);
    // a late chunk of each: the older trace now has 3 spans in 2 chunks, the expired one 2 spans, one of them fresh
    store.exporter().orElseThrow().export(List.of(
        remote(span(older, 3, 1, "older late", Instant.now(), 1, false, Attributes.empty(), internal)),
        remote(span(expired, 8, 9, "expired late", Instant.now(), 1, false, Attributes.empty(), internal)),
        remote(span(newer, 6, 5, "newer child", Instant.now(), 1, false, Attributes.empty(), internal))));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().written() == 7);
    assertThat(stored()).isEqualTo(7);

    // the expired trace goes by age (both its chunks); then 5 spans are left for 4 kept: the older trace goes whole
    assertThat(store.prune()).isEqualTo(5);

    SpanQueries q = store.queries().orElseThrow();
    assertThat(q.trace(expired, OPERATOR)).isEmpty();
    assertThat(q.trace(older, OPERATOR)).isEmpty();
    assertThat(q.trace(newer, OPERATOR).orElseThrow()).hasSize(2);
    assertThat(q.traces(TraceFilter.all(), OPERATOR).traces()).extracting(TraceSummary::name).containsExactly("newer");
    assertThat(stored()).isEqualTo(2);
    int chunks = db.untracedJdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM span_chunks")
        .mapTo(Integer.class).one());
    assertThat(chunks).as("the newer trace's second chunk (its line carries the first, ADR 0034)").isEqualTo(1);
    int lines = db.untracedJdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM span_traces WHERE spans IS NOT NULL").mapTo(Integer.class).one());
    assertThat(lines).as("the newer trace's line, with its first chunk").isEqualTo(1);
  }

  @Test
  void aClientReusingOneTraceIdCannotGrowItsTracesStatsLineWithoutEnd() {
    store(true, Duration.ofHours(1), 100_000, 5_000, 5_000, Duration.ofHours(1));
    store.start(db);
    Instant t = Instant.now();
    String trace = Spans.trace(51);
    var server = io.opentelemetry.api.trace.SpanKind.SERVER;
    List<SpanData> calls = new ArrayList<>();
    calls.add(span(trace, 1, null, "POST /mcp", t, 1, false, Attributes.empty(), server));
    for (int i = 2; i < 2_000; i++) {
      calls.add(span(trace, i, 1, "tools/call demo-echo", t, 1, false,
          Attributes.builder().put("tool.name", "demo-echo").build(), server));
    }
    store.exporter().orElseThrow().export(calls);
    await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().written() == 1_999);
    // the client's next request in the same trace: a request tree of its own
    store.exporter().orElseThrow().export(List.of(remote(span(trace, 3_000, 1, "tools/call demo-add", t, 1, false,
        Attributes.builder().put("tool.name", "demo-add").build(), server))));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().written() == 2_000);

    SpanQueries q = store.queries().orElseThrow();
    assertThat(q.stats(SpanQueries.GroupBy.TOOL, Duration.ofHours(1), OPERATOR)).extracting(GroupStats::key)
        .containsExactly("demo-echo");
    assertThat(q.traces(TraceFilter.all(), OPERATOR).traces()).singleElement()
        .extracting(TraceSummary::spanCount).isEqualTo(2_000);
    assertThat(q.trace(trace, OPERATOR).orElseThrow()).hasSize(2_000);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(dev.mcpgw.gateway.store.TestDatabases.Kind.class)
  void theSameQueriesAnswerTheSameOnSqliteAndPostgresql(dev.mcpgw.gateway.store.TestDatabases.Kind kind,
      dev.mcpgw.gateway.store.TestDatabases dbs) {
    try (Database other = Database.open(dbs.create(kind, tmp))) {
      SpanStore s = SpanStore.create(new GatewaySettings.SpanStore(true, Duration.ofHours(1), 2, 100, 100,
          Duration.ofHours(1)));
      try {
        Instant t = Instant.now();
        String trace = Spans.trace(42);
        s.exporter().orElseThrow().export(List.of(
            Spans.span(trace, Spans.id(2), Spans.id(1), "tools/call demo-add", t,
                Attributes.builder().put("tenant.id", "acme").put("user.id", "alice").put("tool.name", "demo-add")
                    .put("mcp.method.name", "tools/call").build(), io.opentelemetry.api.trace.SpanKind.SERVER),
            Spans.span(trace, Spans.id(1), null, "POST /mcp", t, Attributes.builder().put("request.id", "r-42").build()),
            Spans.span(Spans.trace(43), Spans.id(3), null, "old", t.minusSeconds(5), Attributes.empty())));
        // the same span again (a retried export) is written once
        s.exporter().orElseThrow().export(List.of(Spans.span(Spans.trace(43), Spans.id(3), null, "old",
            t.minusSeconds(5), Attributes.empty())));
        s.start(other);
        await().atMost(Duration.ofSeconds(10)).until(() -> s.queries().orElseThrow().count() == 3);
        SpanQueries q = s.queries().orElseThrow();
        Caller alice = new Caller("alice", "acme", Caller.Role.USER);
        TraceFilter byRequest = new TraceFilter("r-42", null, "alice", "acme", "demo-add", "ok", 0L,
            (t.getEpochSecond() - 1) * 1_000_000_000L, null, 10, 0);
        assertThat(q.traces(byRequest, alice).traces()).extracting(TraceSummary::traceId, TraceSummary::name)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(trace, "POST /mcp"));
        assertThat(q.traces(TraceFilter.all(), OPERATOR).traces()).hasSize(2);
        assertThat(q.traces(TraceFilter.all(), alice).traces()).hasSize(1);
        assertThat(q.trace(trace, alice).orElseThrow()).hasSize(2);
        assertThat(q.stats(SpanQueries.GroupBy.TOOL, Duration.ofHours(1), alice)).extracting(GroupStats::key)
            .containsExactly("demo-add");
        assertThat(s.prune()).isEqualTo(1);
        assertThat(q.trace(Spans.trace(43), OPERATOR)).isEmpty();
      } finally {
        s.close();
      }
    }
  }

  /**
   * {@code d} with its parent made remote: the local root of a request tree of its own in its trace (a span without a
   * tenant in a trace already written waits for its tree's root, ADR 0022's tenant stamping).
   */
  private static SpanData remote(SpanData d) {
    return io.opentelemetry.sdk.testing.trace.TestSpanData.builder().setSpanContext(d.getSpanContext())
        .setParentSpanContext(io.opentelemetry.api.trace.SpanContext.createFromRemoteParent(d.getTraceId(),
            d.getParentSpanId(), io.opentelemetry.api.trace.TraceFlags.getSampled(),
            io.opentelemetry.api.trace.TraceState.getDefault()))
        .setName(d.getName()).setKind(d.getKind()).setStartEpochNanos(d.getStartEpochNanos())
        .setEndEpochNanos(d.getEndEpochNanos()).setHasEnded(true).setStatus(d.getStatus())
        .setAttributes(d.getAttributes()).setTotalRecordedEvents(0).setTotalRecordedLinks(0)
        .setTotalAttributeCount(d.getAttributes().size()).build();
  }

  @Test
  void aDriverThatReportsNoUpdateCountsFailsTheBatchInsteadOfMergingANewLineTwice(
      dev.mcpgw.gateway.store.TestDatabases dbs) {
    GatewaySettings.Database pg = dbs.create(dev.mcpgw.gateway.store.TestDatabases.Kind.POSTGRESQL, tmp);
    // the PostgreSQL driver's batch rewriting answers SUCCESS_NO_INFO for every row (ADR 0034)
    String url = pg.url() + (pg.url().contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    try (Database rewriting = Database.open(new GatewaySettings.Database(url, pg.user(), pg.password(), 4))) {
      SpanStore s = SpanStore.create(new GatewaySettings.SpanStore(true, Duration.ofHours(1), 100, 100, 100,
          Duration.ofHours(1)));
      try {
        s.start(rewriting);
        // four traces in one batch: the driver rewrites a batch of several rows into one multi-row insert
        List<SpanData> calls = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
          calls.addAll(call(Spans.trace(80 + n), n, Instant.now()));
        }
        s.exporter().orElseThrow().export(calls);
        await().atMost(Duration.ofSeconds(10)).until(() -> s.stats().writeFailed() + s.stats().written() == 8);
        assertThat(s.stats().writeFailed()).isEqualTo(8);
        assertThat(s.queries().orElseThrow().traces(TraceFilter.all(), OPERATOR).traces()).isEmpty();
      } finally {
        s.close();
      }
    }
  }

  /** One call through the gateway: its HTTP span and its MCP span, both SERVER, both with the call's request id. */
  private static List<SpanData> call(String trace, int n, Instant start) {
    var server = io.opentelemetry.api.trace.SpanKind.SERVER;
    Attributes http = Attributes.builder().put("request.id", "r-" + n).put("tenant.id", "acme").build();
    Attributes mcp = Attributes.builder().put("request.id", "r-" + n).put("tenant.id", "acme").put("user.id", "alice")
        .put("tool.name", "demo-add").build();
    // the client's traceparent makes every call's HTTP span a child of the agent's own (remote) span 999
    return List.of(remote(span(trace, 10 * n, 999, "POST /mcp", start.plusMillis(n), 5, false, http, server)),
        span(trace, 10 * n + 1, 10 * n, "tools/call demo-add", start.plusMillis(n), 3, false, mcp, server));
  }

  private static long requestRows(Database database) {
    return database.untracedJdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM span_requests")
        .mapTo(Long.class).one());
  }

  private static TraceFilter byRequest(String requestId) {
    return new TraceFilter(requestId, null, null, null, null, null, null, null, null, 10, 0);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(dev.mcpgw.gateway.store.TestDatabases.Kind.class)
  void everyCallOfATraceIsFoundByItsOwnRequestIdAndRetentionTakesTheRequestIdsWithTheTrace(
      dev.mcpgw.gateway.store.TestDatabases.Kind kind, dev.mcpgw.gateway.store.TestDatabases dbs) {
    try (Database other = Database.open(dbs.create(kind, tmp))) {
      SpanStore s = SpanStore.create(new GatewaySettings.SpanStore(true, Duration.ofHours(1), 7, 100, 100,
          Duration.ofHours(1)));
      try {
        s.start(other);
        Instant t = Instant.now();
        String trace = Spans.trace(61);
        String lone = Spans.trace(62);
        List<SpanData> first = new ArrayList<>(call(trace, 1, t));
        first.addAll(call(trace, 2, t));
        s.exporter().orElseThrow().export(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> s.stats().written() == 4);
        List<SpanData> second = new ArrayList<>(call(trace, 3, t));
        second.add(span(lone, 1, null, "POST /mcp", t.plusSeconds(1), 1, false,
            Attributes.builder().put("request.id", "r-lone").put("tenant.id", "acme").build(),
            io.opentelemetry.api.trace.SpanKind.SERVER));
        second.add(span(lone, 2, null, "POST /mcp", t.plusSeconds(1).plusMillis(5), 1, false,
            Attributes.builder().put("request.id", "r-lone-2").put("tenant.id", "acme").build(),
            io.opentelemetry.api.trace.SpanKind.SERVER));
        s.exporter().orElseThrow().export(second);
        await().atMost(Duration.ofSeconds(10)).until(() -> s.stats().written() == 8);

        SpanQueries q = s.queries().orElseThrow();
        Caller alice = new Caller("alice", "acme", Caller.Role.USER);
        for (String id : List.of("r-1", "r-2", "r-3")) {
          assertThat(q.traces(byRequest(id), alice).traces()).as(id).singleElement().satisfies(summary -> {
            assertThat(summary.traceId()).isEqualTo(trace);
            assertThat(summary.spanCount()).isEqualTo(6);
            assertThat(summary.requestId()).as("the line shows the first call's").isEqualTo("r-1");
          });
        }
        assertThat(q.traces(byRequest("r-2"), new Caller("bob", "globex", Caller.Role.USER)).traces()).isEmpty();
        assertThat(q.traces(byRequest("r-4"), alice).traces()).isEmpty();
        assertThat(q.traces(byRequest("r-lone-2"), alice).traces()).extracting(TraceSummary::traceId)
            .containsExactly(lone);
        // one row per call (its HTTP and MCP spans share the id), but the first call of the chunk that made its
        // trace's line (r-1, r-lone): the line carries that one (ADR 0034); r-2, r-3 and r-lone-2 are rows
        assertThat(requestRows(other)).isEqualTo(3);

        // 7 spans kept at most: the lone trace's 2 stay, the 6 of the three calls do not fit; one more call and
        // they go. It starts after the lone trace: its request id row is found by the trace, the lone one's stays
        // (ADR 0031)
        s.exporter().orElseThrow().export(call(trace, 4, t.plusSeconds(2)));
        await().atMost(Duration.ofSeconds(10)).until(() -> s.stats().written() == 10);
        assertThat(s.prune()).isEqualTo(8);
        assertThat(q.traces(byRequest("r-2"), alice).traces()).isEmpty();
        assertThat(q.traces(byRequest("r-1"), alice).traces()).isEmpty();
        for (String id : List.of("r-lone", "r-lone-2")) {
          assertThat(q.traces(byRequest(id), alice).traces()).as(id).extracting(TraceSummary::traceId)
              .containsExactly(lone);
        }
        assertThat(requestRows(other)).isEqualTo(1);
      } finally {
        s.close();
      }
    }
  }

  @Test
  void aClientReusingOneTraceIdForEveryCallKeepsNoMoreRequestIdsThanTheMostSpansKept() {
    int maxSpans = 10;
    store(true, Duration.ofHours(1), maxSpans, 1_000, 1_000, Duration.ofHours(1));
    store.start(db);
    String trace = Spans.trace(71);
    Instant t = Instant.now();
    int written = 0;
    for (int batch = 0; batch < 5; batch++) {
      List<SpanData> calls = new ArrayList<>();
      for (int n = 1; n <= 3; n++) {
        calls.addAll(call(trace, batch * 10 + n, t.plusSeconds(batch)));
      }
      store.exporter().orElseThrow().export(calls);
      written += calls.size();
      int expected = written;
      await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().written() == expected);
      store.prune();
      assertThat(requestRows(db)).as("after batch %d", batch).isLessThanOrEqualTo(maxSpans)
          .isLessThanOrEqualTo(stored());
    }
    assertThat(store.stats().pruned()).isPositive();
  }
}
