package dev.mcpgw.gateway.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.tree.Node;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders gateway-local prompt templates (Jinja syntax, as users bring them from other gateways). Parsed templates
 * are cached by their text, so a prompt is parsed once however often it is fetched.
 */
public final class PromptRenderer {
  /** Refuses every {@code include}, {@code import} and {@code from}, naming the rule (never a path it looked at). */
  static final ResourceLocator NO_INCLUDES = (name, encoding, interpreter) -> {
    throw new ResourceNotFoundException("prompt templates cannot include, import or extend other templates or files");
  };

  private final Jinjava jinjava;
  private final Cache<String, Node> parsed = Caffeine.newBuilder().maximumSize(1_000).build();
  private final RenderObserver observer;

  public PromptRenderer() {
    this(RenderObserver.NONE);
  }

  /** @param observer told about each rendering (cache hit or miss, parse time, variables, output size) */
  public PromptRenderer(RenderObserver observer) {
    this.observer = java.util.Objects.requireNonNull(observer, "observer");
    // templates come from admins, but rendering must stay cheap and bounded whatever they contain
    this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withMaxRenderDepth(10).withMaxOutputSize(1_000_000).build());
    // Jinjava's default locator reads any class-path resource for include/import/from: a tenant admin's template would
    // read the gateway's own files. A prompt is one self-contained template.
    this.jinjava.setResourceLocator(NO_INCLUDES);
  }

  /**
   * Checks that {@code template} parses.
   *
   * @return the first syntax error's message, or {@code null} when the template is valid
   */
  public String syntaxError(String template) {
    JinjavaInterpreter interpreter = jinjava.newInterpreter();
    JinjavaInterpreter.pushCurrent(interpreter);
    try {
      interpreter.parse(template);
      return firstFatal(interpreter.getErrors());
    } finally {
      JinjavaInterpreter.popCurrent();
    }
  }

  /**
   * Renders {@code template} with the prompt's arguments after checking the declared ones.
   *
   * @param declared the prompt's {@code arguments} array ({@code name}, {@code required}), may be {@code null}
   * @throws IllegalArgumentException naming the argument when a required one is missing, or when rendering fails
   */
  public String render(String promptName, String template, JsonNode declared, ObjectNode arguments) {
    Map<String, Object> bindings = new HashMap<>();
    if (arguments != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = arguments.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        bindings.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
      }
    }
    if (declared != null && declared.isArray()) {
      for (JsonNode arg : declared) {
        String name = arg.path("name").asText();
        if (arg.path("required").asBoolean(false) && !bindings.containsKey(name)) {
          throw new IllegalArgumentException("missing required argument '" + name + "' of prompt '" + promptName + "'");
        }
      }
    }
    long[] compileNanos = {0};
    Node tree = parsed.get(template, t -> {
      long start = System.nanoTime();
      JinjavaInterpreter parser = jinjava.newInterpreter();
      JinjavaInterpreter.pushCurrent(parser);
      try {
        return parser.parse(t);
      } finally {
        JinjavaInterpreter.popCurrent();
        compileNanos[0] = Math.max(1, System.nanoTime() - start);
      }
    });
    JinjavaInterpreter interpreter = jinjava.newInterpreter();
    interpreter.getContext().putAll(bindings);
    JinjavaInterpreter.pushCurrent(interpreter);
    try {
      String out;
      try {
        out = interpreter.render(tree);
      } catch (InterpretException e) {
        // thrown by tags (include, import, ...), not collected as errors: the admin's template is at fault
        throw new IllegalArgumentException("cannot render prompt '" + promptName + "': " + e.getMessage(), e);
      }
      String error = firstFatal(interpreter.getErrors());
      if (error != null) {
        throw new IllegalArgumentException("cannot render prompt '" + promptName + "': " + error);
      }
      observe(compileNanos[0], bindings.size(), out.length());
      return out;
    } finally {
      JinjavaInterpreter.popCurrent();
    }
  }

  private void observe(long compileNanos, int variables, int outputChars) {
    try {
      observer.rendered(compileNanos == 0, compileNanos, variables, outputChars);
    } catch (RuntimeException e) {
      // an observer is telemetry: its failure must not fail the rendering
    }
  }

  private static String firstFatal(List<TemplateError> errors) {
    for (TemplateError e : errors) {
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        return e.getMessage() + (e.getLineno() > 0 ? " (line " + e.getLineno() + ")" : "");
      }
    }
    return null;
  }
}
