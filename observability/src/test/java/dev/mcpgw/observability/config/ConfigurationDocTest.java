package dev.mcpgw.observability.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md's observability table and the loader must list the same keys. */
class ConfigurationDocTest {

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  static Set<String> documentedKeys() throws IOException {
    Path doc = Path.of("..", "docs", "configuration.md");
    List<String> lines = Files.readAllLines(doc);
    int start = lines.indexOf("## Observability settings");
    assertThat(start).as("docs/configuration.md has a '## Observability settings' heading").isNotNegative();
    Set<String> keys = new LinkedHashSet<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      String line = lines.get(i);
      if (!line.startsWith("|") || line.startsWith("|---")) {
        continue;
      }
      String[] cells = line.split("\\|", -1);
      // cells[0] is empty (line starts with '|'); [1] env name, [2] YAML path.
      for (int c = 1; c <= 2 && c < cells.length; c++) {
        Matcher m = CODE.matcher(cells[c]);
        while (m.find()) {
          keys.add(m.group(1));
        }
      }
    }
    return keys;
  }

  @Test
  void everyAcceptedKeyIsDocumentedAndEveryDocumentedKeyIsAccepted() throws IOException {
    Set<String> documented = documentedKeys();
    Set<String> accepted = ObservabilityConfigLoader.knownKeys();
    assertThat(documented).as("keys in docs/configuration.md but not accepted by the loader")
        .isSubsetOf(accepted);
    assertThat(accepted).as("keys the loader accepts but docs/configuration.md lacks")
        .isSubsetOf(documented);
  }

  @Test
  void exampleYamlLoadsAndShowsEveryYamlKey() throws IOException {
    Path example = Path.of("..", "config", "observability.example.yaml");
    ObservabilityConfig config = ObservabilityConfigLoader.load(java.util.Map.of(), example);
    assertThat(config.enabled()).isTrue();
    assertThat(config.tracing().exporter().types()).isEmpty();
    String text = Files.readString(example);
    for (String path : ObservabilityConfigLoader.knownYamlPaths()) {
      String leaf = path.replace(".*", "").replace("[]", "");
      leaf = leaf.substring(leaf.lastIndexOf('.') + 1);
      assertThat(text).as("example shows " + path).containsPattern("(?m)^\\s*-?\\s*" + leaf + ":");
    }
  }
}
