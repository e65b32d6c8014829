package dev.mcpgw.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The repositories against a real SQLite file and a real PostgreSQL 15: the same assertions for both. */
@ExtendWith(PostgresExtension.class)
class RegistryRepositoriesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @TempDir Path tmp;

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) JSON.readTree(text);
  }

  private static StoredGateway gateway(String name) {
    return new StoredGateway(UUID.randomUUID().toString(), new UpstreamSpec(name, UpstreamSpec.Transport.STDIO, null,
        "node", List.of("server.js", "stdio"), Map.of("API_KEY", "s3cret"), Map.of("Authorization", "Bearer x")),
        null, NOW, null);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void storesAnUpstreamWithItsSpecAndDefinitionsIncludingUnknownFields(TestDatabases.Kind kind, TestDatabases dbs)
      throws Exception {
    try (Database db = Database.open(dbs.create(kind, tmp))) {
      GatewayRepository gateways = new GatewayRepository(db);
      ItemRepository items = new ItemRepository(db);
      StoredGateway g = gateway("everything");
      ObjectNode tool = json("{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\"},\"execution\":{\"taskSupport\":\"optional\"}}");
      db.jdbi().useTransaction(h -> {
        gateways.insert(h, g);
        items.replaceForGateway(h, ItemKind.TOOL, g.id(), List.of(tool), NOW);
        gateways.markRefreshed(h, g.id(), json("{\"capabilities\":{\"tools\":{}}}"), NOW);
      });

      StoredGateway read = gateways.find(g.id()).orElseThrow();
      assertThat(read.spec()).isEqualTo(g.spec());
      assertThat(read.refreshedAt()).isEqualTo(NOW);
      assertThat(read.initializeResult().path("capabilities").has("tools")).isTrue();
      assertThat(gateways.findByName("everything")).map(StoredGateway::id).contains(g.id());
      assertThat(items.list(ItemKind.TOOL)).singleElement().satisfies(i -> {
        assertThat(i.key()).isEqualTo("echo");
        assertThat(i.gatewayId()).isEqualTo(g.id());
        assertThat(i.definition()).isEqualTo(tool);
      });
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void refreshKeepsTheIdsOfItemsStillOfferedAndDropsVanishedOnes(TestDatabases.Kind kind, TestDatabases dbs)
      throws Exception {
    try (Database db = Database.open(dbs.create(kind, tmp))) {
      GatewayRepository gateways = new GatewayRepository(db);
      ItemRepository items = new ItemRepository(db);
      StoredGateway g = gateway("up");
      db.jdbi().useTransaction(h -> {
        gateways.insert(h, g);
        items.replaceForGateway(h, ItemKind.PROMPT, g.id(), List.of(json("{\"name\":\"a\"}"), json("{\"name\":\"b\"}")), NOW);
      });
      String idOfA = items.list(ItemKind.PROMPT).get(0).id();

      int stored = db.jdbi().inTransaction(h -> items.replaceForGateway(h, ItemKind.PROMPT, g.id(),
          List.of(json("{\"name\":\"a\",\"description\":\"new\"}"), json("{\"name\":\"c\"}"), json("{\"name\":\"c\"}"),
              json("{\"description\":\"no name: skipped\"}")), NOW));

      assertThat(stored).isEqualTo(2);
      assertThat(items.listByGateway(ItemKind.PROMPT, g.id())).extracting(StoredItem::key).containsExactly("a", "c");
      StoredItem a = items.find(ItemKind.PROMPT, idOfA).orElseThrow();
      assertThat(a.definition().path("description").asText()).isEqualTo("new");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void deletingAnUpstreamRemovesItsDefinitionsAndServerMemberships(TestDatabases.Kind kind, TestDatabases dbs)
      throws Exception {
    try (Database db = Database.open(dbs.create(kind, tmp))) {
      GatewayRepository gateways = new GatewayRepository(db);
      ItemRepository items = new ItemRepository(db);
      ServerRepository servers = new ServerRepository(db);
      StoredGateway g = gateway("up");
      db.jdbi().useTransaction(h -> {
        gateways.insert(h, g);
        items.replaceForGateway(h, ItemKind.TOOL, g.id(), List.of(json("{\"name\":\"t\"}")), NOW);
      });
      String toolId = items.list(ItemKind.TOOL).get(0).id();
      StoredItem local = items.insertLocal(ItemKind.PROMPT, "greet", json("{\"name\":\"greet\"}"), "Hi {{ who }}", NOW);
      VirtualServer s = new VirtualServer(UUID.randomUUID().toString(), "curated", null, List.of(g.id()),
          List.of(toolId), List.of(), List.of(local.id()), NOW);
      servers.insert(s);
      assertThat(servers.find(s.id())).contains(s);

      assertThat(gateways.delete(g.id())).isTrue();

      assertThat(items.list(ItemKind.TOOL)).isEmpty();
      VirtualServer after = servers.find(s.id()).orElseThrow();
      assertThat(after.gateways()).isEmpty();
      assertThat(after.tools()).isEmpty();
      assertThat(after.prompts()).containsExactly(local.id());
      assertThat(gateways.delete(g.id())).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void refusesTwoLocalPromptsWithOneNameAndTwoUpstreamsWithOneName(TestDatabases.Kind kind, TestDatabases dbs)
      throws Exception {
    try (Database db = Database.open(dbs.create(kind, tmp))) {
      ItemRepository items = new ItemRepository(db);
      GatewayRepository gateways = new GatewayRepository(db);
      items.insertLocal(ItemKind.PROMPT, "greet", json("{\"name\":\"greet\"}"), "x", NOW);
      db.jdbi().useHandle(h -> gateways.insert(h, gateway("dup")));

      assertThatThrownBy(() -> items.insertLocal(ItemKind.PROMPT, "greet", json("{\"name\":\"greet\"}"), "y", NOW))
          .isInstanceOf(RuntimeException.class);
      assertThatThrownBy(() -> db.jdbi().useHandle(h -> gateways.insert(h, gateway("dup"))))
          .isInstanceOf(RuntimeException.class);
      assertThat(items.list(ItemKind.PROMPT)).singleElement().extracting(StoredItem::body).isEqualTo("x");
      assertThat(gateways.list()).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void reopeningTheDatabaseKeepsEverythingStored(TestDatabases.Kind kind, TestDatabases dbs) throws Exception {
    GatewaySettings.Database settings = dbs.create(kind, tmp);
    StoredGateway g = gateway("kept");
    VirtualServer s;
    try (Database db = Database.open(settings)) {
      db.jdbi().useTransaction(h -> {
        new GatewayRepository(db).insert(h, g);
        new ItemRepository(db).replaceForGateway(h, ItemKind.RESOURCE, g.id(),
            List.of(json("{\"uri\":\"demo://r\",\"name\":\"r\"}")), NOW);
      });
      s = new VirtualServer(UUID.randomUUID().toString(), "s", "desc", List.of(g.id()), List.of(), List.of(),
          List.of(), NOW);
      new ServerRepository(db).insert(s);
    }
    try (Database db = Database.open(settings)) {
      assertThat(new GatewayRepository(db).list()).singleElement().satisfies(r -> assertThat(r.spec()).isEqualTo(g.spec()));
      assertThat(new ItemRepository(db).list(ItemKind.RESOURCE)).extracting(StoredItem::key).containsExactly("demo://r");
      assertThat(new ServerRepository(db).list()).containsExactly(s);
      assertThat(db.isReachable()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void concurrentWritersAllSucceed(TestDatabases.Kind kind, TestDatabases dbs) throws Exception {
    try (Database db = Database.open(dbs.create(kind, tmp));
        var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      ItemRepository items = new ItemRepository(db);
      List<java.util.concurrent.Future<StoredItem>> writes = new java.util.ArrayList<>();
      for (int i = 0; i < 24; i++) {
        String name = "p" + i;
        writes.add(threads.submit(() -> items.insertLocal(ItemKind.PROMPT, name, json("{\"name\":\"" + name + "\"}"), "t", NOW)));
      }
      for (var w : writes) {
        w.get();
      }
      assertThat(items.list(ItemKind.PROMPT)).hasSize(24);
    }
  }

  /**
   * Instance B stores what it rediscovered while instance A deletes the upstream (ScaleOutTest failed on this in CI):
   * A's delete waits for B's transaction instead of deadlocking with it, and both finish.
   */
  @Test
  void aRefreshRacingADeleteOnPostgresqlLetsBothFinish(TestDatabases dbs) throws Exception {
    try (Database db = Database.open(dbs.create(TestDatabases.Kind.POSTGRESQL, tmp))) {
      GatewayRepository gateways = new GatewayRepository(db);
      ItemRepository items = new ItemRepository(db);
      StoredGateway g = gateway("raced");
      db.jdbi().useTransaction(h -> {
        gateways.insert(h, g);
        items.replaceForGateway(h, ItemKind.TOOL, g.id(), List.of(json("{\"name\":\"t\"}")), NOW);
        items.replaceForGateway(h, ItemKind.PROMPT, g.id(), List.of(json("{\"name\":\"p\"}")), NOW);
      });
      CompletableFuture<Boolean> deleted = new CompletableFuture<>();

      db.jdbi().useTransaction(h -> {
        items.replaceForGateway(h, ItemKind.TOOL, g.id(), List.of(json("{\"name\":\"t\",\"description\":\"2\"}")), NOW);
        Thread.ofVirtual().start(() -> {
          try {
            deleted.complete(gateways.delete(g.id()));
          } catch (RuntimeException e) {
            deleted.completeExceptionally(e);
          }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> sessionsWaitingOnALock(db) > 0);
        items.replaceForGateway(h, ItemKind.PROMPT, g.id(), List.of(json("{\"name\":\"p\",\"description\":\"2\"}")), NOW);
        gateways.markRefreshed(h, g.id(), json("{}"), NOW);
      });

      assertThat(deleted.get(20, TimeUnit.SECONDS)).isTrue();
      assertThat(gateways.find(g.id())).isEmpty();
      assertThat(items.list(ItemKind.TOOL)).isEmpty();
      assertThat(items.list(ItemKind.PROMPT)).isEmpty();
    }
  }

  private static int sessionsWaitingOnALock(Database db) {
    return db.jdbi().withHandle(h -> h.createQuery(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
        .mapTo(Integer.class).one());
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void storingDefinitionsForAnUpstreamDeletedMeanwhileWritesNothing(TestDatabases.Kind kind, TestDatabases dbs)
      throws Exception {
    try (Database db = Database.open(dbs.create(kind, tmp))) {
      GatewayRepository gateways = new GatewayRepository(db);
      ItemRepository items = new ItemRepository(db);
      StoredGateway g = gateway("gone");
      db.jdbi().useHandle(h -> gateways.insert(h, g));
      assertThat(gateways.delete(g.id())).isTrue();

      int stored = db.jdbi().inTransaction(h -> items.replaceForGateway(h, ItemKind.TOOL, g.id(),
          List.of(json("{\"name\":\"t\"}")), NOW));

      assertThat(stored).isZero();
      assertThat(items.list(ItemKind.TOOL)).isEmpty();
    }
  }
}
