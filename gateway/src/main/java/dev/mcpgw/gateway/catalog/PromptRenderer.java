package dev.mcpgw.gateway.catalog;

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
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Renders gateway-local prompt templates (Jinja syntax, as users bring them from other gateways). Parsed templates
 * are cached by their text, so a prompt is parsed once however often it is fetched.
 */
public final class PromptRenderer {
  /** Refuses every {@code include}, {@code import} and {@code from}, naming the rule (never a path it looked at). */
  static final ResourceLocator NO_INCLUDES = (name, encoding, interpreter) -> {
    throw new ResourceNotFoundException("prompt templates cannot include, import or extend other templates or files");
  };

  /** How long one rendering may take (see {@link #renderWithin}). */
  static final Duration RENDER_BUDGET = Duration.ofSeconds(5);
  /**
   * Platform threads, one per running rendering (reused): a rendering is CPU-bound and never yields, so on virtual
   * threads a few runaway ones would pin every carrier thread and starve the request threads that are to stop them,
   * and in a fixed pool they would make everyone else's renderings wait out the budget. The operating system shares
   * the CPUs fairly between them, and each ends at its budget.
   */
  private static final ExecutorService RENDERERS =
      Executors.newCachedThreadPool(Thread.ofPlatform().name("mcpgw-prompt-render-", 0).daemon(true).factory());

  /** When the rendering on this (renderer) thread must end, in {@link System#nanoTime()}; absent outside renderings. */
  private static final ThreadLocal<long[]> DEADLINE = new ThreadLocal<>();

  private final Jinjava jinjava;
  private final Duration budget;
  private final AtomicInteger running = new AtomicInteger();
  private final Cache<String, Node> parsed = Caffeine.newBuilder().maximumSize(1_000).build();
  private final RenderObserver observer;

  public PromptRenderer() {
    this(RenderObserver.NONE);
  }

  /** @param observer told about each rendering (cache hit or miss, parse time, variables, output size) */
  public PromptRenderer(RenderObserver observer) {
    this(observer, RENDER_BUDGET);
  }

  /** @param budget how long one rendering may take before it is stopped and the caller gets an error */
  PromptRenderer(RenderObserver observer, Duration budget) {
    this.budget = java.util.Objects.requireNonNull(budget, "budget");
    this.observer = java.util.Objects.requireNonNull(observer, "observer");
    // templates come from admins, but rendering must stay cheap and bounded whatever they contain
    this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withMaxRenderDepth(10).withMaxOutputSize(1_000_000)
        .withNodePreProcessor((node, interpreter) -> checkBudget()).build());
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
    String out = renderWithin(promptName, tree, bindings);
    observe(compileNanos[0], bindings.size(), out.length());
    return out;
  }

  /**
   * Renders on a thread of its own, at most {@link #RENDER_BUDGET}: a template is a program its admin wrote (three
   * nested {@code range(1000)} loops are a billion iterations), run on every {@code prompts/get} of its tenant's
   * users, so without a budget one tenant's prompt could hold the gateway's CPUs for everyone. Past the budget the
   * thread is interrupted, which Jinjava checks before every node it renders.
   */
  private String renderWithin(String promptName, Node tree, Map<String, Object> bindings) {
    long deadline = System.nanoTime() + budget.toNanos();
    Future<String> rendering = RENDERERS.submit(() -> {
      running.incrementAndGet();
      DEADLINE.set(new long[] {deadline});
      JinjavaInterpreter interpreter = jinjava.newInterpreter();
      interpreter.getContext().putAll(bindings);
      JinjavaInterpreter.pushCurrent(interpreter);
      try {
        String out;
        try {
          out = interpreter.render(tree);
        } catch (InterpretException | OverBudget e) {
          // thrown by tags (include, import, ...) or by the budget (Jinjava wraps it), not collected as errors
          throw new IllegalArgumentException(System.nanoTime() - deadline > 0 ? overBudget(promptName)
              : "cannot render prompt '" + promptName + "': " + e.getMessage(), e);
        }
        String error = firstFatal(interpreter.getErrors());
        if (error != null) {
          throw new IllegalArgumentException(System.nanoTime() - deadline > 0 ? overBudget(promptName)
              : "cannot render prompt '" + promptName + "': " + error);
        }
        return out;
      } finally {
        DEADLINE.remove();
        JinjavaInterpreter.popCurrent();
        running.decrementAndGet();
      }
    });
    try {
      return rendering.get(budget.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      rendering.cancel(true);
      throw new IllegalArgumentException(overBudget(promptName));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IllegalArgumentException bad) {
        throw bad;
      }
      throw new IllegalArgumentException("cannot render prompt '" + promptName + "': "
          + (e.getCause() instanceof InterpretException ie ? ie.getMessage() : "the template failed"), e.getCause());
    } catch (InterruptedException e) {
      rendering.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("cannot render prompt '" + promptName + "': interrupted");
    }
  }

  private String overBudget(String promptName) {
    return "cannot render prompt '" + promptName + "': rendering takes longer than " + budget.toMillis()
        + " ms (loops too large?)";
  }

  /** Before every node Jinjava renders: ends a rendering that is past its deadline or whose caller gave up. */
  private static void checkBudget() {
    long[] deadline = DEADLINE.get();
    if (deadline != null && (System.nanoTime() - deadline[0] > 0 || Thread.currentThread().isInterrupted())) {
      throw new OverBudget();
    }
  }

  /** Unwinds a rendering past its budget; Jinjava records its own exceptions as template errors and goes on. */
  private static final class OverBudget extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OverBudget() {
      super("over budget", null, false, false);
    }
  }

  /** How many renderings run right now (0 when idle: an over-budget one was stopped, not left running). */
  int running() {
    return running.get();
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
