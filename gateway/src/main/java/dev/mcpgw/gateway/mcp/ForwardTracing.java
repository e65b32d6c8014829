package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Wraps the forwarding of one call to the upstream that owns it (federation forwarding): the {@code gateway.forward}
 * span between the MCP SERVER span and the upstream client's CLIENT span. Chosen once, when the dispatcher is built;
 * the spans are made in {@code trace} ({@code GatewayTelemetry#forwarding}).
 */
public interface ForwardTracing {

  /**
   * Runs {@code forward} (which returns the upstream's result or throws an {@link RpcException}) inside the span.
   *
   * @param upstream the registered name of the upstream (a peer gateway's name when it is one)
   */
  <T> T around(String upstream, String method, Supplier<T> forward);

  /**
   * Wraps a server-to-client request an upstream sent and the gateway relays to its client ({@code
   * sampling/createMessage}, {@code elicitation/create}, {@code roots/list}): {@code send} delivers it and returns the
   * client's answer. By default it is sent as it is.
   */
  default CompletableFuture<JsonNode> serverRequest(String method, ObjectNode params,
      Supplier<CompletableFuture<JsonNode>> send) {
    return send.get();
  }

  /**
   * Captures what is current now (inside {@link #around}: the forwarding span) for the server-to-client requests the
   * upstream sends during this call, which arrive later on the upstream client's own thread: run through the returned
   * function, their {@link #serverRequest} spans join the call's trace instead of starting one of their own. By
   * default the work runs as it is.
   */
  default Function<Supplier<CompletableFuture<JsonNode>>, CompletableFuture<JsonNode>> relayedFromHere() {
    return Supplier::get;
  }

  /** Runs the forwarding as it is. */
  ForwardTracing NONE = new ForwardTracing() {
    @Override
    public <T> T around(String upstream, String method, Supplier<T> forward) {
      return forward.get();
    }
  };
}
