package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.usage.TokenCounter;

/**
 * The estimated tokens of a relayed {@code sampling/createMessage}, for its chat span and its GenAI metrics alike:
 * input is the system prompt and the text of every message, output the text of the answer's content. MCP sampling
 * results report no usage of their own, so both are counted with the gateway's tokenizer.
 */
final class SamplingTokens {
  private SamplingTokens() {}

  /** The tokens of the request's system prompt and messages. */
  static long input(TokenCounter tokens, JsonNode params) {
    if (params == null) {
      return 0;
    }
    long n = tokens.count(params.path("systemPrompt").asText(null));
    JsonNode messages = params.get("messages");
    if (messages != null) {
      for (JsonNode message : messages) {
        n += text(tokens, message.get("content"));
      }
    }
    return n;
  }

  /** The tokens of the answer's content. */
  static long output(TokenCounter tokens, JsonNode result) {
    return result == null ? 0 : text(tokens, result.get("content"));
  }

  /** The tokens of the text in one content block or an array of them. */
  private static long text(TokenCounter tokens, JsonNode content) {
    if (content == null) {
      return 0;
    }
    if (content.isArray()) {
      long n = 0;
      for (JsonNode c : content) {
        n += text(tokens, c);
      }
      return n;
    }
    JsonNode text = content.get("text");
    return text != null && text.isTextual() ? tokens.count(text.textValue()) : 0;
  }
}
