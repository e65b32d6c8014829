package dev.mcpgw.observability.semconv;

import io.opentelemetry.api.common.AttributeKey;

/** The gateway's own attribute keys and INTERNAL span names (docs/trace-shape.md). */
public final class GatewayAttributes {

  public static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("tool.name");
  public static final AttributeKey<String> TOOL_ID = AttributeKey.stringKey("tool.id");
  public static final AttributeKey<Long> TOOL_ARGUMENTS_COUNT = AttributeKey.longKey("tool.arguments.count");
  public static final AttributeKey<String> USER_ID = AttributeKey.stringKey("user.id");
  public static final AttributeKey<String> TENANT_ID = AttributeKey.stringKey("tenant.id");
  public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("request.id");
  public static final AttributeKey<String> GATEWAY_ID = AttributeKey.stringKey("gateway.id");
  public static final AttributeKey<String> GATEWAY_NAME = AttributeKey.stringKey("gateway.name");
  public static final AttributeKey<String> SERVER_ID = AttributeKey.stringKey("server.id");
  public static final AttributeKey<String> PLUGIN_NAME = AttributeKey.stringKey("plugin.name");
  public static final AttributeKey<String> PLUGIN_HOOK = AttributeKey.stringKey("plugin.hook");
  public static final AttributeKey<Long> PLUGIN_PRIORITY = AttributeKey.longKey("plugin.priority");
  /** {@code enforce} or {@code permissive}. */
  public static final AttributeKey<String> PLUGIN_MODE = AttributeKey.stringKey("plugin.mode");
  /** {@code proceeded}, {@code blocked}, {@code would_block} or {@code failed}. */
  public static final AttributeKey<String> PLUGIN_OUTCOME = AttributeKey.stringKey("plugin.outcome");
  /** Whether the plugin rewrote the payload. */
  public static final AttributeKey<Boolean> PLUGIN_MODIFIED = AttributeKey.booleanKey("plugin.modified");
  /** Why a plugin blocked a request (the reason its client was told). */
  public static final AttributeKey<String> PLUGIN_REASON = AttributeKey.stringKey("plugin.reason");
  public static final AttributeKey<String> PROMPT_NAME = AttributeKey.stringKey("prompt.name");
  public static final AttributeKey<String> RESOURCE_URI = AttributeKey.stringKey("resource.uri");
  public static final AttributeKey<String> PROMPT_ID = AttributeKey.stringKey("prompt.id");
  /** Whether the parsed template of a local prompt came from the cache. */
  public static final AttributeKey<Boolean> PROMPT_TEMPLATE_CACHE_HIT = AttributeKey.booleanKey("prompt.template.cache_hit");
  /** How long parsing the template took, on a cache miss, in nanoseconds. */
  public static final AttributeKey<Long> PROMPT_TEMPLATE_COMPILE_NANOS =
      AttributeKey.longKey("prompt.template.compile_nanos");
  /** How many arguments were substituted into the template. */
  public static final AttributeKey<Long> PROMPT_VARIABLES_COUNT = AttributeKey.longKey("prompt.variables.count");
  /** How many messages the rendered prompt has. */
  public static final AttributeKey<Long> PROMPT_MESSAGES_COUNT = AttributeKey.longKey("prompt.messages.count");
  /** The total length (characters) of the rendered messages' text. */
  public static final AttributeKey<Long> PROMPT_MESSAGES_CHARS = AttributeKey.longKey("prompt.messages.chars");
  /** The MIME type of a read resource's (first) content. */
  public static final AttributeKey<String> RESOURCE_MIME_TYPE = AttributeKey.stringKey("resource.mime_type");
  /** The size of a read resource: characters of text plus decoded bytes of blobs. */
  public static final AttributeKey<Long> RESOURCE_SIZE = AttributeKey.longKey("resource.size");
  /** How many contents a resource read returned. */
  public static final AttributeKey<Long> RESOURCE_CONTENTS_COUNT = AttributeKey.longKey("resource.contents.count");
  /** Tokens of a tool call's arguments, counted by the gateway's tokenizer (an estimate). */
  public static final AttributeKey<Long> TOOL_ARGUMENTS_TOKENS = AttributeKey.longKey("mcpgw.tool.arguments.tokens");
  /** Tokens of a tool call's result, counted by the gateway's tokenizer (an estimate). */
  public static final AttributeKey<Long> TOOL_RESULT_TOKENS = AttributeKey.longKey("mcpgw.tool.result.tokens");
  /** The tokenizer encoding the token counts were estimated with ({@code o200k_base}). */
  public static final AttributeKey<String> TOOL_TOKENS_ENCODING = AttributeKey.stringKey("mcpgw.tool.tokens.encoding");
  /** {@code true} when the span's {@code gen_ai.usage.*} token counts were estimated by the gateway's tokenizer. */
  public static final AttributeKey<Boolean> USAGE_ESTIMATED = AttributeKey.booleanKey("mcpgw.usage.estimated");
  /** Opt-in payloads (see {@code PayloadCapture}). */
  public static final AttributeKey<String> PROMPT_ARGUMENTS = AttributeKey.stringKey("prompt.arguments");
  public static final AttributeKey<String> PROMPT_MESSAGES = AttributeKey.stringKey("prompt.messages");
  public static final AttributeKey<String> RESOURCE_CONTENTS = AttributeKey.stringKey("resource.contents");

  public static final String SPAN_TOOL_INVOKE = "tool.invoke";
  public static final String SPAN_TOOL_LOOKUP = "tool.lookup";
  public static final String SPAN_PROMPT_RENDER = "prompt.render";
  public static final String SPAN_RESOURCE_READ = "resource.read";
  public static final String SPAN_GATEWAY_FORWARD = "gateway.forward";
  /** Event when a tool was found and its call validated. */
  public static final String EVENT_TOOL_VALIDATION_COMPLETED = "tool.validation.completed";
  /** Event on a miss of the prompt template cache: the template was parsed. */
  public static final String EVENT_PROMPT_TEMPLATE_COMPILED = "prompt.template.compiled";

  /** Prefix of plugin hook spans: {@code plugin.<hook>}. */
  public static final String SPAN_PLUGIN_PREFIX = "plugin.";

  private GatewayAttributes() {}
}
