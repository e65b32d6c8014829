package dev.mcpgw.gateway.testing.conformance;

import io.modelcontextprotocol.server.McpServerFeatures.AsyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncPromptSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.Role;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/** The prompts of the conformance scenarios, and completion of the arguments of {@code test_prompt_with_arguments}. */
final class ConformancePrompts {
  private static final String WITH_ARGUMENTS = "test_prompt_with_arguments";
  /** What {@code completion/complete} offers for {@code arg1} and {@code arg2}, filtered by the typed prefix. */
  private static final List<String> SUGGESTIONS = List.of("test", "testValue1", "testValue2", "paris", "park");

  private ConformancePrompts() {}

  static List<AsyncPromptSpecification> prompts() {
    return List.of(
        prompt("test_simple_prompt", "Simple Test Prompt", "A simple prompt without arguments", List.of(),
            args -> List.of(user(new McpSchema.TextContent("This is a simple prompt for testing.")))),
        prompt(WITH_ARGUMENTS, "Prompt With Arguments", "A prompt with required arguments",
            List.of(new PromptArgument("arg1", "First test argument", true),
                new PromptArgument("arg2", "Second test argument", true)),
            args -> List.of(user(new McpSchema.TextContent(
                "Prompt with arguments: arg1='" + args.get("arg1") + "', arg2='" + args.get("arg2") + "'")))),
        prompt("test_prompt_with_embedded_resource", "Prompt With Embedded Resource",
            "A prompt that includes an embedded resource",
            List.of(new PromptArgument("resourceUri", "URI of the resource to embed", true)),
            args -> List.of(
                user(new McpSchema.EmbeddedResource(null, new McpSchema.TextResourceContents(
                    String.valueOf(args.get("resourceUri")), "text/plain", "Embedded resource content for testing."))),
                user(new McpSchema.TextContent("Please process the embedded resource above.")))),
        prompt("test_prompt_with_image", "Prompt With Image", "A prompt that includes image content", List.of(),
            args -> List.of(user(new McpSchema.ImageContent(null, Samples.PNG, "image/png")),
                user(new McpSchema.TextContent("Please analyze the image above.")))));
  }

  static List<AsyncCompletionSpecification> completions() {
    return List.of(new AsyncCompletionSpecification(new McpSchema.PromptReference(WITH_ARGUMENTS), (ex, req) -> {
      String typed = req.argument() == null || req.argument().value() == null ? "" : req.argument().value();
      List<String> values = SUGGESTIONS.stream().filter(s -> s.startsWith(typed)).toList();
      return Mono.just(new McpSchema.CompleteResult(
          new McpSchema.CompleteResult.CompleteCompletion(values, values.size(), false)));
    }));
  }

  private interface Messages {
    List<PromptMessage> of(Map<String, Object> arguments);
  }

  private static AsyncPromptSpecification prompt(String name, String title, String description,
      List<PromptArgument> arguments, Messages messages) {
    McpSchema.Prompt prompt = new McpSchema.Prompt(name, title, description, arguments);
    return new AsyncPromptSpecification(prompt, (ex, req) -> Mono.just(new GetPromptResult(description,
        messages.of(req.arguments() == null ? Map.of() : req.arguments()))));
  }

  private static PromptMessage user(McpSchema.Content content) {
    return new PromptMessage(Role.USER, content);
  }
}
