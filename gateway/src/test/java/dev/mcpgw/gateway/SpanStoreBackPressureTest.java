package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that is full or slow drops and counts spans; the calls through the gateway do not notice. */
class SpanStoreBackPressureTest {
  @TempDir Path tmp;

  @Test
  void aSlowDatabaseFillsTheSmallQueueSpansAreDroppedAndCountedAndEveryCallSucceeds() throws Exception {
    try (StoreGateway store = StoreGateway.start(tmp, Map.of("MCPGW_SPAN_STORE_QUEUE_SIZE", "5",
        "MCPGW_SPAN_STORE_BATCH_SIZE", "2"))) {
      String op = store.gw.platformAdminToken();
      String alice = store.gw.token("alice", "acme", Caller.Role.USER);
      // another writer holds SQLite's write lock: the store's writer waits, its queue fills
      try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("reg.db"));
          Statement st = lock.createStatement()) {
        st.execute("PRAGMA busy_timeout = 10000");
        st.execute("BEGIN IMMEDIATE");
        for (int i = 0; i < 10; i++) {
          HttpResponse<String> r = store.callTool(alice, "demo-echo", "{\"message\":\"m" + i + "\"}", "bp-" + i);
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.body()).contains("Echo: m" + i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> storeHealth(store, op).path("dropped").asLong() > 0);
        st.execute("ROLLBACK");
      }
      // once the database is free again the writer catches up with what it kept
      await().atMost(Duration.ofSeconds(20)).until(() -> storeHealth(store, op).path("written").asLong() > 0);
      JsonNode health = storeHealth(store, op);
      assertThat(health.path("queueCapacity").asInt()).isEqualTo(5);
      assertThat(health.path("largestBatch").asInt()).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void withTheStoreOffTheApiSaysSoNamingTheSettingAndCallsWork() throws Exception {
    try (StoreGateway store = StoreGateway.start(tmp, Map.of("MCPGW_SPAN_STORE", "false"))) {
      String alice = store.gw.token("alice", "acme", Caller.Role.USER);
      assertThat(store.callTool(alice, "demo-echo", "{\"message\":\"x\"}", "off-1").statusCode()).isEqualTo(200);
      HttpResponse<String> r = store.gw.send("GET", "/observability/traces", store.gw.platformAdminToken(), null);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).contains("MCPGW_SPAN_STORE");
    }
  }

  private static JsonNode storeHealth(StoreGateway store, String op) throws Exception {
    return store.gw.get("/observability/stats", op).path("store");
  }
}
