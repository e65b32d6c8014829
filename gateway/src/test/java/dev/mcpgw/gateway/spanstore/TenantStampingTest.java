package dev.mcpgw.gateway.spanstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TenantStampingTest {
  private static FinishedSpan row(String trace, String id, String parent, boolean root, String name, String tenant) {
    return new FinishedSpan(trace, id, parent, root, name, "INTERNAL", 0, 1, false, tenant, null, null, null, null,
        null, "[]");
  }

  @Test
  void childrenOfAParentThatEndsAfterTheRootTakeTheRootsTenantAndTheLateParentIsWrittenAtOnce() {
    TenantStamping stamping = new TenantStamping(30_000_000_000L, 1_000);
    // the tool call's MCP span (mcp) ends after the answer, when its tokens are counted: its children and the HTTP root
    // arrive first
    List<FinishedSpan> first = stamping.accept(List.of(
        row("t1", "lookup", "mcp", false, "tool.lookup", null),
        row("t1", "forward", "mcp", false, "gateway.forward", null),
        row("t1", "http", null, true, "POST /mcp", "acme")), 0);

    assertThat(first).extracting(FinishedSpan::tenantId).containsOnly("acme");

    List<FinishedSpan> late = stamping.accept(List.of(row("t1", "mcp", "http", false, "tools/call echo", "acme")), 1);

    assertThat(late).extracting(FinishedSpan::spanId).containsExactly("mcp");
    assertThat(stamping.heldRows()).isZero();
  }

  @Test
  void aLateSpanWithoutATenantTakesItsTracesWhenItsHoldEndsAndOneOfAnotherTraceWaitsForItsRoot() {
    TenantStamping stamping = new TenantStamping(30_000_000_000L, 1_000);
    stamping.accept(List.of(row("t1", "http", null, true, "POST /mcp", "acme")), 0);

    List<FinishedSpan> now = stamping.accept(List.of(
        row("t1", "late", "http", false, "late child", null),
        row("t2", "other", "root2", false, "other trace", null)), 1);
    assertThat(now).isEmpty();
    assertThat(stamping.heldRows()).isEqualTo(2);

    Map<String, FinishedSpan> out = stamping.accept(List.of(), 30_000_000_001L).stream()
        .collect(Collectors.toMap(FinishedSpan::spanId, Function.identity()));
    assertThat(out.get("late").tenantId()).isEqualTo("acme");
    assertThat(out.get("other").tenantId()).isNull();
    assertThat(stamping.heldRows()).isZero();
  }

  @Test
  void anotherTenantsRequestTreeInAReleasedTraceKeepsItsOwnTenant() {
    TenantStamping stamping = new TenantStamping(30_000_000_000L, 1_000);
    stamping.accept(List.of(row("t1", "http", null, true, "POST /mcp", "acme")), 0);

    // a globex client reuses acme's trace id: its children end first, its HTTP root (globex) last
    List<FinishedSpan> children = stamping.accept(List.of(
        row("t1", "forward2", "mcp2", false, "gateway.forward", null),
        row("t1", "client2", "forward2", false, "tools/call add", null)), 1);
    assertThat(children).isEmpty();
    List<FinishedSpan> tree = stamping.accept(List.of(row("t1", "http2", null, true, "POST /mcp", "globex")), 2);

    assertThat(tree).extracting(FinishedSpan::spanId).containsExactlyInAnyOrder("forward2", "client2", "http2");
    assertThat(tree).extracting(FinishedSpan::tenantId).containsOnly("globex");
    // and acme's late MCP span is still written at once with its own
    assertThat(stamping.accept(List.of(row("t1", "mcp", "http", false, "tools/call echo", "acme")), 3))
        .extracting(FinishedSpan::tenantId).containsExactly("acme");
  }

  @Test
  void aTreeWhoseLocalRootNamesTheOnlyTenantGivesItToEverySpan() {
    List<FinishedSpan> out = TenantStamping.stamp(List.of(
        row("t1", "lookup", "mcp", false, "tool.lookup", null),
        row("t1", "mcp", "http", false, "tools/call echo", "acme"),
        row("t1", "client", "forward", false, "tools/call echo", null),
        row("t1", "http", null, true, "POST /mcp", "acme")));

    assertThat(out).extracting(FinishedSpan::tenantId).containsOnly("acme");
  }

  @Test
  void aSpanWithNoTenantAboveOrBelowItKeepsNoneWhenTheLocalRootNamesNone() {
    Map<String, FinishedSpan> out = TenantStamping.stamp(List.of(
        row("t1", "a", "root", false, "names its tenant", "acme"),
        row("t1", "b", "root", false, "a sibling", null),
        row("t1", "root", null, true, "POST /mcp", null))).stream()
        .collect(Collectors.toMap(FinishedSpan::spanId, Function.identity()));

    assertThat(out.get("root").tenantId()).as("from its child").isEqualTo("acme");
    assertThat(out.get("b").tenantId()).isNull();
  }
}
