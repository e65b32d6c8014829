package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.mcp.HeldInputs;
import dev.mcpgw.gateway.upstream.UpstreamException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request of a stateless client that runs at an upstream while the client is away: the upstream's
 * server-to-client requests wait here, under keys ({@code input-1}, ...), for the client's retry with
 * {@code inputResponses}; {@link #await} tells the HTTP exchange at hand what to answer (the final response, or the
 * input requests still open). Notifications of the call are dropped: a stateless client has no stream to get them.
 */
final class HeldCall implements HeldInputs {
  /** What an HTTP exchange answers for this call now. */
  record Outcome(ObjectNode response, ObjectNode inputRequests) {}

  final String id;
  final Caller caller;
  final long deadlineNanos;
  private final ObjectNode capabilities;
  private final ObjectNode clientInfo;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final List<AutoCloseable> adopted = new ArrayList<>();
  private int keys;
  private ObjectNode done;
  private boolean waiting;

  private record Pending(String method, ObjectNode params, CompletableFuture<JsonNode> answer) {}

  HeldCall(String id, Caller caller, ObjectNode meta, long deadlineNanos) {
    this.id = id;
    this.caller = caller;
    this.deadlineNanos = deadlineNanos;
    JsonNode caps = meta.path(StatelessRequests.META_CLIENT_CAPABILITIES);
    this.capabilities = caps instanceof ObjectNode o ? o.deepCopy() : JsonRpc.MAPPER.createObjectNode();
    JsonNode info = meta.path(StatelessRequests.META_PREFIX + "clientInfo");
    this.clientInfo = info instanceof ObjectNode o ? o.deepCopy() : null;
  }

  @Override
  public void send(ObjectNode notification) {
    // no stream to send it on
  }

  @Override
  public synchronized CompletableFuture<JsonNode> ask(String method, ObjectNode params) {
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    if (done != null) {
      answer.completeExceptionally(new UpstreamException(null, UpstreamException.Kind.UNAVAILABLE,
          "the request already ended"));
      return answer;
    }
    pending.put("input-" + (++keys), new Pending(method, params == null ? null : params.deepCopy(), answer));
    notifyAll();
    return answer;
  }

  @Override
  public ObjectNode clientCapabilities() {
    return capabilities;
  }

  @Override
  public ObjectNode clientInfo() {
    return clientInfo;
  }

  @Override
  public synchronized void adopt(AutoCloseable upstreamSession) {
    if (done != null) {
      closeQuietly(upstreamSession);
    } else {
      adopted.add(upstreamSession);
    }
  }

  /** The call ended with {@code response}: its own upstream sessions close, open input requests fail. */
  synchronized void finish(ObjectNode response) {
    done = response;
    adopted.forEach(HeldCall::closeQuietly);
    adopted.clear();
    pending.values().forEach(p -> p.answer.completeExceptionally(new UpstreamException(null,
        UpstreamException.Kind.UNAVAILABLE, "the request ended")));
    pending.clear();
    notifyAll();
  }

  synchronized boolean finished() {
    return done != null;
  }

  /**
   * Answers the open input requests named in {@code responses}; other names are ignored.
   *
   * @return why {@code responses} is not usable, or {@code null}
   */
  synchronized String answer(JsonNode responses) {
    if (responses == null || !responses.isObject()) {
      return "inputResponses must be an object";
    }
    for (Map.Entry<String, Pending> e : List.copyOf(pending.entrySet())) {
      JsonNode answer = responses.get(e.getKey());
      if (answer != null && !answer.isObject()) {
        return "inputResponses." + e.getKey() + " must be an object";
      }
    }
    for (Map.Entry<String, Pending> e : List.copyOf(pending.entrySet())) {
      JsonNode answer = responses.get(e.getKey());
      if (answer != null) {
        pending.remove(e.getKey());
        e.getValue().answer.complete(answer);
      }
    }
    return null;
  }

  /**
   * Waits until the call ended, or asks the client something, or {@code deadlineNanos}; one exchange at a time.
   *
   * @return the final response, or the open input requests; {@code null} when another exchange already waits
   */
  Outcome await() throws InterruptedException {
    synchronized (this) {
      if (waiting) {
        return null;
      }
      waiting = true;
      try {
        while (done == null && pending.isEmpty()) {
          long left = deadlineNanos - System.nanoTime();
          if (left <= 0) {
            return new Outcome(JsonRpc.error(null, RpcException.INTERNAL_ERROR,
                "the request did not end within the request timeout", null), null);
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (done != null) {
          return new Outcome(done, null);
        }
        ObjectNode requests = JsonRpc.MAPPER.createObjectNode();
        pending.forEach((key, p) -> {
          ObjectNode r = requests.putObject(key).put("method", p.method());
          if (p.params() != null) {
            r.set("params", p.params());
          }
        });
        return new Outcome(null, requests);
      } finally {
        waiting = false;
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing a session that is already gone
    }
  }
}
