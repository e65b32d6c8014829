package dev.mcpgw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ready-to-run compose files in docs/backends are checked beyond YAML syntax, without a Docker daemon: Debian's
 * {@code docker-compose} (v1, installed by {@code .ci/run}) validates each against the Compose schema
 * ({@code config -q} needs no daemon), and this test checks what that schema cannot: every image tag is pinned, every
 * mounted file exists in the repository, every {@code localhost} port the file's instructions name is published by
 * one of its services (or is the gateway's own), and every gateway setting the instructions name is a real,
 * documented one.
 */
class BackendComposeFilesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path BACKENDS = ROOT.resolve("docs/backends");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SETTING = Pattern.compile("\\b((?:MCPGW|OTEL)_[A-Z0-9_]+)=");
  private static final Pattern LOCAL_PORT = Pattern.compile("https?://localhost:(\\d+)");
  private static final Pattern PINNED = Pattern.compile("[a-z0-9./_-]+(:[A-Za-z0-9._-]+)(@sha256:[0-9a-f]{64})?");
  private static final Pattern PORT = Pattern.compile("(?:(\\d+):)?(\\d+)(?:/(tcp|udp))?");

  @TempDir Path tmp;

  static List<Path> composeFiles() throws IOException {
    try (Stream<Path> files = Files.list(BACKENDS)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".compose.yml")).sorted().toList();
    }
  }

  static int dockerCompose(Path file, StringBuilder output) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("docker-compose", "-f", file.toString(), "config", "-q")
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("docker-compose finished").isTrue();
    output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    return p.exitValue();
  }

  @Test
  void thereAreTheBackendsTheIssueNames() throws IOException {
    assertThat(composeFiles()).extracting(p -> p.getFileName().toString()).contains("jaeger.compose.yml",
        "prometheus-grafana.compose.yml", "tempo.compose.yml", "phoenix.compose.yml", "collector.compose.yml");
  }

  @Test
  void dockerComposeValidatesEachFileAgainstTheComposeSchema() throws Exception {
    for (Path file : composeFiles()) {
      StringBuilder out = new StringBuilder();
      assertThat(dockerCompose(file, out)).as("docker-compose config -q %s:\n%s", file.getFileName(), out).isZero();
    }
  }

  @Test
  void dockerComposeRefusesAFileTheSchemaDoesNotAllow() throws Exception {
    // the check above is only worth something if the validator refuses what is wrong
    Path broken = tmp.resolve("broken.compose.yml");
    Files.writeString(broken, Files.readString(BACKENDS.resolve("jaeger.compose.yml"))
        .replace("    image:", "    imagee:"));
    StringBuilder out = new StringBuilder();
    assertThat(dockerCompose(broken, out)).isNotZero();
    assertThat(out.toString()).contains("imagee");
  }

  @Test
  void everyImageIsPinnedToAVersion() throws IOException {
    for (Path file : composeFiles()) {
      YAML.readTree(file.toFile()).path("services").properties().forEach(service -> {
        String image = service.getValue().path("image").asText("");
        Matcher m = PINNED.matcher(image);
        assertThat(m.matches()).as("%s: service %s has image '%s' without a tag", file.getFileName(),
            service.getKey(), image).isTrue();
        assertThat(m.group(1)).as("%s: service %s", file.getFileName(), service.getKey()).isNotEqualTo(":latest");
      });
    }
  }

  @Test
  void everyMountedFileOrDirectoryExistsInTheRepository() throws IOException {
    int mounts = 0;
    for (Path file : composeFiles()) {
      for (var service : YAML.readTree(file.toFile()).path("services").properties()) {
        for (JsonNode volume : service.getValue().path("volumes")) {
          String source = volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText();
          assertThat(source).as("%s: a bind mount of a relative path (a named volume is not a file)",
              file.getFileName()).startsWith(".");
          Path resolved = file.getParent().resolve(source).normalize();
          assertThat(resolved).as("%s: service %s mounts %s", file.getFileName(), service.getKey(), source)
              .exists();
          assertThat(resolved.startsWith(ROOT)).as("%s stays inside the repository", source).isTrue();
          mounts++;
        }
      }
    }
    assertThat(mounts).as("mounts checked").isGreaterThanOrEqualTo(5);
  }

  @Test
  void everyLocalhostPortTheInstructionsNameIsPublishedOrIsTheGateways() throws IOException {
    int gatewayPort = SettingsLoader.load(Map.of(), tmp).port();
    for (Path file : composeFiles()) {
      Set<Integer> published = new TreeSet<>();
      for (var service : YAML.readTree(file.toFile()).path("services").properties()) {
        for (JsonNode port : service.getValue().path("ports")) {
          Matcher m = PORT.matcher(port.asText());
          assertThat(m.matches()).as("%s: port '%s'", file.getFileName(), port.asText()).isTrue();
          int host = Integer.parseInt(m.group(1) == null ? m.group(2) : m.group(1));
          assertThat(host).isBetween(1, 65535);
          assertThat(published.add(host)).as("%s publishes host port %d twice", file.getFileName(), host).isTrue();
        }
      }
      Matcher named = LOCAL_PORT.matcher(Files.readString(file));
      while (named.find()) {
        int port = Integer.parseInt(named.group(1));
        assertThat(port == gatewayPort || published.contains(port))
            .as("%s names localhost:%d, which none of its services publishes", file.getFileName(), port).isTrue();
      }
    }
  }

  @Test
  void everyGatewaySettingTheInstructionsNameIsARealDocumentedSetting() throws IOException {
    Set<String> real = new TreeSet<>(ObservabilityConfigLoader.knownEnvKeys());
    for (SettingsLoader.Key key : SettingsLoader.Key.values()) {
      real.add(key.env());
    }
    Set<String> documented = DocumentedSettingsAuditTest.documentedKeys();
    List<String> named = new ArrayList<>();
    List<Path> texts = new ArrayList<>(composeFiles());
    try (Stream<Path> pages = Files.list(BACKENDS)) {
      pages.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(texts::add);
    }
    for (Path file : texts) {
      Matcher m = SETTING.matcher(Files.readString(file));
      while (m.find()) {
        named.add(m.group(1));
        assertThat(real).as("%s names %s, which no settings loader reads", file.getFileName(), m.group(1))
            .contains(m.group(1));
        assertThat(documented).as("%s names %s, which docs/configuration.md does not document",
            file.getFileName(), m.group(1)).contains(m.group(1));
      }
    }
    assertThat(named).contains("OTEL_EXPORTER_OTLP_ENDPOINT", "MCPGW_HOST");
  }
}
