package dev.mcpgw.observability.semconv;

import io.opentelemetry.api.common.AttributeKey;

/** GenAI semantic-convention keys used on MCP spans, and the OpenInference span kind Phoenix groups by. */
public final class GenAiAttributes {

  /** The tool of {@code tools/call}. */
  public static final AttributeKey<String> GEN_AI_TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  /** The prompt of {@code prompts/get}. */
  public static final AttributeKey<String> GEN_AI_PROMPT_NAME = AttributeKey.stringKey("gen_ai.prompt.name");
  /** The operation, {@code execute_tool} for tool calls. */
  public static final AttributeKey<String> GEN_AI_OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  /** {@code execute_tool}: the value of {@code gen_ai.operation.name} on tool calls. */
  public static final String OPERATION_EXECUTE_TOOL = "execute_tool";
  /** The tool call id when the caller provides one. */
  public static final AttributeKey<String> GEN_AI_TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
  /** Opt-in: the tool call's arguments (captured payload). */
  public static final AttributeKey<String> GEN_AI_TOOL_CALL_ARGUMENTS =
      AttributeKey.stringKey("gen_ai.tool.call.arguments");
  /** Opt-in: the tool call's result (captured payload). */
  public static final AttributeKey<String> GEN_AI_TOOL_CALL_RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");
  /** Input tokens of an LLM call (sampling requests). */
  public static final AttributeKey<Long> GEN_AI_USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  /** Output tokens of an LLM call (sampling requests). */
  public static final AttributeKey<Long> GEN_AI_USAGE_OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  /** The model an LLM call asked for. */
  public static final AttributeKey<String> GEN_AI_REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");

  /** The model that answered an LLM call. */
  public static final AttributeKey<String> GEN_AI_RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  /** The most tokens an LLM call may generate. */
  public static final AttributeKey<Long> GEN_AI_REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  /** {@code gen_ai.operation.name} of a chat completion (a relayed {@code sampling/createMessage}). */
  public static final String OPERATION_CHAT = "chat";
  /** OpenInference kind of LLM calls. */
  public static final String OPENINFERENCE_KIND_LLM = "LLM";

  /** OpenInference span kind ({@code TOOL}, {@code CHAIN}, {@code LLM}, ...), used by Phoenix. */
  public static final AttributeKey<String> OPENINFERENCE_SPAN_KIND = AttributeKey.stringKey("openinference.span.kind");
  /** Opt-in: OpenInference's input of a span (captured payload), which Phoenix and Langfuse show. */
  public static final AttributeKey<String> OPENINFERENCE_INPUT_VALUE = AttributeKey.stringKey("input.value");
  /** Opt-in: OpenInference's output of a span (captured payload). */
  public static final AttributeKey<String> OPENINFERENCE_OUTPUT_VALUE = AttributeKey.stringKey("output.value");
  /** OpenInference kind of tool calls. */
  public static final String OPENINFERENCE_KIND_TOOL = "TOOL";
  /** OpenInference kind of gateway steps that chain other work. */
  public static final String OPENINFERENCE_KIND_CHAIN = "CHAIN";

  private GenAiAttributes() {}
}
