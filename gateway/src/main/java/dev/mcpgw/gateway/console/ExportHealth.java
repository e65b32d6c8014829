package dev.mcpgw.gateway.console;

import dev.mcpgw.observability.export.MetricsScrape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The span export pipeline's health for the overview, read from the same instruments {@code /metrics} serves (the
 * resilient exporters' {@code mcpgw.export.*} and the SDK's {@code otel.sdk.processor.span.*}): per exporter what was exported,
 * buffered to disk, replayed and dropped, its circuit and its disk buffer, and the batch queue. Nothing when the
 * {@code prometheus} metrics exporter is off (the numbers then go to the metrics backend).
 */
final class ExportHealth {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? ([-+0-9.eEIinfNa]+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  static final ExportHealth NONE = new ExportHealth(null);

  private final MetricsScrape scrape;

  ExportHealth(MetricsScrape scrape) {
    this.scrape = scrape;
  }

  /** One exporter's numbers since start; {@code circuit}: {@code closed}, {@code half-open}, {@code open} or empty. */
  record Exporter(long exported, long buffered, long replayed, long dropped, String circuit, long bufferBytes) {}

  /** The exporters by name and the batch span processor's queue; {@code null} when there is no scrape. */
  record Snapshot(Map<String, Exporter> exporters, long queued, long queueDropped) {}

  boolean available() {
    return scrape != null;
  }

  /** The current numbers, or {@code null} when the metrics are not served here or cannot be read. */
  Snapshot read() {
    if (scrape == null) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
    try {
      scrape.writeTo(out, false);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return parse(out.toString(StandardCharsets.UTF_8));
  }

  static Snapshot parse(String exposition) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, String> circuits = new HashMap<>();
    long queued = 0;
    long queueDropped = 0;
    for (String line : exposition.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (line.startsWith("#") || !m.find()) {
        continue;
      }
      String family = m.group(1);
      Map<String, String> labels = labels(m.group(2));
      long value = value(m.group(3));
      String exporter = labels.get("exporter");
      int slot = switch (family) {
        case "mcpgw_export_spans_exported_total" -> 0;
        case "mcpgw_export_spans_buffered_total" -> 1;
        case "mcpgw_export_spans_replayed_total" -> 2;
        case "mcpgw_export_spans_dropped_total" -> 3;
        case "mcpgw_export_buffer_usage_bytes" -> 4;
        default -> -1;
      };
      if (slot >= 0 && exporter != null) {
        counts.computeIfAbsent(exporter, k -> new long[5])[slot] += value;
      } else if (family.equals("mcpgw_export_circuit_state") && exporter != null) {
        counts.computeIfAbsent(exporter, k -> new long[5]);
        circuits.put(exporter, value == 0 ? "closed" : value == 1 ? "half-open" : value == 2 ? "open" : "");
      } else if (family.equals("otel_sdk_processor_span_queue_size")) {
        queued += value;
      } else if (family.equals("otel_sdk_processor_span_processed_total")
          && "queue_full".equals(labels.get("error_type"))) {
        queueDropped += value;
      }
    }
    Map<String, Exporter> exporters = new TreeMap<>();
    counts.forEach((name, c) -> exporters.put(name,
        new Exporter(c[0], c[1], c[2], c[3], circuits.getOrDefault(name, ""), c[4])));
    return new Snapshot(exporters, queued, queueDropped);
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> out = new HashMap<>();
    if (text != null) {
      Matcher l = LABEL.matcher(text);
      while (l.find()) {
        out.put(l.group(1), l.group(2));
      }
    }
    return out;
  }

  private static long value(String text) {
    try {
      return (long) Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
