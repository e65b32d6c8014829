package dev.mcpgw.gateway.testing.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcpgw.gateway.NodePeers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the {@code @modelcontextprotocol/conformance} CLI (npm, on Node 22) once over every active server scenario
 * against one URL, and reads what it wrote: one {@code server-<scenario>-<timestamp>/checks.json} per scenario under
 * its {@code --output-dir}, and a summary line per scenario on stdout (the summary also names a scenario that crashed
 * before writing its checks).
 */
public final class ConformanceSuite {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Pattern SUMMARY = Pattern.compile("^[✓✗] (\\S+): \\d+ passed, \\d+ failed");
  private static final Pattern RESULT_DIR = Pattern.compile("server-(.+)-\\d{4}-\\d{2}-\\d{2}T[\\d-]+Z");

  /** Which client transport the suite's scenarios use. */
  public enum Transport {
    /** The suite as published: the TypeScript SDK's Streamable HTTP client. */
    STREAMABLE_HTTP,
    /**
     * The TypeScript SDK's legacy {@code SSEClientTransport} swapped in by a module hook: the scenarios that go
     * through the SDK client then speak the legacy SSE transport ({@link #appliesToLegacySse}).
     */
    LEGACY_SSE
  }

  /** Which release of the suite runs, and which of its suites. */
  public enum Suite {
    /** 0.1.16, its active scenarios (revision 2025-11-25). */
    ACTIVE("@modelcontextprotocol/conformance", "active"),
    /** 0.2.0-alpha.12 ({@code conformance-next} in testing/node), its active scenarios (revision 2025-11-25). */
    NEXT_ACTIVE("conformance-next", "active"),
    /** 0.2.0-alpha.12, its draft scenarios (revision 2026-07-28). */
    NEXT_DRAFT("conformance-next", "draft");

    private final String npmPackage;
    private final String name;

    Suite(String npmPackage, String name) {
      this.npmPackage = npmPackage;
      this.name = name;
    }
  }

  private ConformanceSuite() {}

  /**
   * Runs the active suite against {@code url}; its log and results go to a directory of {@code workDir} named after
   * {@code label}, emptied first.
   *
   * @return the checks of every scenario that ran, by scenario name, in the order they ran
   */
  public static SuiteResult run(String label, String url, Transport transport, Path workDir) {
    return run(label, url, transport, workDir, Suite.ACTIVE);
  }

  /** The same with {@code suite}. */
  public static SuiteResult run(String label, String url, Transport transport, Path workDir, Suite suite) {
    try {
      Path dir = workDir.toAbsolutePath().resolve(label.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", ""));
      deleteRecursively(dir);
      Files.createDirectories(dir);
      Path results = dir.resolve("results");
      Path log = dir.resolve("conformance.log");
      List<String> command = new ArrayList<>(List.of(NodePeers.node().toString()));
      if (transport == Transport.LEGACY_SSE) {
        command.addAll(List.of("--import", resource("legacy-sse.mjs").toUri().toString()));
      }
      command.addAll(List.of(cli(suite).toString(), "server", "--url", url, "--suite", suite.name,
          "--output-dir", results.toString()));
      Process p = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          throw new AssertionError("the conformance suite did not finish within " + TIMEOUT + " against " + url
              + "; its log:\n" + Files.readString(log));
        }
      } finally {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      return read(label, url, log, results);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the conformance suite ran", e);
    }
  }

  /**
   * The scenarios that apply to the legacy SSE transport: all but those that send raw Streamable HTTP requests
   * around the SDK client (several POST streams on one session; Host/Origin checks on a POST initialize).
   */
  public static boolean appliesToLegacySse(String scenario) {
    return !scenario.equals("server-sse-multiple-streams") && !scenario.equals("dns-rebinding-protection");
  }

  private static SuiteResult read(String label, String url, Path log, Path results) throws IOException {
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Map<String, List<Check>> checks = new LinkedHashMap<>();
    output.lines().map(SUMMARY::matcher).filter(Matcher::find).forEach(m -> checks.put(m.group(1), null));
    if (checks.isEmpty()) {
      throw new AssertionError("the conformance suite printed no summary against " + url + "; its log:\n" + output);
    }
    if (Files.isDirectory(results)) {
      try (Stream<Path> dirs = Files.list(results)) {
        for (Path dir : dirs.toList()) {
          Matcher m = RESULT_DIR.matcher(dir.getFileName().toString());
          Path file = dir.resolve("checks.json");
          if (m.matches() && Files.isRegularFile(file)) {
            checks.put(m.group(1), parse(JSON.readTree(file.toFile())));
          }
        }
      }
    }
    // a scenario that threw before writing checks.json still counts: as one failed check named after it
    checks.replaceAll((scenario, list) -> list != null ? list
        : List.of(new Check(scenario, "FAILURE", "the scenario did not complete; see " + log)));
    return new SuiteResult(label, url, checks, log);
  }

  private static List<Check> parse(JsonNode array) {
    List<Check> out = new ArrayList<>();
    array.forEach(c -> out.add(new Check(c.path("id").asText(), c.path("status").asText(),
        c.hasNonNull("errorMessage") ? c.get("errorMessage").asText() : null)));
    return List.copyOf(out);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static Path cli(Suite suite) {
    return NodePeers.nodeModules().resolve(suite.npmPackage + "/dist/index.js");
  }

  private static Path resource(String name) {
    try {
      return Path.of(ConformanceSuite.class.getResource("/conformance/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One check of one scenario, as the suite reported it. */
  public record Check(String id, String status, String errorMessage) {
    /** SUCCESS, or INFO (a check that only informs, such as "the server answered with JSON, not SSE"). */
    public boolean passed() {
      return status.equals("SUCCESS") || status.equals("INFO");
    }

    @Override
    public String toString() {
      return id + " " + status + (errorMessage == null ? "" : " (" + errorMessage + ")");
    }
  }

  /** Every scenario's checks, by scenario name in the order they ran, and where the suite's own log is. */
  public record SuiteResult(String label, String url, Map<String, List<Check>> scenarios, Path log) {
    public SuiteResult {
      scenarios = Collections.unmodifiableMap(new LinkedHashMap<>(scenarios));
    }

    /** Whether every check of {@code scenario} passed (and it has checks). */
    public boolean passed(String scenario) {
      List<Check> list = scenarios.getOrDefault(scenario, List.of());
      return !list.isEmpty() && list.stream().allMatch(Check::passed);
    }
  }
}
