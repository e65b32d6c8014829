package dev.mcpgw.gateway.testing.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code subscriptions/listen} of the 2026-07-28 side: each stream is acknowledged first, with the notification types
 * the upstream agreed to (of those asked for, the list changes of tools and prompts), then carries those notifications
 * only, each tagged with the subscription's id. A stream ends when its client goes away, or after a minute.
 */
final class DraftSubscriptions {
  static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
  private static final List<String> HONOURED = List.of("toolsListChanged", "promptsListChanged");
  private static final long MAX_MILLIS = 60_000;

  private final ObjectMapper json;
  private final Set<Listener> listeners = new CopyOnWriteArraySet<>();

  DraftSubscriptions(ObjectMapper json) {
    this.json = json;
  }

  /** Serves one listen stream on this thread until it ends. */
  void listen(JsonNode params, HttpServletResponse res) throws IOException {
    ObjectNode agreed = json.createObjectNode();
    JsonNode asked = params.path("notifications");
    for (String type : HONOURED) {
      if (asked.path(type).asBoolean(false)) {
        agreed.put(type, true);
      }
    }
    Listener listener = new Listener("sub-" + UUID.randomUUID(), agreed, new LinkedBlockingQueue<>());
    res.setStatus(200);
    res.setContentType("text/event-stream");
    res.setCharacterEncoding("UTF-8");
    res.setHeader("Cache-Control", "no-cache");
    ObjectNode ack = notification("notifications/subscriptions/acknowledged", listener.id);
    ((ObjectNode) ack.get("params")).set("notifications", agreed);
    listeners.add(listener);
    try {
      write(res, ack);
      long end = System.currentTimeMillis() + MAX_MILLIS;
      while (System.currentTimeMillis() < end) {
        ObjectNode next = listener.queue.poll(500, TimeUnit.MILLISECONDS);
        if (next == null) {
          res.getOutputStream().write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
          res.flushBuffer();
        } else {
          write(res, next);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException gone) {
      // the client closed the stream
    } finally {
      listeners.remove(listener);
    }
  }

  /** Tells every stream that asked for {@code type} (such as {@code toolsListChanged}) with {@code method}. */
  void changed(String type, String method) {
    for (Listener l : listeners) {
      if (l.agreed.path(type).asBoolean(false)) {
        l.queue.add(notification(method, l.id));
      }
    }
  }

  private ObjectNode notification(String method, String subscriptionId) {
    ObjectNode n = json.createObjectNode().put("jsonrpc", "2.0").put("method", method);
    n.putObject("params").putObject("_meta").put(SUBSCRIPTION_ID, subscriptionId);
    return n;
  }

  private void write(HttpServletResponse res, ObjectNode message) throws IOException {
    res.getOutputStream().write(("event: message\ndata: " + json.writeValueAsString(message) + "\n\n")
        .getBytes(StandardCharsets.UTF_8));
    res.flushBuffer();
  }

  private record Listener(String id, ObjectNode agreed, BlockingQueue<ObjectNode> queue) {}
}
