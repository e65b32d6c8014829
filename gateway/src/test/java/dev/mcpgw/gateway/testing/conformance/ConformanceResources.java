package dev.mcpgw.gateway.testing.conformance;

import io.modelcontextprotocol.server.McpServerFeatures.AsyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * The resources the conformance scenarios read and subscribe to: {@code test://static-text},
 * {@code test://static-binary}, {@code test://watched-resource} and the template {@code test://template/{id}/data}.
 * Subscriptions themselves are kept by the SDK, which the server's {@code subscribe} capability switches on.
 */
final class ConformanceResources {
  private static final String WATCHED = "test://watched-resource";
  private static final Pattern TEMPLATE = Pattern.compile("test://template/([^/]+)/data");

  private ConformanceResources() {}

  static List<AsyncResourceSpecification> resources() {
    return List.of(
        text("test://static-text", "static-text", "Static Text Resource", "A static text resource for testing",
            "This is the content of the static text resource."),
        new AsyncResourceSpecification(resource("test://static-binary", "static-binary", "Static Binary Resource",
            "A static binary resource (image) for testing", "image/png"),
            (ex, req) -> Mono.just(new ReadResourceResult(List.of(
                new McpSchema.BlobResourceContents("test://static-binary", "image/png", Samples.PNG))))),
        text(WATCHED, "watched-resource", "Watched Resource", "A resource clients subscribe to for updates",
            "Watched resource content"));
  }

  static List<AsyncResourceTemplateSpecification> templates() {
    McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder()
        .uriTemplate("test://template/{id}/data").name("template").title("Resource Template")
        .description("A resource template with parameter substitution").mimeType("application/json").build();
    return List.of(new AsyncResourceTemplateSpecification(template, (ex, req) -> {
      Matcher m = TEMPLATE.matcher(req.uri());
      if (!m.matches()) {
        return Mono.error(new IllegalArgumentException("uri does not match test://template/{id}/data"));
      }
      String id = m.group(1);
      String body = "{\"id\":\"" + id + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id + "\"}";
      return Mono.just(new ReadResourceResult(List.of(
          new McpSchema.TextResourceContents(req.uri(), "application/json", body))));
    }));
  }

  private static AsyncResourceSpecification text(String uri, String name, String title, String description,
      String content) {
    return new AsyncResourceSpecification(resource(uri, name, title, description, "text/plain"),
        (ex, req) -> Mono.just(new ReadResourceResult(List.of(
            new McpSchema.TextResourceContents(uri, "text/plain", content)))));
  }

  private static McpSchema.Resource resource(String uri, String name, String title, String description,
      String mimeType) {
    return McpSchema.Resource.builder().uri(uri).name(name).title(title).description(description)
        .mimeType(mimeType).build();
  }
}
