package dev.mcpgw.gateway.testing.conformance;

import dev.mcpgw.gateway.testing.conformance.ConformanceSuite.Check;
import dev.mcpgw.gateway.testing.conformance.ConformanceSuite.SuiteResult;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A Markdown table of several runs side by side, one row per scenario, as {@code docs/conformance.md} shows them:
 * "pass (n/n)", a failure with the checks that failed, or "n/a" where the scenario does not apply to a run.
 */
public final class ConformanceTable {
  private ConformanceTable() {}

  /** One column: a run and the scenarios that apply to it. */
  public record Column(SuiteResult run, Predicate<String> applies) {}

  public static String markdown(List<Column> columns) {
    Set<String> scenarios = new LinkedHashSet<>();
    columns.forEach(c -> scenarios.addAll(c.run().scenarios().keySet()));
    StringBuilder out = new StringBuilder("| scenario |");
    columns.forEach(c -> out.append(' ').append(c.run().label()).append(" |"));
    out.append("\n|---|").append("---|".repeat(columns.size())).append('\n');
    for (String scenario : scenarios) {
      out.append("| ").append(scenario).append(" |");
      for (Column c : columns) {
        out.append(' ').append(cell(c, scenario)).append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String cell(Column column, String scenario) {
    if (!column.applies().test(scenario)) {
      return "n/a";
    }
    List<Check> checks = column.run().scenarios().get(scenario);
    if (checks == null) {
      return "did not run";
    }
    long passed = checks.stream().filter(Check::passed).count();
    if (passed == checks.size() && passed > 0) {
      return "pass (" + passed + "/" + checks.size() + ")";
    }
    return "**fail** (" + passed + "/" + checks.size() + "): " + checks.stream().filter(c -> !c.passed())
        .map(c -> c.id() + " " + c.status() + (c.errorMessage() == null ? "" : ": " + c.errorMessage()))
        .map(s -> s.replace("|", "\\|").replace("\n", " "))
        .collect(Collectors.joining("; "));
  }
}
