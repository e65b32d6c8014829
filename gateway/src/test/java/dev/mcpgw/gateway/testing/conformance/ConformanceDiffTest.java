package dev.mcpgw.gateway.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.testing.conformance.ConformanceDiff.Difference;
import dev.mcpgw.gateway.testing.conformance.ConformanceSuite.Check;
import dev.mcpgw.gateway.testing.conformance.ConformanceSuite.SuiteResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConformanceDiffTest {
  private static final Check PING_OK = new Check("ping", "SUCCESS", null);

  @Test
  void identicalRunsDoNotDiffer() {
    SuiteResult run = run(Map.of("ping", List.of(PING_OK)));

    assertThat(ConformanceDiff.between(run, run, s -> true)).isEmpty();
  }

  @Test
  void aCheckThatFailsOnlyThroughTheGatewayIsReportedWithItsError() {
    SuiteResult direct = run(Map.of("ping", List.of(PING_OK)));
    SuiteResult gateway = run(Map.of("ping", List.of(new Check("ping", "FAILURE", "Method not found"))));

    assertThat(ConformanceDiff.between(direct, gateway, s -> true))
        .containsExactly(new Difference("ping", "ping", "SUCCESS", "FAILURE", "Method not found"));
  }

  @Test
  void aCheckOrAScenarioMissingThroughTheGatewayIsADifference() {
    Map<String, List<Check>> scenarios = new LinkedHashMap<>();
    scenarios.put("ping", List.of(PING_OK));
    scenarios.put("elicitation", List.of(new Check("string-default", "SUCCESS", null),
        new Check("integer-default", "SUCCESS", null)));
    SuiteResult direct = run(scenarios);
    SuiteResult gateway = run(Map.of("elicitation", List.of(new Check("general", "FAILURE", "not requested"))));

    assertThat(ConformanceDiff.between(direct, gateway, s -> true)).extracting(Difference::toString).containsExactly(
        "ping / ping: directly SUCCESS, through the gateway MISSING",
        "elicitation / string-default: directly SUCCESS, through the gateway MISSING",
        "elicitation / integer-default: directly SUCCESS, through the gateway MISSING");
  }

  @Test
  void infoCountsAsPassedButAWarningDiffersFromSuccess() {
    SuiteResult direct = run(Map.of("streams", List.of(new Check("accepted", "SUCCESS", null),
        new Check("functional", "SUCCESS", null))));
    SuiteResult gateway = run(Map.of("streams", List.of(new Check("accepted", "WARNING", "slow"),
        new Check("functional", "INFO", null))));

    assertThat(ConformanceDiff.between(direct, gateway, s -> true))
        .containsExactly(new Difference("streams", "accepted", "SUCCESS", "WARNING", "slow"));
  }

  @Test
  void scenariosThatDoNotApplyAreNotCompared() {
    SuiteResult direct = run(Map.of("dns-rebinding-protection", List.of(new Check("rejected", "SUCCESS", null))));
    SuiteResult gateway = run(Map.of("dns-rebinding-protection", List.of(new Check("rejected", "FAILURE", null))));

    assertThat(ConformanceDiff.between(direct, gateway, s -> !s.equals("dns-rebinding-protection"))).isEmpty();
  }

  @Test
  void aRepeatedCheckIdIsComparedOccurrenceByOccurrence() {
    SuiteResult direct = run(Map.of("s", List.of(new Check("c", "SUCCESS", null), new Check("c", "SUCCESS", null))));
    SuiteResult gateway = run(Map.of("s", List.of(new Check("c", "SUCCESS", null), new Check("c", "FAILURE", "x"))));

    assertThat(ConformanceDiff.between(direct, gateway, s -> true))
        .containsExactly(new Difference("s", "c#2", "SUCCESS", "FAILURE", "x"));
  }

  private static SuiteResult run(Map<String, List<Check>> scenarios) {
    return new SuiteResult("run", "http://127.0.0.1:1/mcp", scenarios, Path.of("conformance.log"));
  }
}
