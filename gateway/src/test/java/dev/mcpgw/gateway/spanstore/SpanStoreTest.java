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
}
