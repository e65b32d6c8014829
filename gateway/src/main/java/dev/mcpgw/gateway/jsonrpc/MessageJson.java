package dev.mcpgw.gateway.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Jackson mapper of the MCP message path, downstream and upstream: plain Jackson, no modules (messages stay trees).
 * Its buffers come from one shared pool instead of Jackson's default per-thread pool: the message path runs on virtual
 * threads, a new one per request, so per-thread buffers were allocated afresh for every parse and write (about a third
 * of the gateway's allocation per {@code tools/call}, docs/performance.md).
 *
 * <p>Every parser on the request path (this mapper and the admin API's) is built by {@link #factory()}, with the
 * gateway's one set of {@link #LIMITS}: a document breaking one is a parse error, never a deep recursion or an
 * unbounded buffer.
 */
public final class MessageJson {
  /** The deepest nesting of arrays and objects accepted (MCP messages and JSON Schemas stay far below). */
  public static final int MAX_NESTING_DEPTH = 200;
  /** The longest number, in characters. */
  public static final int MAX_NUMBER_LENGTH = 100;
  /** The longest string, in characters (upstream answers may carry base64 resources). */
  public static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;
  /** The longest document, in bytes (request bodies are bounded lower by {@code MCPGW_MAX_BODY_BYTES}). */
  public static final long MAX_DOCUMENT_LENGTH = 64L * 1024 * 1024;

  /** The limits of every parser on the request path. */
  public static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
      .maxNestingDepth(MAX_NESTING_DEPTH)
      .maxNumberLength(MAX_NUMBER_LENGTH)
      .maxStringLength(MAX_STRING_LENGTH)
      .maxDocumentLength(MAX_DOCUMENT_LENGTH)
      .build();

  public static final ObjectMapper MAPPER = new ObjectMapper(factory());

  private MessageJson() {}

  /** A factory with the shared buffer pool and {@link #LIMITS}; every request-path mapper is built on one. */
  public static JsonFactory factory() {
    return JsonFactory.builder()
        .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
        .streamReadConstraints(LIMITS)
        .build();
  }

  /**
   * What a client may be told about why its body did not parse: which limit it broke, or where the syntax failed;
   * never the parser's message, which quotes the body back.
   */
  public static String describe(JsonProcessingException e) {
    if (e instanceof StreamConstraintsException) {
      return "the body exceeds a JSON limit (nesting depth " + MAX_NESTING_DEPTH + ", numbers of "
          + MAX_NUMBER_LENGTH + " characters, strings of " + MAX_STRING_LENGTH + " characters)";
    }
    if (e.getLocation() == null) {
      return "the body is not valid JSON";
    }
    return "the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
        + e.getLocation().getColumnNr() + ")";
  }
}
