package dev.mcpgw.gateway.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a Prometheus text exposition down to one tenant's samples, for a tenant admin's {@code /metrics}: a sample is
 * kept only when its {@code tenant_id} label is that tenant (samples without the label are platform-wide and dropped),
 * and a family's {@code # HELP} / {@code # TYPE} lines only when one of its samples is kept.
 */
final class TenantMetrics {
  static final String LABEL = "tenant_id";

  private TenantMetrics() {}

  static String only(String exposition, String tenant) {
    StringBuilder out = new StringBuilder(exposition.length() / 4);
    List<String> pendingMeta = new ArrayList<>();
    boolean inSamples = false;
    for (String line : exposition.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# EOF")) {
        out.append(line).append('\n');
        continue;
      }
      if (line.startsWith("#")) {
        if (inSamples) {
          pendingMeta.clear(); // the previous family ended
          inSamples = false;
        }
        pendingMeta.add(line);
        continue;
      }
      inSamples = true;
      if (tenant.equals(labelValue(line, LABEL))) {
        pendingMeta.forEach(m -> out.append(m).append('\n'));
        pendingMeta.clear();
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  /** The unescaped value of label {@code name} in a sample line {@code metric{a="x",b="y"} 1}, or {@code null}. */
  static String labelValue(String sample, String name) {
    int open = sample.indexOf('{');
    int space = sample.indexOf(' ');
    if (open < 0 || (space >= 0 && space < open)) {
      return null;
    }
    int i = open + 1;
    int n = sample.length();
    while (i < n) {
      while (i < n && (sample.charAt(i) == ',' || sample.charAt(i) == ' ')) {
        i++;
      }
      if (i >= n || sample.charAt(i) == '}') {
        return null;
      }
      int eq = sample.indexOf('=', i);
      if (eq < 0 || eq + 1 >= n || sample.charAt(eq + 1) != '"') {
        return null;
      }
      String label = sample.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < n; j++) {
        char c = sample.charAt(j);
        if (c == '\\' && j + 1 < n) {
          char e = sample.charAt(++j);
          value.append(e == 'n' ? '\n' : e);
        } else if (c == '"') {
          break;
        } else {
          value.append(c);
        }
      }
      if (label.equals(name)) {
        return value.toString();
      }
      i = j + 1;
    }
    return null;
  }
}
