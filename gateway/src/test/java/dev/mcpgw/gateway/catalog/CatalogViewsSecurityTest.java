package dev.mcpgw.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.catalog.PromptRenderer;
import dev.mcpgw.gateway.store.Database;
import dev.mcpgw.gateway.store.GatewayRepository;
import dev.mcpgw.gateway.store.ItemKind;
import dev.mcpgw.gateway.store.ItemRepository;
import dev.mcpgw.gateway.store.Ownership;
import dev.mcpgw.gateway.store.ServerRepository;
import dev.mcpgw.gateway.store.StoredGateway;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog caches one view per scope; a caller with tokens for ever new tenants (one per request) must not make it
 * hold one view per tenant until the next registry write. Real SQLite registry, the production catalog.
 */
class CatalogViewsSecurityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.now();

  @TempDir Path tmp;
  private Database db;
  private RegistryCatalog catalog;

  @BeforeEach
  void fill() throws Exception {
    db = Database.open(new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("c.db"), null, null, 2));
    GatewayRepository gateways = new GatewayRepository(db);
    ItemRepository items = new ItemRepository(db);
    catalog = new RegistryCatalog(gateways, items, new ServerRepository(db), new PromptRenderer(), Duration.ofHours(1));
    upstream(gateways, items, "shared-tools", Ownership.publicOf("default"), "echo");
    upstream(gateways, items, "acme-only", Ownership.privateTo("acme"), "secret");
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void thousandsOfMadeUpTenantsKeepAtMostTheBoundOfViewsAndEveryTenantStillItsOwnView() {
    Scope acme = new Scope(null, "acme", false);
    assertThat(catalog.tools(acme)).extracting(CatalogEntry::exposedName)
        .containsExactly("acme-only-secret", "shared-tools-echo");

    for (int i = 0; i < 5_000; i++) {
      Scope madeUp = new Scope(null, "made-up-" + i, false);
      assertThat(catalog.tools(madeUp)).extracting(CatalogEntry::exposedName).containsExactly("shared-tools-echo");
    }

    assertThat(catalog.cachedViews()).isLessThanOrEqualTo(RegistryCatalog.MAX_VIEWS);
    // acme's view was evicted meanwhile: rebuilt, it is still acme's and no one else's
    assertThat(catalog.tools(acme)).extracting(CatalogEntry::exposedName)
        .containsExactly("acme-only-secret", "shared-tools-echo");
    assertThat(catalog.tool(new Scope(null, "made-up-1", false), "acme-only-secret")).isEmpty();
  }

  private void upstream(GatewayRepository gateways, ItemRepository items, String name, Ownership owner, String tool)
      throws Exception {
    String id = UUID.randomUUID().toString();
    ObjectNode def = (ObjectNode) JSON.readTree("{\"name\":\"" + tool + "\"}");
    db.jdbi().useTransaction(h -> {
      gateways.insert(h, new StoredGateway(id, new UpstreamSpec(name, UpstreamSpec.Transport.SSE, "http://x/sse",
          null, null, null, null), null, NOW, null, owner));
      items.replaceForGateway(h, ItemKind.TOOL, id, List.of(def), NOW);
    });
  }
}
