package dev.mcpgw.bench;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load of {@code tools/call} with the official Java SDK client ({@code io.modelcontextprotocol.sdk}
 * {@code McpSyncClient} over {@code HttpClientStreamableHttpTransport}), the Java counterpart of
 * {@code bench/load/sdk-client.mjs}: N clients, each with its own session, call TOOL with {@code {message}} one call
 * after another for the duration; every answer is checked (it must echo the message). Prints one line in the format
 * of the TypeScript driver, read by {@code bench/load/summarize.py}:
 * {@code RESULT requests=N rps=R p50_us=P p99_us=Q non2xx_or_wrong=E client_cpu_us=C}.
 * {@code java -cp bench/target/benchmarks.jar dev.mcpgw.bench.JavaSdkClients URL TOOL [clients 8] [seconds 10]}
 * (loopback only; run by {@code bench/load/sdk-clients --java}).
 */
public final class JavaSdkClients {
  private JavaSdkClients() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || !args[0].startsWith("http://127.0.0.1:")) {
      System.err.println("usage: JavaSdkClients http://127.0.0.1:PORT/mcp TOOL [clients] [seconds]");
      System.exit(2);
    }
    URI url = URI.create(args[0]);
    String tool = args[1];
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    long seconds = args.length > 3 ? Long.parseLong(args[3]) : 10;
    String base = url.getScheme() + "://" + url.getAuthority();

    List<McpSyncClient> sessions = new ArrayList<>();
    for (int n = 0; n < clients; n++) {
      McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(base).endpoint(url.getPath())
              .build())
          .clientInfo(new McpSchema.Implementation("bench-java-" + n, "1"))
          .requestTimeout(Duration.ofSeconds(30)).build();
      client.initialize();
      sessions.add(client);
    }
    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    AtomicLong wrong = new AtomicLong();
    long cpuBefore = processCpuNanos();
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int n = 0; n < clients; n++) {
      int me = n;
      threads.add(Thread.ofPlatform().name("client-" + n).start(() -> {
        long[] mine = new long[1 << 16];
        int i = 0;
        McpSyncClient client = sessions.get(me);
        while (System.nanoTime() < deadline) {
          String message = "hello " + me + " " + i;
          long t0 = System.nanoTime();
          try {
            McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, Map.of("message", message)));
            String text = r.content().isEmpty() || !(r.content().get(0) instanceof McpSchema.TextContent t) ? "" : t.text();
            if (Boolean.TRUE.equals(r.isError()) || !text.contains(message)) wrong.incrementAndGet();
          } catch (RuntimeException e) {
            wrong.incrementAndGet();
          }
          if (i == mine.length) mine = Arrays.copyOf(mine, mine.length * 2);
          mine[i++] = System.nanoTime() - t0;
        }
        latencies[me] = mine;
        counts[me] = i;
      }));
    }
    for (Thread t : threads) t.join();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long cpu = processCpuNanos() - cpuBefore;
    for (McpSyncClient client : sessions) client.closeGracefully();
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int n = 0; n < clients; n++) {
      System.arraycopy(latencies[n], 0, all, at, counts[n]);
      at += counts[n];
    }
    Arrays.sort(all);
    System.out.printf("RESULT requests=%d rps=%.1f p50_us=%d p99_us=%d non2xx_or_wrong=%d client_cpu_us=%d%n", total,
        total / elapsed, percentile(all, 0.50) / 1000, percentile(all, 0.99) / 1000, wrong.get(),
        total == 0 ? 0 : cpu / 1000 / total);
    System.exit(0);
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
