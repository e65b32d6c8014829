package dev.mcpgw.observability.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for raw setting values; every failure names the key and what it accepts. */
final class ConfigValues {

  private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(kib|mib|gib)?");

  private ConfigValues() {}

  static String text(RawValue raw, String fallback) {
    return raw == null ? fallback : raw.value();
  }

  static boolean bool(RawValue raw, boolean fallback) {
    if (raw == null) {
      return fallback;
    }
    return switch (raw.value().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(raw, "true or false");
    };
  }

  static int positiveInt(RawValue raw, int fallback) {
    if (raw == null) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(raw.value());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // falls through to the error naming the key
    }
    throw invalid(raw, "a positive whole number");
  }

  static double number(RawValue raw, double fallback) {
    return raw == null ? fallback : parseDouble(raw, raw.value());
  }

  static double parseDouble(RawValue raw, String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw invalid(raw, "a number");
    }
  }

  /** A duration in the one grammar of {@link DurationGrammar}: a bare number is milliseconds only for OTEL_*. */
  static Duration duration(RawValue raw, Duration fallback) {
    if (raw == null) {
      return fallback;
    }
    try {
      return DurationGrammar.parse(raw.key(), raw.value());
    } catch (IllegalArgumentException e) {
      throw invalid(raw, DurationGrammar.expected(raw.key(), false));
    }
  }

  /** A size in bytes: a whole number, or with a binary unit ({@code 512KiB}, {@code 64MiB}, {@code 1GiB}). */
  static long bytes(RawValue raw, long fallback) {
    if (raw == null) {
      return fallback;
    }
    Matcher m = BYTES.matcher(raw.value().trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw invalid(raw, "a size in bytes, or with a unit: 512KiB, 64MiB, 1GiB");
    }
    try {
      long n = Long.parseLong(m.group(1));
      int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
        case "kib" -> 10;
        case "mib" -> 20;
        default -> 30;
      };
      if (n > (Long.MAX_VALUE >> shift)) {
        throw invalid(raw, "a size that fits in a long");
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw invalid(raw, "a size that fits in a long");
    }
  }

  static String oneOf(RawValue raw, List<String> allowed, String fallback) {
    if (raw == null) {
      return fallback;
    }
    String v = raw.value().toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw invalid(raw, "one of " + allowed);
    }
    return v;
  }

  static List<String> list(RawValue raw) {
    List<String> out = new ArrayList<>();
    for (String part : raw.value().split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (!p.isEmpty() && !out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  static List<String> namesFrom(RawValue raw, List<String> allowed, Map<String, String> aliases) {
    List<String> names = new ArrayList<>();
    for (String name : list(raw)) {
      String canonical = aliases.getOrDefault(name, name);
      if (!allowed.contains(canonical)) {
        throw invalid(raw, "a comma-separated list of " + allowed);
      }
      if (!names.contains(canonical)) {
        names.add(canonical);
      }
    }
    if (names.contains("none")) {
      if (names.size() > 1) {
        throw new ObservabilityConfigException(raw.key() + ": 'none' cannot be combined with other exporters");
      }
      return List.of();
    }
    return names;
  }

  /**
   * Parses {@code k1=v1,k2=v2} with percent-decoded values (W3C baggage style, as OTEL_RESOURCE_ATTRIBUTES and
   * OTEL_EXPORTER_OTLP_HEADERS specify). With {@code secret} set, errors never echo any part of the value.
   */
  static Map<String, String> keyValueList(RawValue raw, boolean secret) {
    Map<String, String> out = new LinkedHashMap<>();
    String[] entries = raw.value().split(",");
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].trim();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new ObservabilityConfigException(raw.key() + ": entry " + (i + 1) + (secret ? "" : " ('" + entry + "')")
            + " is not of the form key=value; expected key1=value1,key2=value2");
      }
      String key = entry.substring(0, eq).trim();
      String value;
      try {
        value = URLDecoder.decode(entry.substring(eq + 1).trim(), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new ObservabilityConfigException(raw.key() + ": entry " + (i + 1) + " has a malformed %-escape");
      }
      out.put(key, value);
    }
    return out;
  }

  /** Validates an endpoint URL; one without a scheme gets http:// when insecure and https:// otherwise. */
  static String endpoint(RawValue raw, boolean insecure) {
    String v = raw.value();
    if (!v.contains("://")) {
      v = (insecure ? "http://" : "https://") + v;
    }
    try {
      URI uri = new URI(v);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return v;
      }
    } catch (URISyntaxException e) {
      // falls through to the error naming the key
    }
    throw invalid(raw, "an http:// or https:// URL with a host, e.g. http://collector:4317");
  }

  static ObservabilityConfigException invalid(RawValue raw, String expected) {
    return new ObservabilityConfigException(raw.key() + "='" + raw.value() + "' is invalid: expected " + expected);
  }
}
