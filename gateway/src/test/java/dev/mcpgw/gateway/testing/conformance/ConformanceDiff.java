package dev.mcpgw.gateway.testing.conformance;

import dev.mcpgw.gateway.testing.conformance.ConformanceSuite.Check;
import dev.mcpgw.gateway.testing.conformance.ConformanceSuite.SuiteResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Compares two runs of the suite check by check: what an MCP client sees of the upstream directly against what it
 * sees through the gateway. Checks are compared by outcome: passed (SUCCESS, or INFO: a check that only informs, such
 * as "the server answered a POST with JSON rather than an SSE stream", both of which the spec allows), WARNING, or
 * failed (FAILURE, or not reported at all). Any other difference counts, a check missing on one side included.
 */
public final class ConformanceDiff {
  private ConformanceDiff() {}

  /** One check whose outcome differs; a side's status is {@code MISSING} when that run did not report it. */
  public record Difference(String scenario, String check, String direct, String gateway, String gatewayError) {
    @Override
    public String toString() {
      return scenario + " / " + check + ": directly " + direct + ", through the gateway " + gateway
          + (gatewayError == null ? "" : " (" + gatewayError + ")");
    }
  }

  /** Every difference between {@code direct} and {@code gateway} over the scenarios {@code applies} accepts. */
  public static List<Difference> between(SuiteResult direct, SuiteResult gateway, Predicate<String> applies) {
    Set<String> scenarios = new LinkedHashSet<>(direct.scenarios().keySet());
    scenarios.addAll(gateway.scenarios().keySet());
    List<Difference> out = new ArrayList<>();
    for (String scenario : scenarios) {
      if (!applies.test(scenario)) {
        continue;
      }
      Map<String, Check> left = byId(direct.scenarios().getOrDefault(scenario, List.of()));
      Map<String, Check> right = byId(gateway.scenarios().getOrDefault(scenario, List.of()));
      Set<String> ids = new LinkedHashSet<>(left.keySet());
      ids.addAll(right.keySet());
      for (String id : ids) {
        Check d = left.get(id);
        Check g = right.get(id);
        String ds = d == null ? "MISSING" : d.status();
        String gs = g == null ? "MISSING" : g.status();
        if (!outcome(ds).equals(outcome(gs))) {
          out.add(new Difference(scenario, id, ds, gs, g == null ? null : g.errorMessage()));
        }
      }
    }
    return List.copyOf(out);
  }

  /** The differences where a check passed directly and did not through the gateway. */
  public static List<Difference> lost(SuiteResult direct, SuiteResult gateway, Predicate<String> applies) {
    return between(direct, gateway, applies).stream()
        .filter(d -> outcome(d.direct()).equals("passed") && !outcome(d.gateway()).equals("passed")).toList();
  }

  /** The outcome of a status: passed, failed, or the status itself (WARNING, SKIPPED). */
  private static String outcome(String status) {
    return switch (status) {
      case "SUCCESS", "INFO" -> "passed";
      case "FAILURE", "MISSING" -> "failed";
      default -> status;
    };
  }

  /** Checks by id; a repeated id gets its ordinal appended, so that none hides another. */
  private static Map<String, Check> byId(List<Check> checks) {
    Map<String, Check> out = new LinkedHashMap<>();
    for (Check c : checks) {
      String id = c.id();
      for (int n = 2; out.containsKey(id); n++) {
        id = c.id() + "#" + n;
      }
      out.put(id, c);
    }
    return out;
  }
}
