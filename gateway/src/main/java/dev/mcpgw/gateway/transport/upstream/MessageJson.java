package dev.mcpgw.gateway.transport.upstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Jackson mapper of the MCP message path, downstream and upstream: plain Jackson, no modules (messages stay trees).
 * Its buffers come from one shared pool instead of Jackson's default per-thread pool: the message path runs on virtual
 * threads, a new one per request, so per-thread buffers were allocated afresh for every parse and write (about a third
 * of the gateway's allocation per {@code tools/call}, docs/performance.md).
 */
public final class MessageJson {
  public static final ObjectMapper MAPPER = new ObjectMapper(
      JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());

  private MessageJson() {}
}
