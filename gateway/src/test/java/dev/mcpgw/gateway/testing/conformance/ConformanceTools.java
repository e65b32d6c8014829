package dev.mcpgw.gateway.testing.conformance;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;

/**
 * The tools the conformance scenarios call, each answering as the scenario's description asks. The reactive API is
 * used so that the spacing the progress and logging scenarios ask for (about 50 ms between notifications) is a
 * scheduled delay, not a blocked thread.
 */
final class ConformanceTools {
  private static final String LOGGER = "conformance-upstream";
  private static final Duration STEP = Duration.ofMillis(50);
  private static final String NO_ARGUMENTS = "{\"type\":\"object\",\"properties\":{}}";

  private final McpJsonMapper json;

  ConformanceTools(McpJsonMapper json) {
    this.json = json;
  }

  List<AsyncToolSpecification> all() {
    return List.of(
        tool("test_simple_text", "Tests simple text content response", NO_ARGUMENTS,
            (ex, req) -> Mono.just(text("This is a simple text response for testing."))),
        tool("test_image_content", "Tests image content response", NO_ARGUMENTS,
            (ex, req) -> Mono.just(result(new McpSchema.ImageContent(null, Samples.PNG, "image/png")))),
        tool("test_audio_content", "Tests audio content response", NO_ARGUMENTS,
            (ex, req) -> Mono.just(result(new McpSchema.AudioContent(null, Samples.WAV, "audio/wav")))),
        tool("test_embedded_resource", "Tests embedded resource content response", NO_ARGUMENTS,
            (ex, req) -> Mono.just(result(embedded("test://embedded-resource", "text/plain",
                "This is an embedded resource content.")))),
        tool("test_multiple_content_types", "Tests response with multiple content types (text, image, resource)",
            NO_ARGUMENTS, (ex, req) -> Mono.just(CallToolResult.builder()
                .addTextContent("Multiple content types test:")
                .addContent(new McpSchema.ImageContent(null, Samples.PNG, "image/png"))
                .addContent(embedded("test://mixed-content-resource", "application/json",
                    "{\"test\":\"data\",\"value\":123}"))
                .isError(false).build())),
        tool("test_tool_with_logging", "Tests tool that emits log messages during execution", NO_ARGUMENTS,
            ConformanceTools::withLogging),
        tool("test_tool_with_progress", "Tests tool that reports progress notifications", NO_ARGUMENTS,
            ConformanceTools::withProgress),
        tool("test_error_handling", "Tests error response handling", NO_ARGUMENTS,
            (ex, req) -> Mono.just(CallToolResult.builder()
                .addTextContent("This tool intentionally returns an error for testing").isError(true).build())),
        tool("test_sampling", "Tests server-initiated sampling (LLM completion request)", """
            {"type":"object","properties":{"prompt":{"type":"string","description":"The prompt to send to the LLM"}},
             "required":["prompt"]}""", ConformanceTools::sampling),
        tool("test_elicitation", "Tests server-initiated elicitation (user input request)", """
            {"type":"object","properties":{"message":{"type":"string","description":"The message to show the user"}},
             "required":["message"]}""",
            (ex, req) -> elicit(ex, String.valueOf(req.arguments().getOrDefault("message", "")), Map.of(
                "type", "object",
                "properties", Map.of("response", Map.of("type", "string", "description", "User's response")),
                "required", List.of("response")), "User response")),
        tool("test_elicitation_sep1034_defaults", "Tests elicitation with default values per SEP-1034", NO_ARGUMENTS,
            (ex, req) -> elicit(ex, "Please review and update the form fields with defaults",
                ElicitationSchemas.withDefaults(), "Elicitation completed")),
        tool("test_elicitation_sep1330_enums", "Tests elicitation with enum schema improvements per SEP-1330",
            NO_ARGUMENTS, (ex, req) -> elicit(ex, "Please select options from the enum fields",
                ElicitationSchemas.enums(), "Elicitation completed")));
  }

