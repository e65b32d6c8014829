package dev.mcpgw.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accounting pipeline over a real SQLite registry database. */
class UsageAccountantTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:30Z");
  private static final TokenCounter TOKENS = TokenCounter.create("o200k_base");

  @TempDir Path tmp;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private Database db() {
    Database db = Database.open(new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4));
    open.add(db);
    return db;
  }

  private UsageAccountant accountant(Database db, Pricing pricing) {
    UsageAccountant a = UsageAccountant.builder(new UsageRepository(db), new QuotaRepository(db), TOKENS)
        .pricing(pricing).flushInterval(Duration.ofMillis(100)).clock(Clock.fixed(NOW, ZoneOffset.UTC)).start();
    open.add(a);
    return a;
  }

  private static ToolCall call(String tenant, String user, String tool, String args, String result) throws Exception {
    return new ToolCall(tenant, user, tool, "everything", true, true, 12_000_000L, JSON.readTree(args),
        result == null ? null : JSON.readTree(result), NOW.toEpochMilli());
  }

  private static Map<String, UsageRepository.Group> byKey(List<UsageRepository.Group> groups) {
    Map<String, UsageRepository.Group> m = new java.util.HashMap<>();
    groups.forEach(g -> m.put(g.key(), g));
    return m;
  }

  @Test
  void everyCallIsRolledUpPerMinuteAndWrittenWithItsTokensAndCost() throws Exception {
    Database db = db();
    Pricing pricing = Pricing.load(PricingTest.EXAMPLE);
    UsageAccountant a = accountant(db, pricing);
    String result = "{\"content\":[{\"type\":\"text\",\"text\":\"Echo: hello world\"}]}";
    a.record(call("acme", "alice", "everything-echo", "{\"message\":\"hello world\"}", result));
    a.record(call("acme", "alice", "everything-echo", "{\"message\":\"hello world\"}", result));
    a.record(call("acme", "bob", "everything-add", "{\"a\":1,\"b\":2}", "{\"content\":[{\"type\":\"text\",\"text\":\"3\"}]}"));
    UsageRepository store = new UsageRepository(db);
    long from = NOW.minusSeconds(3600).toEpochMilli();
    long to = NOW.plusSeconds(60).toEpochMilli();

    await().atMost(Duration.ofSeconds(10)).until(() -> store.groups(UsageRepository.GroupBy.USER, from, to, "acme", null)
        .stream().mapToLong(UsageRepository.Group::calls).sum() == 3);

    Map<String, UsageRepository.Group> users = byKey(store.groups(UsageRepository.GroupBy.USER, from, to, "acme", null));
    UsageRepository.Group alice = users.get("alice");
    long args = TOKENS.arguments(JSON.readTree("{\"message\":\"hello world\"}"));
    long res = TOKENS.result(JSON.readTree(result));
    assertThat(alice.calls()).isEqualTo(2);
    assertThat(alice.argumentsTokens()).isEqualTo(2 * args);
    assertThat(alice.resultTokens()).isEqualTo(2 * res);
    // acme's default model is claude-sonnet-4.5: 3.00 input, 15.00 output per million
    assertThat(alice.cost()).isCloseTo(2 * (args * 15e-6 + res * 3e-6), within(1e-9));
    assertThat(alice.p50Ms()).isBetween(10.0, 20.0);
    assertThat(byKey(store.groups(UsageRepository.GroupBy.MODEL, from, to, null, null))).containsOnlyKeys("claude-sonnet-4.5");
    assertThat(byKey(store.groups(UsageRepository.GroupBy.TOOL, from, to, "acme", "bob"))).containsOnlyKeys("everything-add");
  }

  @Test
  void usageReportedInAResultsMetaIsRecordedAndPricedAtItsModel() throws Exception {
    Database db = db();
    UsageAccountant a = accountant(db, Pricing.load(PricingTest.EXAMPLE));
    a.record(call("globex", "carol", "llm-summarize", "{}", "{\"content\":[],\"_meta\":{\"model\":\"gpt-4.1\","
        + "\"usage\":{\"input_tokens\":1000,\"output_tokens\":200}}}"));
    UsageRepository store = new UsageRepository(db);
    long from = NOW.minusSeconds(60).toEpochMilli();
    long to = NOW.plusSeconds(60).toEpochMilli();
    await().atMost(Duration.ofSeconds(10)).until(() -> !store.groups(UsageRepository.GroupBy.TOOL, from, to, null, null).isEmpty());

    UsageRepository.Group g = store.groups(UsageRepository.GroupBy.TOOL, from, to, null, null).get(0);
    assertThat(g.inputTokens()).isEqualTo(1000);
    assertThat(g.outputTokens()).isEqualTo(200);
    // gpt-4.1: 2.00 / 8.00; the call's own (empty) result and "{}" arguments cost at gpt-4.1-mini, the default
    double ownCost = Pricing.load(PricingTest.EXAMPLE).toolCallCost("gpt-4.1-mini", 1, g.resultTokens());
    assertThat(g.cost()).isCloseTo(1000 * 2e-6 + 200 * 8e-6 + ownCost, within(1e-8));
  }

  @Test
  void usageSurvivesARestartAndNoPayloadIsStored() throws Exception {
    Database db = db();
    UsageAccountant a = accountant(db, Pricing.NONE);
    a.record(call("acme", "alice", "everything-echo", "{\"message\":\"password=hunter2 alice@example.com\"}",
        "{\"content\":[{\"type\":\"text\",\"text\":\"Bearer sk-abcdefghijklmnop\"}]}"));
    a.close();
    open.remove(a);
    db.close();
    open.remove(db);

    Database again = db();
    List<UsageRepository.Group> groups = new UsageRepository(again).groups(UsageRepository.GroupBy.USER,
        NOW.minusSeconds(60).toEpochMilli(), NOW.plusSeconds(60).toEpochMilli(), null, null);
    assertThat(groups).extracting(UsageRepository.Group::key).containsExactly("alice");
    assertThat(groups.get(0).argumentsTokens()).isPositive();
    String everything = again.untracedJdbi().withHandle(h -> h.createQuery("SELECT * FROM usage_minutes")
        .mapToMap().list().toString());
    assertThat(everything).doesNotContain("hunter2", "example.com", "sk-abc", "Bearer");
  }

  @Test
  void aCallsQuotaAdmitsUpToItsLimitThenNamesTheQuotaAndWhenItResets() throws Exception {
    Database db = db();
    UsageAccountant a = accountant(db, Pricing.NONE);
    Quota q = new QuotaRepository(db).create("acme", null, Quota.Metric.CALLS, 3, Quota.Window.MINUTE);
    a.reloadQuotas();

    for (int i = 0; i < 3; i++) {
      assertThat(a.admit("acme", "alice")).as("call " + (i + 1)).isNull();
      a.record(call("acme", "alice", "everything-echo", "{}", "{\"content\":[]}"));
    }
    QuotaExceeded over = a.admit("acme", "bob");
    assertThat(over).isNotNull();
    assertThat(over.quota().id()).isEqualTo(q.id());
    assertThat(over.used()).isEqualTo(3);
    assertThat(over.resetsAt()).isEqualTo(Instant.parse("2026-12-06T10:01:00Z"));
    assertThat(over.message()).contains(q.id(), "3 calls per minute", "2026-12-06T10:01:00Z");
    JsonNode data = over.data();
    assertThat(data.get("quota").asText()).isEqualTo(q.id());
    assertThat(data.get("limit").asLong()).isEqualTo(3);
    assertThat(data.get("used").asLong()).isEqualTo(3);
    assertThat(data.get("resetsAt").asText()).isEqualTo("2026-12-06T10:01:00Z");
    assertThat(a.admit("globex", "bob")).as("another tenant is not limited by acme's quota").isNull();
  }

  @Test
  void aUsersTokenQuotaCountsOnlyThatUsersCalls() throws Exception {
    Database db = db();
    UsageAccountant a = accountant(db, Pricing.NONE);
    new QuotaRepository(db).create("acme", "alice", Quota.Metric.TOKENS, 5, Quota.Window.DAY);
    a.reloadQuotas();
    a.admit("acme", "alice");
    a.record(call("acme", "alice", "everything-echo", "{\"message\":\"a long enough message to pass five tokens\"}",
        "{\"content\":[]}"));
    await().atMost(Duration.ofSeconds(10)).until(() -> a.admit("acme", "alice") != null);
    assertThat(a.admit("acme", "bob")).isNull();
    assertThat(a.statuses()).singleElement().satisfies(s -> assertThat(s.utilization()).isGreaterThan(1));
  }

  @Test
  void twoInstancesOnOneDatabaseSeeEachOthersCallsAfterAFlushBoundingTheOvershoot() throws Exception {
    Database db = db();
    UsageAccountant one = accountant(db, Pricing.NONE);
    UsageAccountant two = accountant(db, Pricing.NONE);
    new QuotaRepository(db).create("acme", null, Quota.Metric.CALLS, 10, Quota.Window.MINUTE);
    one.reloadQuotas();
    two.reloadQuotas();

    for (int i = 0; i < 6; i++) {
      assertThat(one.admit("acme", "alice")).isNull();
      one.record(call("acme", "alice", "t", "{}", "{\"content\":[]}"));
    }
    // within one flush interval of each, instance two counts instance one's six calls
    long flushed = two.flushes();
    await().atMost(Duration.ofSeconds(10)).until(() -> two.flushes() > flushed + 1
        && two.status(two.statuses().get(0).quota().id()).orElseThrow().used() == 6);

    int admitted = 0;
    while (two.admit("acme", "bob") == null && admitted < 20) {
      admitted++;
      two.record(call("acme", "bob", "t", "{}", "{\"content\":[]}"));
    }
    assertThat(admitted).isEqualTo(4);
  }

  @Test
  void twoInstancesCallingAtOnceOvershootACallsQuotaByAtMostWhatTheOtherAdmitsBetweenFlushes() throws Exception {
    Database db = db();
    UsageAccountant one = accountant(db, Pricing.NONE);
    UsageAccountant two = accountant(db, Pricing.NONE);
    int limit = 200;
    new QuotaRepository(db).create("acme", null, Quota.Metric.CALLS, limit, Quota.Window.MINUTE);
    one.reloadQuotas();
    two.reloadQuotas();
    java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> callers = new ArrayList<>();
    for (UsageAccountant instance : List.of(one, two)) {
      callers.add(Thread.ofPlatform().start(() -> {
        try {
          // a steady client per instance: a call every 2 ms until its instance refuses
          while (instance.admit("acme", "alice") == null) {
            admitted.incrementAndGet();
            instance.record(call("acme", "alice", "t", "{}", "{\"content\":[]}"));
            Thread.sleep(2);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (Thread t : callers) {
      t.join(60_000);
    }
    int overshoot = admitted.get() - limit;
    System.out.println("usage quota overshoot, two instances, flush 100 ms, a call per 2 ms each: " + overshoot);
    // each instance alone never admits beyond the limit, so two never admit more than twice it
    assertThat(admitted.get()).isBetween(limit, 2 * limit);
  }
}
