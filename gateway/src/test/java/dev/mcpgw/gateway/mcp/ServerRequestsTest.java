package dev.mcpgw.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.upstream.UpstreamException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ServerRequestsTest {
  private final List<ObjectNode> delivered = new CopyOnWriteArrayList<>();
  private final Downstream stream = new Downstream() {
    @Override
    public void send(ObjectNode notification) {
      delivered.add(notification);
    }

    @Override
    public boolean deliver(ObjectNode request) {
      delivered.add(request);
      return true;
    }
  };

  private static ObjectNode json(String s) {
    try {
      return (ObjectNode) JsonRpc.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static JsonNode rpcErrorOf(CompletableFuture<JsonNode> f) {
    try {
      f.get();
      throw new AssertionError("completed normally");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(UpstreamException.class);
      UpstreamException u = (UpstreamException) e.getCause();
      assertThat(u.kind()).isEqualTo(UpstreamException.Kind.RPC_ERROR);
      return u.rpcError();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void sendsEachRequestUnderAFreshGatewayIdAndCompletesItWithTheClientsResult() throws Exception {
    ServerRequests requests = new ServerRequests(Duration.ofSeconds(30));

    CompletableFuture<JsonNode> first = requests.send("sampling/createMessage", json("{\"maxTokens\":5}"), List.of(stream));
    CompletableFuture<JsonNode> second = requests.send("roots/list", null, List.of(stream));

    assertThat(delivered).hasSize(2);
    String id1 = delivered.get(0).get("id").asText();
    String id2 = delivered.get(1).get("id").asText();
    assertThat(id1).startsWith("mcpgw-s2c-").isNotEqualTo(id2);
    assertThat(delivered.get(0).get("method").asText()).isEqualTo("sampling/createMessage");
    assertThat(delivered.get(0).at("/params/maxTokens").asInt()).isEqualTo(5);
    assertThat(requests.size()).isEqualTo(2);

    assertThat(requests.answer(json("{\"jsonrpc\":\"2.0\",\"id\":\"" + id2 + "\",\"result\":{\"roots\":[]}}"))).isTrue();
    assertThat(second.get().has("roots")).isTrue();
    assertThat(first).isNotDone();
    assertThat(requests.size()).isEqualTo(1);
  }

  @Test
  void relaysTheClientsErrorObjectUnchanged() {
    ServerRequests requests = new ServerRequests(Duration.ofSeconds(30));
    CompletableFuture<JsonNode> answer = requests.send("elicitation/create", json("{}"), List.of(stream));
    String id = delivered.get(0).get("id").asText();

    requests.answer(json("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"error\":{\"code\":-1,\"message\":\"user said no\"}}"));

    JsonNode error = rpcErrorOf(answer);
    assertThat(error.get("code").asInt()).isEqualTo(-1);
    assertThat(error.get("message").asText()).isEqualTo("user said no");
  }

  @Test
  void answersThatMatchNothingWaitingAreIgnored() {
    ServerRequests requests = new ServerRequests(Duration.ofSeconds(30));
    CompletableFuture<JsonNode> answer = requests.send("roots/list", null, List.of(stream));
    ServerRequests otherSession = new ServerRequests(Duration.ofSeconds(30));
    String id = delivered.get(0).get("id").asText();

    // another session cannot answer it, nor can numeric or foreign ids
    assertThat(otherSession.answer(json("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{}}"))).isFalse();
    assertThat(requests.answer(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"))).isFalse();
    assertThat(requests.answer(json("{\"jsonrpc\":\"2.0\",\"id\":\"mcpgw-s2c-999\",\"result\":{}}"))).isFalse();
    assertThat(answer).isNotDone();
  }

  @Test
  void aClientThatDoesNotAnswerInTimeGetsTheRequestCancelledAndTheUpstreamAnError() {
    ServerRequests requests = new ServerRequests(Duration.ofMillis(100));

    CompletableFuture<JsonNode> answer = requests.send("sampling/createMessage", json("{}"), List.of(stream));

    await().atMost(Duration.ofSeconds(5)).until(answer::isDone);
    assertThat(rpcErrorOf(answer).get("message").asText()).contains("did not answer sampling/createMessage");
    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 2);
    assertThat(delivered.get(1).get("method").asText()).isEqualTo("notifications/cancelled");
    assertThat(delivered.get(1).at("/params/requestId").asText()).isEqualTo(delivered.get(0).get("id").asText());
    assertThat(requests.size()).isZero();
  }

  @Test
  void triesTheNextRouteWhenOneCannotCarryTheRequestOrThrows() throws Exception {
    ServerRequests requests = new ServerRequests(Duration.ofSeconds(30));
    Downstream jsonOnly = n -> {};
    Downstream broken = new Downstream() {
      @Override
      public void send(ObjectNode notification) {}

      @Override
      public boolean deliver(ObjectNode request) {
        throw new IllegalStateException("stream exploded");
      }
    };

    CompletableFuture<JsonNode> answer = requests.send("roots/list", null, List.of(jsonOnly, broken, stream));

    assertThat(delivered).hasSize(1);
    requests.answer(json("{\"jsonrpc\":\"2.0\",\"id\":\"" + delivered.get(0).get("id").asText() + "\",\"result\":{}}"));
    assertThat(answer.get().isObject()).isTrue();
  }

  @Test
  void withoutAnyRouteTheUpstreamGetsAnErrorAtOnce() {
    ServerRequests requests = new ServerRequests(Duration.ofSeconds(30));

    CompletableFuture<JsonNode> answer = requests.send("roots/list", null, List.of(Downstream.NONE));

    assertThat(rpcErrorOf(answer).get("message").asText()).contains("no open stream");
    assertThat(requests.size()).isZero();
  }

  @Test
  void closingAnswersEveryWaitingRequestAndRefusesNewOnes() {
    ServerRequests requests = new ServerRequests(Duration.ofSeconds(30));
    CompletableFuture<JsonNode> waiting = requests.send("roots/list", null, List.of(stream));

    requests.close("the client's session has ended");

    assertThat(rpcErrorOf(waiting).get("message").asText()).contains("session has ended");
    assertThat(rpcErrorOf(requests.send("roots/list", null, List.of(stream))).get("message").asText())
        .contains("session has ended");
    assertThat(requests.size()).isZero();
  }
}
