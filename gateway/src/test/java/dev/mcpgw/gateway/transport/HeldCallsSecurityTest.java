package dev.mcpgw.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.auth.Caller.Role;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A request held while its stateless client answers input requests belongs to that client alone, and nobody can
 * keep more of them waiting than sessions: a user of another tenant who learnt its id cannot feed it answers, and
 * one user cannot exhaust the gateway.
 */
class HeldCallsSecurityTest {
  private static final Caller ALICE = new Caller("alice", "acme", Role.USER);
  private static final JsonNode META = JsonRpc.MAPPER.createObjectNode();
  private final HeldCalls calls = new HeldCalls(McpSettings.DEFAULTS);

  @Test
  void aHeldCallIsFoundByItsOwnCallerOnly() {
    HeldCall call = calls.start(ALICE, META);
    assertThat(calls.keep(call)).isTrue();

    assertThat(calls.find(call.id, ALICE)).isSameAs(call);
    assertThat(calls.find(call.id, new Caller("alice", "evil", Role.USER))).isNull();
    assertThat(calls.find(call.id, new Caller("bob", "acme", Role.TENANT_ADMIN))).isNull();
  }

  @Test
  void oneUserKeepsAtMostAsManyCallsWaitingForInputAsSessionsAndOthersAreNotBlocked() {
    for (int i = 0; i < McpSettings.DEFAULTS.maxSessionsPerUser(); i++) {
      assertThat(calls.keep(calls.start(ALICE, META))).isTrue();
    }

    assertThat(calls.keep(calls.start(ALICE, META))).isFalse();
    assertThat(calls.keep(calls.start(new Caller("bob", "acme", Role.USER), META))).isTrue();
  }

  @Test
  void aCallThatNeverAskedForInputIsNotKept() {
    HeldCall call = calls.start(ALICE, META);

    assertThat(calls.find(call.id, ALICE)).isNull();
    assertThat(calls.size()).isZero();
  }

  @Test
  void anEndedCallCannotBeFedAnyMoreAndItsOpenQuestionsFail() {
    HeldCall call = calls.start(ALICE, META);
    calls.keep(call);
    CompletableFuture<JsonNode> asked = call.ask("elicitation/create", JsonRpc.MAPPER.createObjectNode());

    call.finish(JsonRpc.MAPPER.createObjectNode());

    assertThat(asked).isCompletedExceptionally();
    assertThat(calls.find(call.id, ALICE)).isNull();
  }
}
