package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository stands alone: main code, the docs and the README never send a reader to a document outside it (a
 * design file next to the clone, the original requirements text). What such documents held that the code relies on
 * lives in {@code docs/} (the trace shape and the observability contracts in {@code docs/trace-shape.md}, settings in
 * {@code docs/configuration.md}). Tests may still name their fixtures as they like; they are not scanned.
 */
class StandaloneRepositoryTest {
  /** The repository root: tests run in the gateway module's directory. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** Pointers to documents outside the repository, case-insensitive. */
  static final Pattern OUTSIDE = Pattern.compile(
      "\\.\\./shared\\b|/work/shared\\b|ARCHITECTURE\\.md|\\bthe seed\\b|\\bseed's|\\bseed:|\\(seed\\)",
      Pattern.CASE_INSENSITIVE);

  @Test
  void mainCodeDocsAndReadmeReferenceNoDocumentOutsideTheRepository() {
    List<String> found = new ArrayList<>();
    for (Path file : scannedFiles()) {
      List<String> lines = lines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (OUTSIDE.matcher(lines.get(i)).find()) {
          found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertThat(found)
        .as("lines pointing outside the repository; carry what they need into docs/ and point there instead")
        .isEmpty();
  }

  @Test
  void theScanCoversTheMainCodeOfEveryModuleTheDocsAndTheReadme() {
    List<String> scanned = scannedFiles().stream().map(f -> ROOT.relativize(f).toString().replace('\\', '/')).toList();

    assertThat(scanned).contains(
        "README.md",
        "docs/trace-shape.md",
        "docs/adr/0010-trace-shape.md",
        "observability/src/main/java/dev/mcpgw/observability/Observability.java",
        "gateway/src/main/java/dev/mcpgw/gateway/GatewayApplication.java");
    assertThat(scanned).noneMatch(f -> f.contains("/src/test/") || f.contains("/target/")
        || f.contains("node_modules"));
  }

  @Test
  void eachKindOfOutsidePointerIsRecognised() {
    assertThat(List.of(
        "the contracts are in `../shared/ARCHITECTURE.md`",
        "in the shape of ARCHITECTURE.md section 4",
        "the seed's names (`tool.name`)",
        "as The Seed asks",
        "Starts a span (seed: create_span).",
        "Event when a tool was validated (seed).",
        "see /work/shared/seed/observability-epic.txt"))
        .allMatch(line -> OUTSIDE.matcher(line).find());
    assertThat(List.of(
        "the shape is in docs/trace-shape.md",
        "seeded random inputs",
        "a shared secret",
        "docs/architecture.png"))
        .noneMatch(line -> OUTSIDE.matcher(line).find());
  }

  /** Every module's {@code src/main/**.java}, {@code docs/**.md} and the README. */
  static List<Path> scannedFiles() {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"));
        Stream<Path> modules = Files.list(ROOT)) {
      docs.filter(f -> f.toString().endsWith(".md")).forEach(files::add);
      for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main"))).toList()) {
        try (Stream<Path> sources = Files.walk(module.resolve("src/main"))) {
          sources.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }
}
