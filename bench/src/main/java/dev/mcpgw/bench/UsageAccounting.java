package dev.mcpgw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.store.Database;
import dev.mcpgw.gateway.usage.Pricing;
import dev.mcpgw.gateway.usage.QuotaRepository;
import dev.mcpgw.gateway.usage.TokenCounter;
import dev.mcpgw.gateway.usage.ToolCall;
import dev.mcpgw.gateway.usage.UsageAccountant;
import dev.mcpgw.gateway.usage.UsageRepository;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * The CPU cost of usage accounting per tool call (issue 11: at most 20 microseconds per 1 KB call): the request
 * thread's part ({@code admit} against a tenant quota, {@code record}: the baggage read and the queue offer) and the
 * accounting thread's part (token counting of arguments and result, pricing, the per-minute roll-up and its share of
 * the batched writes to SQLite), each as thread CPU time over many calls, for results of 1 KB and 100 KB of text.
 * Then the tokenizer alone: CPU per KB of {@link TokenCounter#count} against jtokkit's {@code countTokensOrdinary} of
 * the same encoding on the same texts (for {@code o200k_base} the gateway's own counter against jtokkit's regular
 * expression; for the other encodings both are jtokkit).
 * {@code java -cp bench/target/benchmarks.jar dev.mcpgw.bench.UsageAccounting [calls per size] [encoding]}
 */
public final class UsageAccounting {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] WORDS = ("the gateway forwards each tool call to its upstream and counts the tokens of"
      + " arguments and results so that usage per tenant user tool and model can be charged back; invoices list"
      + " 42 items, 3.5 percent, id a9f3-77c1, status ok, region eu-west-1").split(" ");

  private UsageAccounting() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    String encoding = args.length > 1 ? args[1] : TokenCounter.DEFAULT_ENCODING;
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long loadStart = System.nanoTime();
    TokenCounter tokens = TokenCounter.create(encoding);
    tokens.count("warm");
    System.out.printf("%s: TokenCounter ready in %.0f ms%n", encoding, (System.nanoTime() - loadStart) / 1e6);
    accounting(calls, encoding, tokens, cpu);
    countOnly(calls, encoding, tokens, cpu);
  }

  private static void accounting(int calls, String encoding, TokenCounter tokens, ThreadMXBean cpu) throws Exception {
    Path dir = Files.createTempDirectory("mcpgw-usage-bench");
    try (Database db = Database.open(new GatewaySettings.Database("jdbc:sqlite:" + dir.resolve("u.db"), null, null,
        4))) {
      QuotaRepository quotas = new QuotaRepository(db);
      quotas.create("tenant-1", null, dev.mcpgw.gateway.usage.Quota.Metric.TOKENS, 1e15,
          dev.mcpgw.gateway.usage.Quota.Window.MONTH);
      UsageRepository store = new UsageRepository(db);
      try (UsageAccountant accountant = UsageAccountant.builder(store, quotas, tokens)
          .pricing(Pricing.load(Path.of("config", "pricing.example.yaml"))).flushInterval(Duration.ofMillis(500))
          .start()) {
        Thread worker = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("mcpgw-usage"))
            .findFirst().orElseThrow();
        long expected = 0;
        for (int size : new int[] {1024, 1024, 100 * 1024}) {
          int n = size > 10_000 ? Math.max(200, calls / 50) : calls;
          ObjectNode arguments = JSON.createObjectNode().put("query", text(new Random(1), 120)).put("limit", 10);
          JsonNode result = JSON.createObjectNode().set("content", JSON.createArrayNode().add(
              JSON.createObjectNode().put("type", "text").put("text", text(new Random(2), size))));
          long requestCpu = 0;
          long workerBefore = cpu.getThreadCpuTime(worker.threadId());
          for (int i = 0; i < n; i++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            if (accountant.admit("tenant-" + (i % 5), "user-" + (i % 500)) == null) {
              accountant.record(new ToolCall("tenant-" + (i % 5), "user-" + (i % 500), "tool-" + (i % 20), "up", true,
                  true, 3_000_000L, arguments, result, System.currentTimeMillis()));
            }
            requestCpu += cpu.getCurrentThreadCpuTime() - t0;
            if (i % 8_000 == 7_999) {
              waitFor(store, expected + i + 1);
            }
          }
          expected += n;
          waitFor(store, expected);
          long workerCpu = cpu.getThreadCpuTime(worker.threadId()) - workerBefore;
          System.out.printf(encoding + ", result %6d B, %6d calls: request thread %.2f us/call, accounting thread %.2f us/call,"
              + " dropped %d%n", size, n, requestCpu / 1e3 / n, workerCpu / 1e3 / n, accountant.dropped());
        }
      }
    }
  }

  /** CPU per KB of counting alone, the gateway's counter against jtokkit's, alternating, after a warm-up round. */
  private static void countOnly(int calls, String encoding, TokenCounter tokens, ThreadMXBean cpu) {
    Encoding jtokkit = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.fromName(encoding).orElseThrow());
    String json = json(new Random(3), 1024);
    for (String[] sample : new String[][] {{"text 1 KB", text(new Random(2), 1024)}, {"JSON 1 KB", json},
        {"text 100 KB", text(new Random(2), 100 * 1024)}}) {
      String payload = sample[1];
      if (tokens.count(payload) != jtokkit.countTokensOrdinary(payload)) {
        throw new IllegalStateException("counts differ on " + sample[0]);
      }
      int n = Math.max(50, calls * 1024 / payload.length());
      double kb = payload.getBytes(StandardCharsets.UTF_8).length / 1024.0;
      double ours = 0;
      double theirs = 0;
      long sink = 0;
      for (int round = 0; round < 3; round++) {
        long t0 = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          sink += jtokkit.countTokensOrdinary(payload);
        }
        long t1 = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          sink += tokens.count(payload);
        }
        long t2 = cpu.getCurrentThreadCpuTime();
        if (round > 0) { // round 0 warms up
          theirs += (t1 - t0) / 1e3 / n / kb / 2;
          ours += (t2 - t1) / 1e3 / n / kb / 2;
        }
      }
      System.out.printf("%s, count only, %s (%d tokens): jtokkit %.2f us/KB, TokenCounter %.2f us/KB (%d)%n", encoding,
          sample[0], tokens.count(payload), theirs, ours, sink % 10);
    }
  }

  private static String json(Random random, int bytes) {
    StringBuilder b = new StringBuilder(bytes + 200).append("{\"items\":[");
    while (b.length() < bytes) {
      b.append("{\"id\":\"a9f3-").append(random.nextInt(10_000)).append("\",\"score\":").append(random.nextDouble())
          .append(",\"name\":\"").append(WORDS[random.nextInt(WORDS.length)]).append(' ')
          .append(WORDS[random.nextInt(WORDS.length)]).append("\",\"ok\":true},");
    }
    return b.append("{}]}").toString();
  }

  private static void waitFor(UsageRepository store, long calls) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (store.groups(UsageRepository.GroupBy.TENANT, 0, Long.MAX_VALUE, null, null).stream()
        .mapToLong(UsageRepository.Group::calls).sum() < calls) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("accounting did not catch up");
      }
      Thread.sleep(50);
    }
  }

  private static String text(Random random, int bytes) {
    StringBuilder b = new StringBuilder(bytes + 16);
    while (b.length() < bytes) {
      b.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    return b.substring(0, bytes);
  }
}
