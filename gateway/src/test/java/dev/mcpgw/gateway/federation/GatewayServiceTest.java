package dev.mcpgw.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.store.Database;
import dev.mcpgw.gateway.store.ItemKind;
import dev.mcpgw.gateway.store.ItemRepository;
import dev.mcpgw.gateway.store.StoredItem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayServiceTest {
  private static final GatewaySettings.Upstream TIMEOUTS = new GatewaySettings.Upstream(Duration.ofSeconds(2),
      Duration.ofSeconds(2), 0, Duration.ofMillis(10), 3, Duration.ofSeconds(1));

  @TempDir Path tmp;
  private Database db;
  private ScriptedUpstreamPool pool;
  private GatewayService service;
  private ItemRepository items;
  private final AtomicInteger changes = new AtomicInteger();

  @BeforeEach
  void open() {
    db = Database.open(new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("t.db"), null, null, 2));
    pool = new ScriptedUpstreamPool();
    service = GatewayService.builder(db, pool, TIMEOUTS).onChange(changes::incrementAndGet).build();
    items = new ItemRepository(db);
  }

  @AfterEach
  void close() {
    service.close();
    pool.close();
    db.close();
  }

  private static ObjectNode body(String json) throws Exception {
    return (ObjectNode) ScriptedUpstreamPool.JSON.readTree(json);
  }

  private GatewayView registerEverything() throws Exception {
    pool.upstream("everything")
        .tools("[{\"name\":\"echo\",\"execution\":{\"taskSupport\":\"forbidden\"}}]", "[{\"name\":\"add\"}]")
        .prompts("[{\"name\":\"simple\"}]");
    return service.register(body("""
        {"name":"everything","transport":"streamablehttp","url":"http://127.0.0.1:9/mcp",
         "headers":{"Authorization":"Bearer upstream-secret"}}"""));
  }

  @Test
  void registersAnUpstreamAndStoresEveryPageOfWhatItDeclaresOnly() throws Exception {
    GatewayView view = registerEverything();

    assertThat(view.status()).isEqualTo("healthy");
    assertThat(view.counts()).containsEntry("tools", 2).containsEntry("prompts", 1).containsEntry("resources", 0);
    assertThat(items.listByGateway(ItemKind.TOOL, view.id())).extracting(StoredItem::key).containsExactly("add", "echo");
    assertThat(items.listByGateway(ItemKind.TOOL, view.id()).get(1).definition().path("execution").path("taskSupport")
        .asText()).isEqualTo("forbidden");
    assertThat(pool.requests).anyMatch(r -> r.contains("tools/list {\"cursor\":\"1\"}"));
    assertThat(pool.requests).noneMatch(r -> r.contains("resources/"));
    assertThat(changes.get()).isPositive();
  }

  @Test
  void neverReturnsTheValuesOfHeadersOrEnv() throws Exception {
    GatewayView view = registerEverything();

    assertThat(view.headers()).containsExactly(java.util.Map.entry("Authorization", "****"));
    assertThat(service.list()).singleElement().satisfies(v -> assertThat(v.headers()).containsValue("****"));
    assertThat(service.get(view.id()).toString()).doesNotContain("upstream-secret");
  }

  @Test
  void refusesAnUnreachableUpstreamAndStoresNothing() throws Exception {
    pool.upstream("down").unreachable(true);

    assertThatThrownBy(() -> service.register(body(
        "{\"name\":\"down\",\"transport\":\"sse\",\"url\":\"http://127.0.0.1:9/sse\"}")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(502);
          assertThat(e.field()).isEqualTo("url");
          assertThat(e.getMessage()).contains("'down'");
        });
    assertThat(service.list()).isEmpty();
  }

  @Test
  void refusesAnUpstreamWhoseListingThrowsAndStoresNothing() throws Exception {
    pool.upstream("broken").tools("[{\"name\":\"t\"}]").listThrows(new IllegalStateException("boom"));

    assertThatThrownBy(() -> service.register(body(
        "{\"name\":\"broken\",\"transport\":\"stdio\",\"command\":\"node\"}")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("command"));
    assertThat(service.list()).isEmpty();
    assertThat(pool.get("any")).isEmpty();
  }

  @Test
  void refusesASecondUpstreamWithTheSameName() throws Exception {
    registerEverything();

    assertThatThrownBy(() -> service.register(body(
        "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\"http://127.0.0.1:9/other\"}")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.field()).isEqualTo("name");
        });
    assertThat(service.list()).hasSize(1);
  }

  @Test
  void rediscoversAKindWhenTheUpstreamSaysItsListChanged() throws Exception {
    GatewayView view = registerEverything();
    pool.upstream("everything").tools("[{\"name\":\"echo\"},{\"name\":\"add\"},{\"name\":\"new_tool\"}]");

    pool.notifyFrom(view.id(), "notifications/tools/list_changed");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(items.listByGateway(ItemKind.TOOL, view.id())).extracting(StoredItem::key).contains("new_tool"));
  }

  @Test
  void healthChecksMarkAFailingUpstreamUnhealthyAndRecoverIt() throws Exception {
    GatewayView view = registerEverything();
    pool.upstream("everything").pingFails(true).unreachable(true);

    service.checkHealth();

    GatewayView sick = service.get(view.id());
    assertThat(sick.status()).isEqualTo("unhealthy");
    assertThat(sick.health().lastError()).contains("'everything'");
    assertThat(sick.counts()).containsEntry("tools", 2);

    pool.upstream("everything").pingFails(false).unreachable(false);
    service.checkHealth();

    assertThat(service.get(view.id()).status()).isEqualTo("healthy");
  }

  @Test
  void refreshKeepsStoredDefinitionsWhenTheUpstreamIsDown() throws Exception {
    GatewayView view = registerEverything();
    pool.upstream("everything").unreachable(true);

    assertThatThrownBy(() -> service.refresh(view.id()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(502));
    assertThat(items.listByGateway(ItemKind.TOOL, view.id())).hasSize(2);
  }

  @Test
  void deletingAnUpstreamClosesItsSessionAndRemovesItsDefinitions() throws Exception {
    GatewayView view = registerEverything();

    service.delete(view.id());

    assertThat(pool.get(view.id())).isEmpty();
    assertThat(items.list(ItemKind.TOOL)).isEmpty();
    assertThatThrownBy(() -> service.get(view.id()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void ensurePointsAnExistingUpstreamAtItsNewAddress() throws Exception {
    GatewayView first = registerEverything();

    GatewayView again = service.ensure(new dev.mcpgw.gateway.store.UpstreamSpec("everything",
        dev.mcpgw.gateway.store.UpstreamSpec.Transport.STREAMABLE_HTTP, "http://127.0.0.1:10/mcp",
        null, null, null, null));

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.url()).isEqualTo("http://127.0.0.1:10/mcp");
    assertThat(service.list()).hasSize(1);
  }

  @Test
  void reconnectAllLeavesAnUpstreamConnectedMeanwhileAloneAndReconnectsTheOthers() throws Exception {
    // serve --demo: the demo is ensured (connected) before the stored upstreams are reconnected at start-up
    GatewayView demo = registerEverything();
    pool.upstream("other").tools("[{\"name\":\"add\"}]");
    GatewayView other = service.register(body(
        "{\"name\":\"other\",\"transport\":\"streamablehttp\",\"url\":\"http://127.0.0.1:11/mcp\"}"));
    pool.disconnect(other.id());
    var session = pool.get(demo.id()).orElseThrow();

    service.reconnectAll();

    assertThat(service.get(demo.id()).status()).isEqualTo("healthy");
    assertThat(pool.get(demo.id())).containsSame(session);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> "healthy".equals(service.get(other.id()).status()) && pool.get(other.id()).isPresent());
  }

  @Test
  void aReconnectToAnAddressReplacedMeanwhileDoesNotMarkTheNewAddressUnhealthy() throws Exception {
    // a restart: the stored address is the previous run's, and the upstream is ensured at its new one while the
    // reconnect to the old one is still under way (serve --demo does this)
    GatewayView view = registerEverything();
    pool.disconnect(view.id());
    dev.mcpgw.gateway.store.UpstreamSpec moved = new dev.mcpgw.gateway.store.UpstreamSpec(
        "everything", dev.mcpgw.gateway.store.UpstreamSpec.Transport.STREAMABLE_HTTP,
        "http://127.0.0.1:10/mcp", null, null, null, null);
    pool.upstream("everything").unreachableAt(view.url()).whileConnecting(spec -> {
      if (spec.url().equals(view.url())) {
        service.ensure(moved);
      }
    });

    service.checkHealth(); // reconnects the stored spec: refused, after the move

    GatewayView now = service.get(view.id());
    assertThat(now.url()).isEqualTo("http://127.0.0.1:10/mcp");
    assertThat(now.status()).isEqualTo("healthy");
    assertThat(now.health().lastError()).isNull();
  }

  @Test
  void neverLogsTheSecretsOfAnUpstream() throws Exception {
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    root.addAppender(logs);
    ch.qos.logback.classic.Level before = root.getLevel();
    root.setLevel(ch.qos.logback.classic.Level.DEBUG);
    try {
      GatewayView view = registerEverything();
      pool.upstream("everything").pingFails(true).unreachable(true);
      service.checkHealth();
      service.delete(view.id());
    } finally {
      root.detachAppender(logs);
      root.setLevel(before);
    }
    assertThat(logs.list).isNotEmpty();
    assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("upstream-secret"));
  }
}
