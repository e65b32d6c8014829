package dev.mcpgw.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mcpgw.gateway.config.InvalidSettingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The pricing table ({@code MCPGW_PRICING_FILE}): per model the list price of a million input and of a million output
 * tokens, one currency, a default model and per-tenant default models. A tool call is priced as a turn of its calling
 * model: its arguments are tokens that model wrote (output), its result tokens land in its context (input); usage an
 * upstream reports is priced at its reported model's prices. Immutable; loaded once at start-up.
 */
public final class Pricing {
  /** The currency when the file names none. */
  public static final String DEFAULT_CURRENCY = "USD";
  /** The setting that names the file. */
  public static final String KEY = "MCPGW_PRICING_FILE";
  /** The model usage is attributed to when neither the request, the tenant nor the file names one. */
  public static final String UNKNOWN_MODEL = "unknown";
  /** No pricing file: every model unpriced, every cost 0. */
  public static final Pricing NONE = new Pricing(null, DEFAULT_CURRENCY, null, Map.of(), Map.of());

  private static final Set<String> TOP_KEYS = Set.of("currency", "default_model", "tenants", "models");
  private static final Set<String> MODEL_KEYS = Set.of("input_per_million", "output_per_million", "currency");

  /** A model's list prices per million tokens. */
  public record Price(double inputPerMillion, double outputPerMillion) {}

  private final Path file;
  private final String currency;
  private final String defaultModel;
  private final Map<String, String> tenantModels;
  private final Map<String, Price> models;

  private Pricing(Path file, String currency, String defaultModel, Map<String, String> tenantModels,
      Map<String, Price> models) {
    this.file = file;
    this.currency = currency;
    this.defaultModel = defaultModel;
    this.tenantModels = Map.copyOf(tenantModels);
    this.models = Map.copyOf(models);
  }

  /**
   * Reads {@code file}; {@link #NONE} for {@code null}.
   *
   * @throws InvalidSettingException naming the setting, the file and the key when the file cannot be read or is not a valid table
   */
  public static Pricing load(Path file) {
    if (file == null) {
      return NONE;
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidSettingException(KEY, file + " cannot be read as YAML (" + e.getClass().getSimpleName()
          + "); allowed: a pricing table as in config/pricing.example.yaml");
    }
    return parse(file, root);
  }

  static Pricing parse(Path file, JsonNode root) {
    if (root == null || !root.isObject()) {
      throw bad(file, "(top level)", "must be a mapping with 'models'");
    }
    unknownKeys(file, "", root, TOP_KEYS);
    String currency = DEFAULT_CURRENCY;
    if (root.has("currency")) {
      currency = text(file, "currency", root.get("currency"));
    }
    JsonNode modelsNode = root.get("models");
    if (modelsNode == null || !modelsNode.isObject() || modelsNode.isEmpty()) {
      throw bad(file, "models", "must map at least one model name to its prices");
    }
    Map<String, Price> models = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = modelsNode.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = "models." + e.getKey();
      JsonNode m = e.getValue();
      if (!m.isObject()) {
        throw bad(file, key, "must be a mapping with input_per_million and output_per_million");
      }
      unknownKeys(file, key + ".", m, MODEL_KEYS);
      if (m.has("currency") && !text(file, key + ".currency", m.get("currency")).equals(currency)) {
        throw bad(file, key + ".currency", "must be the table's currency '" + currency + "' (one currency per file)");
      }
      models.put(e.getKey(), new Price(price(file, key + ".input_per_million", m.get("input_per_million")),
          price(file, key + ".output_per_million", m.get("output_per_million"))));
    }
    String defaultModel = null;
    if (root.has("default_model")) {
      defaultModel = known(file, "default_model", text(file, "default_model", root.get("default_model")), models);
    }
    Map<String, String> tenants = new LinkedHashMap<>();
    JsonNode tenantsNode = root.get("tenants");
    if (tenantsNode != null && !tenantsNode.isNull()) {
      if (!tenantsNode.isObject()) {
        throw bad(file, "tenants", "must map tenant ids to {default_model: <model>}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = tenantsNode.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = "tenants." + e.getKey();
        if (!e.getValue().isObject()) {
          throw bad(file, key, "must be a mapping with default_model");
        }
        unknownKeys(file, key + ".", e.getValue(), Set.of("default_model"));
        tenants.put(e.getKey(), known(file, key + ".default_model",
            text(file, key + ".default_model", e.getValue().get("default_model")), models));
      }
    }
    return new Pricing(file, currency, defaultModel, tenants, models);
  }

  private static void unknownKeys(Path file, String prefix, JsonNode node, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw bad(file, prefix + name, "is not a known key; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private static String known(Path file, String key, String model, Map<String, Price> models) {
    if (!models.containsKey(model)) {
      throw bad(file, key, "names model '" + model + "', which is not under models");
    }
    return model;
  }

  private static String text(Path file, String key, JsonNode n) {
    if (n == null || !n.isTextual() || n.textValue().isBlank()) {
      throw bad(file, key, "must be a non-empty text");
    }
    return n.textValue().trim();
  }

  private static double price(Path file, String key, JsonNode n) {
    if (n == null || !n.isNumber() || n.doubleValue() < 0 || Double.isInfinite(n.doubleValue())) {
      throw bad(file, key, "must be a number >= 0 (the price of one million tokens)");
    }
    return n.doubleValue();
  }

  private static IllegalArgumentException bad(Path file, String key, String what) {
    return new InvalidSettingException(KEY, file + ": '" + key + "' " + what);
  }

  public String currency() {
    return currency;
  }

  /** The file it was read from, or {@code null} for {@link #NONE}. */
  public Path file() {
    return file;
  }

  /**
   * The model a call of {@code tenant} is attributed to: {@code requested} (W3C baggage {@code gen_ai.request.model})
   * when given, else the tenant's default, else the file's default, else {@link #UNKNOWN_MODEL}.
   */
  public String model(String tenant, String requested) {
    if (requested != null && !requested.isBlank()) {
      String r = requested.trim();
      return r.length() > 128 ? r.substring(0, 128) : r;
    }
    String t = tenant == null ? null : tenantModels.get(tenant);
    if (t != null) {
      return t;
    }
    return defaultModel == null ? UNKNOWN_MODEL : defaultModel;
  }

  /** Whether {@code model} has prices (else its cost is 0). */
  public boolean priced(String model) {
    return models.containsKey(model);
  }

  /** The cost of {@code inputTokens} and {@code outputTokens} of {@code model}; 0 for an unpriced model. */
  public double cost(String model, long inputTokens, long outputTokens) {
    Price p = model == null ? null : models.get(model);
    if (p == null) {
      return 0;
    }
    return (inputTokens * p.inputPerMillion() + outputTokens * p.outputPerMillion()) / 1_000_000d;
  }

  /** A tool call's cost: its result is input to the calling {@code model}, its arguments the model's output. */
  public double toolCallCost(String model, long argumentsTokens, long resultTokens) {
    return cost(model, resultTokens, argumentsTokens);
  }

  @Override
  public String toString() {
    return "Pricing[" + Objects.toString(file, "none") + ", " + models.size() + " models, " + currency + "]";
  }
}
