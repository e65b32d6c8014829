package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.conformance.ConformanceDiff;
import dev.mcpgw.gateway.testing.conformance.ConformanceDiff.Difference;
import dev.mcpgw.gateway.testing.conformance.ConformanceSuite;
import dev.mcpgw.gateway.testing.conformance.ConformanceSuite.Suite;
import dev.mcpgw.gateway.testing.conformance.ConformanceSuite.SuiteResult;
import dev.mcpgw.gateway.testing.conformance.ConformanceSuite.Transport;
import dev.mcpgw.gateway.testing.conformance.ConformanceTable;
import dev.mcpgw.gateway.testing.conformance.ConformanceUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, every active server scenario) run
 * twice per transport: directly against the conformance upstream, and through a real gateway, at the
 * {@code /servers/{id}/mcp} (Streamable HTTP) and {@code /servers/{id}/sse} (legacy SSE) endpoints of a virtual server
 * made of that upstream. Whatever passes directly must pass through the gateway, check by check. The next release
 * (0.2.0-alpha.12, npm alias {@code conformance-next}) runs too, its active (2025-11-25) and draft (2026-07-28)
 * suites, directly and through {@code /servers/{id}/mcp}: no check may pass directly and not through the gateway.
 *
 * <p>The suite's client cannot send an {@code Authorization} header, so the gateway runs with
 * {@code MCPGW_AUTH_REQUIRED=false}. A summary table of every run is written to {@code target/conformance/summary.md}, next to each run's log and checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceTest {
  /** Kept after the run, so that the suite's logs and checks can be read when a comparison fails. */
  private static final Path RESULTS = Path.of("target", "conformance").toAbsolutePath();

  private ConformanceUpstream upstream;
  private TestGateway gateway;
  /** The virtual server made of the upstream registered over Streamable HTTP. */
  private String serverPath;
  /** The virtual server made of the same upstream registered over legacy SSE. */
  private String sseUpstreamServerPath;
  /** The virtual server made of the same upstream registered as a stateless (2026-07-28) upstream. */
  private String statelessUpstreamServerPath;
  private SuiteResult directStreamable;
  private final List<ConformanceTable.Column> columns = new ArrayList<>();
  /** The runs of the 0.2.0-alpha.12 suites, one table each. */
  private final Map<Suite, List<ConformanceTable.Column>> nextColumns = new java.util.EnumMap<>(Suite.class);

  @BeforeAll
  void startTheUpstreamAndAGatewayInFrontOfIt(@TempDir Path tmp) throws Exception {
    upstream = ConformanceUpstream.start();
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("registry.db"), null, null, 4),
        Map.of("MCPGW_AUTH_REQUIRED", "false"));
    gateway = TestGateway.startProduction(settings);
    serverPath = virtualServer("conformance", "streamablehttp", upstream.streamableUrl());
    sseUpstreamServerPath = virtualServer("conformance-sse", "sse", upstream.sseUrl());
    statelessUpstreamServerPath = virtualServer("conformance-stateless", "statelesshttp", upstream.streamableUrl());
  }

  /** Registers the upstream as {@code name} over {@code transport}; a virtual server made of it; its path. */
  private String virtualServer(String name, String transport, String url) throws Exception {
    String upstreamId = gateway.post("/gateways", "{\"name\":\"" + name + "\",\"transport\":\"" + transport
        + "\",\"url\":\"" + url + "\"}").get("id").asText();
    return "/servers/" + gateway.post("/servers", "{\"name\":\"" + name + "\",\"gateways\":[\"" + upstreamId + "\"]}")
        .get("id").asText();
  }

  @AfterAll
  void writeTheSummaryAndStop() throws Exception {
    try {
      Files.createDirectories(RESULTS);
      if (!columns.isEmpty()) {
        Files.writeString(RESULTS.resolve("summary.md"), ConformanceTable.markdown(columns));
      }
      for (Map.Entry<Suite, List<ConformanceTable.Column>> e : nextColumns.entrySet()) {
        Files.writeString(RESULTS.resolve("summary-" + e.getKey().name().toLowerCase(java.util.Locale.ROOT) + ".md"),
            ConformanceTable.markdown(e.getValue()));
      }
    } finally {
      if (gateway != null) {
        gateway.close();
      }
      if (upstream != null) {
        upstream.close();
      }
    }
  }

  @Test
  void everyScenarioThatPassesDirectlyPassesThroughTheStreamableHttpEndpoint() {
    compare(Transport.STREAMABLE_HTTP, directStreamable(), "gateway /servers/{id}/mcp", serverPath + "/mcp",
        scenario -> true);
  }

  @Test
  void everyScenarioThatAppliesToLegacySsePassesThroughTheLegacySseEndpointAsItDoesDirectly() {
    SuiteResult direct = ConformanceSuite.run("direct (legacy SSE)", upstream.sseUrl(), Transport.LEGACY_SSE, RESULTS);
    compare(Transport.LEGACY_SSE, direct, "gateway /servers/{id}/sse", serverPath + "/sse",
        ConformanceSuite::appliesToLegacySse);
  }

  @Test
  void theSameHoldsWhenTheGatewayReachesTheUpstreamOverLegacySse() {
    compare(Transport.STREAMABLE_HTTP, directStreamable(), "gateway /servers/{id}/mcp, upstream over SSE",
        sseUpstreamServerPath + "/mcp", scenario -> true);
  }

  @Test
  void everyCheckOfTheNextReleasesActiveSuiteThatPassesDirectlyPassesThroughTheGateway() {
    compareNext(Suite.NEXT_ACTIVE);
  }

  @Test
  void everyCheckOfTheNextReleasesDraftSuiteThatPassesDirectlyPassesThroughTheGateway() {
    compareNext(Suite.NEXT_DRAFT);
  }

  /**
   * {@code suite} of the 0.2.0-alpha.12 release directly and through {@code /servers/{id}/mcp}: no check may pass
   * directly and fail through the gateway. Its table goes to {@code summary-<suite>.md}.
   */
  private void compareNext(Suite suite) {
    String name = suite.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    SuiteResult direct = ConformanceSuite.run("direct (" + name + ")", upstream.streamableUrl(),
        Transport.STREAMABLE_HTTP, RESULTS, suite);
    // the draft suite speaks 2026-07-28: through the gateway to the upstream registered as a stateless upstream
    String path = suite == Suite.NEXT_DRAFT ? statelessUpstreamServerPath : serverPath;
    SuiteResult through = ConformanceSuite.run("gateway /servers/{id}/mcp (" + name + ")",
        gateway.base + path + "/mcp", Transport.STREAMABLE_HTTP, RESULTS, suite);
    nextColumns.put(suite, List.of(new ConformanceTable.Column(direct, s -> true),
        new ConformanceTable.Column(through, s -> true)));
    assertThat(direct.scenarios()).as("%s scenarios run directly; log: %s", name, direct.log()).isNotEmpty();
    List<Difference> differences = ConformanceDiff.lost(direct, through, s -> true);
    assertThat(differences)
        .withFailMessage(() -> differences.size() + " " + name + " check(s) pass directly and not through the "
            + "gateway:\n  " + differences.stream().map(Difference::toString).collect(Collectors.joining("\n  "))
            + "\nthe suite's log through the gateway: " + through.log())
        .isEmpty();
  }

  /** The direct Streamable HTTP run, once for the tests that compare with it. */
  private SuiteResult directStreamable() {
    if (directStreamable == null) {
      directStreamable = ConformanceSuite.run("direct (Streamable HTTP)", upstream.streamableUrl(),
          Transport.STREAMABLE_HTTP, RESULTS);
      columns.add(new ConformanceTable.Column(directStreamable, scenario -> true));
    }
    return directStreamable;
  }

  private void compare(Transport transport, SuiteResult direct, String label, String gatewayPath,
      Predicate<String> applies) {
    String kind = transport == Transport.STREAMABLE_HTTP ? "Streamable HTTP" : "legacy SSE";
    SuiteResult through = ConformanceSuite.run(label, gateway.base + gatewayPath, transport, RESULTS);
    if (columns.stream().noneMatch(c -> c.run() == direct)) {
      columns.add(new ConformanceTable.Column(direct, applies));
    }
    columns.add(new ConformanceTable.Column(through, applies));

    List<String> failingDirectly = direct.scenarios().keySet().stream()
        .filter(applies).filter(s -> !direct.passed(s)).toList();
    assertThat(failingDirectly)
        .as("the conformance upstream passes every active scenario directly over %s; its checks: %s; log: %s", kind,
            failingDirectly.stream().map(s -> s + " " + direct.scenarios().get(s)).collect(Collectors.joining("; ")),
            direct.log())
        .isEmpty();
    assertThat(direct.scenarios().keySet().stream().filter(applies).count())
        .as("active scenarios run directly over %s", kind).isGreaterThanOrEqualTo(28);

    List<Difference> differences = ConformanceDiff.between(direct, through, applies);
    assertThat(differences)
        .withFailMessage(() -> differences.size() + " conformance check(s) differ between the upstream "
            + "directly over " + kind + " and the " + label + ":\n  "
            + differences.stream().map(Difference::toString).collect(Collectors.joining("\n  "))
            + "\nthe suite's log through the gateway: " + through.log())
        .isEmpty();
  }
}
