package dev.mcpgw.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.store.Database;
import dev.mcpgw.gateway.store.GatewayRepository;
import dev.mcpgw.gateway.store.ItemKind;
import dev.mcpgw.gateway.store.ItemRepository;
import dev.mcpgw.gateway.store.Ownership;
import dev.mcpgw.gateway.store.ServerRepository;
import dev.mcpgw.gateway.store.StoredGateway;
import dev.mcpgw.gateway.store.StoredItem;
import dev.mcpgw.gateway.store.VirtualServer;
import dev.mcpgw.gateway.store.Visibility;
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

class RegistryCatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.now();

  @TempDir Path tmp;
  private Database db;
  private GatewayRepository gateways;
  private ItemRepository items;
  private ServerRepository servers;
  private RegistryCatalog catalog;
  private String alpha;
  private String beta;

  @BeforeEach
  void fill() throws Exception {
    db = Database.open(new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("c.db"), null, null, 2));
    gateways = new GatewayRepository(db);
    items = new ItemRepository(db);
    servers = new ServerRepository(db);
    catalog = new RegistryCatalog(gateways, items, servers, new PromptRenderer(), Duration.ofMinutes(5));
    alpha = upstream("alpha", "[{\"name\":\"echo\",\"x-extra\":1},{\"name\":\"add\"}]");
    beta = upstream("beta", "[{\"name\":\"echo\"}]");
    db.jdbi().useTransaction(h -> {
      items.replaceForGateway(h, ItemKind.RESOURCE, alpha, List.of(obj("{\"uri\":\"file:///a.txt\",\"name\":\"a\"}")), NOW);
      items.replaceForGateway(h, ItemKind.RESOURCE_TEMPLATE, alpha,
          List.of(obj("{\"uriTemplate\":\"test://static/resource/{id}\",\"name\":\"r\"}")), NOW);
      items.replaceForGateway(h, ItemKind.PROMPT, beta, List.of(obj("{\"name\":\"simple\"}")), NOW);
    });
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static ObjectNode obj(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  private String upstream(String name, String tools) throws Exception {
    String id = UUID.randomUUID().toString();
    List<ObjectNode> defs = JSON.readerForListOf(ObjectNode.class).readValue(tools);
    db.jdbi().useTransaction(h -> {
      gateways.insert(h, new StoredGateway(id, new UpstreamSpec(name, UpstreamSpec.Transport.SSE, "http://x/sse",
          null, null, null, null), null, NOW, null));
      items.replaceForGateway(h, ItemKind.TOOL, id, defs, NOW);
    });
    return id;
  }

  @Test
  void eachTenantsViewIsCachedForThatTenantAloneAndNeverServedToAnother() throws Exception {
    String gamma = UUID.randomUUID().toString();
    db.jdbi().useTransaction(h -> {
      gateways.insert(h, new StoredGateway(gamma, new UpstreamSpec("gamma", UpstreamSpec.Transport.SSE, "http://x/sse",
          null, null, null, null), null, NOW, null, Ownership.privateTo("acme")));
      items.replaceForGateway(h, ItemKind.TOOL, gamma, List.of(obj("{\"name\":\"secret\"}")), NOW);
    });
    items.insertLocal(ItemKind.PROMPT, "plan", obj("{\"name\":\"plan\"}"), "globex plan", NOW,
        new Ownership("globex", Visibility.SHARED, java.util.Set.of("acme")));
    VirtualServer curated = new VirtualServer(UUID.randomUUID().toString(), "acme-curated", null, List.of(gamma),
        List.of(), List.of(), List.of(), NOW, Ownership.privateTo("acme"));
    servers.insert(curated);
    catalog.invalidate();
    Scope acme = new Scope(null, "acme", false);
    Scope globex = new Scope(null, "globex", false);

    // acme asks first, so its view is cached before globex's is built
    assertThat(catalog.tools(acme)).extracting(CatalogEntry::exposedName).containsExactly("gamma-secret");
    assertThat(catalog.prompts(acme)).extracting(CatalogEntry::exposedName).containsExactly("plan");
    assertThat(catalog.tools(globex)).isEmpty();
    assertThat(catalog.tool(globex, "gamma-secret")).isEmpty();
    assertThat(catalog.prompts(globex)).extracting(CatalogEntry::exposedName).containsExactly("plan");
    assertThat(catalog.tools(new Scope(null, "default", false))).extracting(CatalogEntry::exposedName)
        .containsExactly("alpha-add", "alpha-echo", "beta-echo");
    assertThat(catalog.tools(Scope.ALL)).extracting(CatalogEntry::exposedName).contains("gamma-secret", "beta-echo");

    assertThat(catalog.serverVisible(new Scope(curated.id(), "acme", false))).isTrue();
    assertThat(catalog.tools(new Scope(curated.id(), "acme", false))).extracting(CatalogEntry::exposedName)
        .containsExactly("secret");
    assertThat(catalog.serverVisible(new Scope(curated.id(), "globex", false))).isFalse();
    assertThat(catalog.tools(new Scope(curated.id(), "globex", false))).isEmpty();
  }

  private String toolId(String gatewayId, String name) {
    return items.listByGateway(ItemKind.TOOL, gatewayId).stream().filter(i -> i.key().equals(name)).findFirst()
        .map(StoredItem::id).orElseThrow();
  }

  @Test
  void onMcpEveryToolIsPrefixedWithItsUpstreamNameAndKeepsItsUnknownFields() {
    assertThat(catalog.tools(Scope.ALL)).extracting(CatalogEntry::exposedName)
        .containsExactly("alpha-add", "alpha-echo", "beta-echo");
    CatalogEntry echo = catalog.tool(Scope.ALL, "alpha-echo").orElseThrow();
    assertThat(echo.originalName()).isEqualTo("echo");
    assertThat(echo.gatewayName()).isEqualTo("alpha");
    assertThat(echo.definition().path("name").asText()).isEqualTo("alpha-echo");
    assertThat(echo.definition().path("x-extra").asInt()).isEqualTo(1);
    assertThat(catalog.tool(Scope.ALL, "echo")).isEmpty();
  }

  @Test
  void aVirtualServerKeepsOriginalNamesUnlessTwoCollide() {
    String id = UUID.randomUUID().toString();
    servers.insert(new VirtualServer(id, "curated", null, List.of(), List.of(toolId(alpha, "echo"),
        toolId(alpha, "add"), toolId(beta, "echo")), List.of(), List.of(), NOW));
    catalog.invalidate();

    assertThat(catalog.serverExists(id)).isTrue();
    assertThat(catalog.tools(new Scope(id))).extracting(CatalogEntry::exposedName)
        .containsExactly("add", "alpha-echo", "beta-echo");
    assertThat(catalog.tool(new Scope(id), "add")).map(CatalogEntry::gatewayId).contains(alpha);
    assertThat(catalog.prompts(new Scope(id))).isEmpty();
  }

  @Test
  void aVirtualServerWithAWholeUpstreamOffersAllOfIt() {
    String id = UUID.randomUUID().toString();
    servers.insert(new VirtualServer(id, "alpha-only", null, List.of(alpha), List.of(), List.of(), List.of(), NOW));
    catalog.invalidate();

    assertThat(catalog.tools(new Scope(id))).extracting(CatalogEntry::exposedName).containsExactly("add", "echo");
    assertThat(catalog.resources(new Scope(id))).extracting(CatalogEntry::exposedName).containsExactly("file:///a.txt");
    assertThat(catalog.resourceTemplates(new Scope(id))).hasSize(1);
  }

  @Test
  void anUnknownServerOffersNothing() {
    assertThat(catalog.serverExists("nope")).isFalse();
    assertThat(catalog.tools(new Scope("nope"))).isEmpty();
    assertThat(catalog.resource(new Scope("nope"), "file:///a.txt")).isEmpty();
  }

  @Test
  void findsResourcesByUriOrByTheFirstMatchingTemplate() {
    assertThat(catalog.resource(Scope.ALL, "file:///a.txt")).map(CatalogEntry::gatewayId).contains(alpha);
    assertThat(catalog.resource(Scope.ALL, "test://static/resource/42")).map(CatalogEntry::originalName)
        .contains("test://static/resource/{id}");
    assertThat(catalog.resource(Scope.ALL, "test://static/resource/42/more")).isEmpty();
    assertThat(catalog.resource(Scope.ALL, "file:///b.txt")).isEmpty();
  }

  @Test
  void rendersALocalPromptAndNamesAMissingRequiredArgument() throws Exception {
    items.insertLocal(ItemKind.PROMPT, "greet", obj("""
        {"name":"greet","description":"Greets","arguments":[{"name":"who","required":true},{"name":"mood"}]}"""),
        "Hello {{ who }}{% if mood %}, you seem {{ mood }}{% endif %}!", NOW);
    catalog.invalidate();
    CatalogEntry greet = catalog.prompt(Scope.ALL, "greet").orElseThrow();
    assertThat(greet.isLocal()).isTrue();

    ObjectNode result = catalog.renderLocalPrompt(greet, obj("{\"who\":\"Ada\",\"mood\":\"happy\"}"));

    assertThat(result.at("/messages/0/content/text").asText()).isEqualTo("Hello Ada, you seem happy!");
    assertThat(result.path("description").asText()).isEqualTo("Greets");
    assertThatThrownBy(() -> catalog.renderLocalPrompt(greet, obj("{}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'who'");
  }

  @Test
  void readsALocalResource() throws Exception {
    items.insertLocal(ItemKind.RESOURCE, "docs://guide", obj("{\"uri\":\"docs://guide\",\"name\":\"guide\",\"mimeType\":\"text/markdown\"}"),
        "# Guide", NOW);
    catalog.invalidate();

    ObjectNode read = catalog.readLocalResource(catalog.resource(Scope.ALL, "docs://guide").orElseThrow());

    assertThat(read.at("/contents/0/text").asText()).isEqualTo("# Guide");
    assertThat(read.at("/contents/0/mimeType").asText()).isEqualTo("text/markdown");
  }

  @Test
  void seesWritesAfterInvalidationAndServesTheLastSnapshotWhenTheDatabaseFails() throws Exception {
    assertThat(catalog.tools(Scope.ALL)).hasSize(3);
    upstream("gamma", "[{\"name\":\"t\"}]");
    assertThat(catalog.tools(Scope.ALL)).hasSize(3);

    catalog.invalidate();
    assertThat(catalog.tools(Scope.ALL)).hasSize(4);

    db.close();
    catalog.invalidate();
    assertThat(catalog.tools(Scope.ALL)).hasSize(4);
    assertThat(catalog.tool(Scope.ALL, "gamma-t")).isPresent();
  }
}
