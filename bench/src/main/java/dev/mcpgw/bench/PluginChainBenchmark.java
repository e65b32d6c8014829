package dev.mcpgw.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookContext;
import dev.mcpgw.gateway.plugin.HookOutcome;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.plugin.PluginChains;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the plugin chain adds to one tool call: the three built-ins (deny list, rate limiter with a limit never
 * reached, PII filter) against the empty chain, at {@code tool_pre_invoke} (arguments) and {@code tool_post_invoke}
 * (a text result), on a payload with and without personal data.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar PluginChainBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PluginChainBenchmark {
  private static final String BUILT_INS = """
      - kind: deny_list
        priority: 10
        config:
          tools: ["*-shell_exec", "admin-*"]
          tenants: {acme: {tools: ["billing-*"]}}
      - kind: rate_limiter
        priority: 20
        config: {limit: 999999999/1s, by: user_tool}
      - kind: pii_filter
        priority: 30
      """;

  private final ObjectMapper json = new ObjectMapper();
  private final HookContext context = new HookContext(new Caller("alice", "acme", false), "req-1", null);
  private PluginChain empty;
  private PluginChain builtIns;
  private ObjectNode cleanCall;
  private ObjectNode piiCall;
  private ObjectNode piiResult;

  @Setup
  public void setUp() throws Exception {
    empty = PluginChains.fromConfig(null);
    builtIns = PluginChains.fromConfig(new ObjectMapper(new YAMLFactory()).readTree(BUILT_INS));
    cleanCall = (ObjectNode) json.readTree("""
        {"name": "docs-search", "arguments": {"query": "how do I rotate the signing key", "limit": 10,
         "filters": {"lang": "en", "tags": ["security", "operations"]}}}
        """);
    piiCall = (ObjectNode) json.readTree("""
        {"name": "crm-update", "arguments": {"contact": {"email": "ann@example.com", "phone": "555-123-4567"},
         "note": "card 4111 1111 1111 1111, call back", "auth": {"password": "hunter2"}}}
        """);
    piiResult = (ObjectNode) json.readTree("""
        {"name": "crm-lookup", "arguments": {"id": 42}, "result": {"content": [{"type": "text",
         "text": "Ann Example <ann@example.com>, +44 20 7946 0958, account since 2019, 3 open tickets"}],
         "isError": false}}
        """);
  }

  @Benchmark
  public HookOutcome emptyChainPreInvoke() {
    return empty.run(Hook.TOOL_PRE_INVOKE, context, cleanCall);
  }

  @Benchmark
  public HookOutcome builtInsPreInvokeNothingToMask() {
    return builtIns.run(Hook.TOOL_PRE_INVOKE, context, cleanCall);
  }

  @Benchmark
  public HookOutcome builtInsPreInvokeMasking() {
    return builtIns.run(Hook.TOOL_PRE_INVOKE, context, piiCall);
  }

  @Benchmark
  public HookOutcome emptyChainPostInvoke() {
    return empty.run(Hook.TOOL_POST_INVOKE, context, piiResult);
  }

  @Benchmark
  public HookOutcome builtInsPostInvokeMasking() {
    return builtIns.run(Hook.TOOL_POST_INVOKE, context, piiResult);
  }
}