  private AsyncToolSpecification tool(String name, String description, String inputSchema,
      BiFunction<McpAsyncServerExchange, CallToolRequest, Mono<CallToolResult>> handler) {
    McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(description)
        .inputSchema(json, inputSchema).build();
    return AsyncToolSpecification.builder().tool(tool).callHandler(handler).build();
  }

  private static Mono<CallToolResult> withLogging(McpAsyncServerExchange exchange, CallToolRequest request) {
    return log(exchange, "Tool execution started")
        .then(Mono.delay(STEP)).then(log(exchange, "Tool processing data"))
        .then(Mono.delay(STEP)).then(log(exchange, "Tool execution completed"))
        .thenReturn(text("Tool with logging executed successfully"));
  }

  private static Mono<Void> log(McpAsyncServerExchange exchange, String message) {
    return exchange.loggingNotification(new LoggingMessageNotification(LoggingLevel.INFO, LOGGER, message));
  }

  private static Mono<CallToolResult> withProgress(McpAsyncServerExchange exchange, CallToolRequest request) {
    Object token = request.meta() == null ? null : request.meta().get("progressToken");
    return progress(exchange, token, 0)
        .then(Mono.delay(STEP)).then(progress(exchange, token, 50))
        .then(Mono.delay(STEP)).then(progress(exchange, token, 100))
        // The TypeScript SDK client (1.32) runs notification handlers a microtask later but settles a response at
        // once, dropping the progress handler: a last progress event read in the same chunk as the result is lost.
        // Spacing the result like the steps keeps the scenario about the server, not about that race.
        .then(Mono.delay(STEP))
        .thenReturn(text(String.valueOf(token)));
  }

  /** Without a progress token the spec forbids progress notifications: the delays still happen. */
  private static Mono<Void> progress(McpAsyncServerExchange exchange, Object token, int step) {
    if (token == null) {
      return Mono.empty();
    }
    return exchange.progressNotification(
        new ProgressNotification(token, step, 100.0, "Completed step " + step + " of 100"));
  }

  private static Mono<CallToolResult> sampling(McpAsyncServerExchange exchange, CallToolRequest request) {
    String prompt = String.valueOf(request.arguments().getOrDefault("prompt", ""));
    McpSchema.CreateMessageRequest ask = McpSchema.CreateMessageRequest.builder()
        .messages(List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER, new McpSchema.TextContent(prompt))))
        .maxTokens(100)
        .build();
    return exchange.createMessage(ask)
        .map(answer -> text("LLM response: "
            + (answer.content() instanceof McpSchema.TextContent t ? t.text() : "No response")))
        .onErrorResume(e -> Mono.just(error("Sampling not supported or error: " + e.getMessage())));
  }

  private static Mono<CallToolResult> elicit(McpAsyncServerExchange exchange, String message,
      Map<String, Object> schema, String prefix) {
    return exchange.createElicitation(McpSchema.ElicitRequest.builder(message, schema).build())
        .map(answer -> text(prefix + ": action=" + answer.action().name().toLowerCase(Locale.ROOT)
            + ", content=" + (answer.content() == null ? Map.of() : new LinkedHashMap<>(answer.content()))))
        .onErrorResume(e -> Mono.just(error("Elicitation not supported or error: " + e.getMessage())));
  }

  private static McpSchema.EmbeddedResource embedded(String uri, String mimeType, String text) {
    return new McpSchema.EmbeddedResource(null, new McpSchema.TextResourceContents(uri, mimeType, text));
  }

  private static CallToolResult text(String text) {
    return CallToolResult.builder().addTextContent(text).isError(false).build();
  }

  private static CallToolResult error(String text) {
    return CallToolResult.builder().addTextContent(text).isError(true).build();
  }

  private static CallToolResult result(McpSchema.Content content) {
    return CallToolResult.builder().addContent(content).isError(false).build();
  }
}
