package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The trace of one request to an upstream, from before its first attempt to its answer: what to send (params and
 * headers carrying the trace context) and what happened (attempts, retries, breaker transitions, the outcome).
 * Nothing here throws; {@link #NONE} leaves the request untouched.
 */
public interface TracedRequest extends CallObserver {

  /** The params to send: {@code original} itself, or a copy whose {@code _meta} carries the context. */
  ObjectNode params(ObjectNode original);

  /** The HTTP headers to send: {@code original} itself, or a copy with the context's headers added. */
  Map<String, String> headers(Map<String, String> original);

  /** An attempt was handed to the transport under JSON-RPC id {@code id}. */
  void sent(long id);

  /**
   * {@code call} ending the trace when it completes, with its result or failure and the breaker's state then; the
   * returned future completes after the trace ended and cancelling it cancels {@code call}.
   */
  <T extends JsonNode> CompletableFuture<T> around(CompletableFuture<T> call, Supplier<String> breakerState);

  /** Traces nothing. */
  TracedRequest NONE = new TracedRequest() {
    @Override
    public ObjectNode params(ObjectNode original) {
      return original;
    }

    @Override
    public Map<String, String> headers(Map<String, String> original) {
      return original;
    }

    @Override
    public void sent(long id) {}

    @Override
    public <T extends JsonNode> CompletableFuture<T> around(CompletableFuture<T> call, Supplier<String> breakerState) {
      return call;
    }
  };
}
