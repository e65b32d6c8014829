package dev.mcpgw.observability.config;

import static dev.mcpgw.observability.config.ConfigValues.bool;
import static dev.mcpgw.observability.config.ConfigValues.duration;
import static dev.mcpgw.observability.config.ConfigValues.endpoint;
import static dev.mcpgw.observability.config.ConfigValues.invalid;
import static dev.mcpgw.observability.config.ConfigValues.keyValueList;
import static dev.mcpgw.observability.config.ConfigValues.list;
import static dev.mcpgw.observability.config.ConfigValues.namesFrom;
import static dev.mcpgw.observability.config.ConfigValues.number;
import static dev.mcpgw.observability.config.ConfigValues.oneOf;
import static dev.mcpgw.observability.config.ConfigValues.parseDouble;
import static dev.mcpgw.observability.config.ConfigValues.positiveInt;
import static dev.mcpgw.observability.config.ConfigValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.mcpgw.observability.config.ExporterConfig.Otlp;
import dev.mcpgw.observability.config.ExporterConfig.Type;
import dev.mcpgw.observability.config.PrivacyConfig.MaskPattern;
import dev.mcpgw.observability.config.SamplingConfig.Strategy;
import dev.mcpgw.observability.internal.export.sender.HeaderLines;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an {@link ObservabilityConfig} from environment variables and an optional {@code observability.yaml}.
 * Precedence: environment over YAML over defaults. Every value is validated here; a bad one throws
 * {@link ObservabilityConfigException} naming the key and what it accepts.
 */
public final class ObservabilityConfigLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ObservabilityConfigLoader.class);
  private static final Pattern GROUP_REF = Pattern.compile("(?<!\\\\)\\$(\\d+)");
  private static final List<String> PROPAGATORS =
      List.of("tracecontext", "baggage", "b3", "b3multi", "jaeger", "ottrace", "none");
  private static final List<String> METRIC_EXPORTERS =
      List.of("otlp", "prometheus", "console", "none");
  private static final List<String> LOG_EXPORTERS = List.of("otlp", "console", "none");
  private static final List<String> COLLECTORS = List.of("system", "http", "database");
  private static final List<String> PROTOCOLS = List.of(Otlp.GRPC, Otlp.HTTP_PROTOBUF);
  private static final List<String> COMPRESSIONS = List.of("gzip", "none");

  private final Map<String, String> env;
  private final JsonNode yaml;

  private ObservabilityConfigLoader(Map<String, String> env, JsonNode yaml) {
    this.env = env;
    this.yaml = yaml;
  }

  /**
   * Loads the configuration.
   *
   * @param env the environment (usually {@code System.getenv()})
   * @param yamlOrNull {@code config/observability.yaml} (docs/configuration.md), or null for none; a path that does not
   *     exist is an error
   */
  public static ObservabilityConfig load(Map<String, String> env, Path yamlOrNull) {
    JsonNode root = MissingNode.getInstance();
    if (yamlOrNull != null) {
      root = YamlConfigFile.read(yamlOrNull, env);
    }
    warnAboutUnknownEnv(env, yamlOrNull == null ? Set.of() : YamlConfigFile.referencedVariables(yamlOrNull));
    return new ObservabilityConfigLoader(env, root).build();
  }

  /**
   * Loads from the process environment and, when it exists, {@code yamlIfPresent} (e.g.
   * {@code config/observability.yaml}); a missing file means "no file", unlike {@link #load}.
   */
  public static ObservabilityConfig fromEnvironment(Path yamlIfPresent) {
    Path yaml = yamlIfPresent != null && Files.isRegularFile(yamlIfPresent) ? yamlIfPresent : null;
    return load(System.getenv(), yaml);
  }

  /** Every key the loader accepts: environment variable names and YAML paths (see {@code docs/configuration.md}). */
  public static Set<String> knownKeys() {
    return ConfigKeys.all();
  }

  /** The environment variables the loader reads. */
  public static List<String> knownEnvKeys() {
    return ConfigKeys.ENV;
  }

  /** The YAML paths the loader reads. */
  public static List<String> knownYamlPaths() {
    return ConfigKeys.YAML;
  }

  /** Variables the YAML file substitutes (like OTEL_API_KEY in the example) are used, so they are not reported. */
  private static void warnAboutUnknownEnv(Map<String, String> env, Set<String> usedByYaml) {
    Set<String> unknown = new TreeSet<>();
    for (String key : env.keySet()) {
      if (key.startsWith("OTEL_") && !ConfigKeys.ENV.contains(key) && !usedByYaml.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      LOG.warn("Ignoring environment variables mcpgw does not know (see docs/configuration.md; the OpenTelemetry SDK"
          + " may still read standard ones unvalidated): {}", unknown);
    }
  }

  // --------------------------------------------------------------------------------------------------- assembly

  private ObservabilityConfig build() {
    boolean sdkDisabled = bool(first("OTEL_SDK_DISABLED", null), false);
    boolean enabled = bool(first("OTEL_ENABLE_OBSERVABILITY", "enabled"), true) && !sdkDisabled;
    return new ObservabilityConfig(enabled, resource(), tracing(), metrics(), logs(), privacy(), sdkProperties());
  }

  private ResourceConfig resource() {
    Map<String, String> attributes = new LinkedHashMap<>();
    JsonNode yamlAttributes = yamlNode("resource.attributes");
    if (yamlAttributes.isObject()) {
      yamlAttributes.properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
    } else if (!yamlAttributes.isMissingNode()) {
      throw new ObservabilityConfigException("observability.resource.attributes must be a mapping of key: value");
    }
    RawValue raw = first("OTEL_RESOURCE_ATTRIBUTES", null);
    if (raw != null) {
      attributes.putAll(keyValueList(raw, false));
    }
    String serviceName = text(first("OTEL_SERVICE_NAME", "resource.service_name"),
        attributes.getOrDefault("service.name", "mcp-gateway"));
    String version = text(first("OTEL_SERVICE_VERSION", "resource.service_version"),
        attributes.getOrDefault("service.version", ""));
    String environment = text(first("OTEL_DEPLOYMENT_ENVIRONMENT", "resource.deployment_environment"),
        attributes.getOrDefault("deployment.environment.name", attributes.getOrDefault("deployment.environment", "")));
    return new ResourceConfig(serviceName, version, environment, attributes);
  }

  private TracingConfig tracing() {
    boolean enabled = bool(first(null, "tracing.enabled"), true);
    return new TracingConfig(enabled, exporter(), sampling(), propagators(), batch(), limits(), resilience());
  }

  private ExporterConfig exporter() {
    RawValue otlpEndpointRaw = first("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", null);
    boolean signalSpecific = otlpEndpointRaw != null;
    if (otlpEndpointRaw == null) {
      otlpEndpointRaw = first("OTEL_EXPORTER_OTLP_ENDPOINT", "tracing.exporter.endpoint");
    }
    RawValue typesRaw = first("OTEL_TRACES_EXPORTER", "tracing.exporter.type");
    List<Type> types;
    if (typesRaw == null) {
      types = otlpEndpointRaw == null ? List.of() : List.of(Type.OTLP);
    } else {
      types = exporterTypes(typesRaw);
    }
    boolean insecure = bool(otlp("INSECURE", "insecure"), false);
    RawValue protocolRaw = otlp("PROTOCOL", "protocol");
    String protocol = oneOf(protocolRaw, PROTOCOLS, Otlp.GRPC);
    String endpoint = otlpEndpointRaw == null ? "" : endpoint(otlpEndpointRaw, insecure);
    Otlp otlp = new Otlp(endpoint, signalSpecific, protocol, headers(), insecure,
        text(otlp("CERTIFICATE", "certificate"), ""), text(otlp("CLIENT_KEY", "client_key"), ""),
        text(otlp("CLIENT_CERTIFICATE", "client_certificate"), ""), timeout(), 
        oneOf(otlp("COMPRESSION", "compression"), COMPRESSIONS, "none"));
    if (otlp.clientKey().isEmpty() != otlp.clientCertificate().isEmpty()) {
      throw new ObservabilityConfigException("OTEL_EXPORTER_OTLP_CLIENT_KEY and OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"
          + " (tracing.exporter.client_key / client_certificate) must be set together for mutual TLS");
    }
    // The YAML 'endpoint' belongs to the exporter named in 'type'; with several, to otlp (the example has one).
    RawValue yamlEndpoint = first(null, "tracing.exporter.endpoint");
    RawValue jaegerRaw = first("OTEL_EXPORTER_JAEGER_ENDPOINT", "tracing.exporter.jaeger_endpoint");
    if (jaegerRaw == null && !types.contains(Type.OTLP)) {
      jaegerRaw = yamlEndpoint;
    }
    RawValue zipkinRaw = first("OTEL_EXPORTER_ZIPKIN_ENDPOINT", "tracing.exporter.zipkin_endpoint");
    if (zipkinRaw == null && !types.contains(Type.OTLP) && !types.contains(Type.JAEGER)) {
      zipkinRaw = yamlEndpoint;
    }
    String jaeger = jaegerRaw == null ? ExporterConfig.DEFAULT_JAEGER_ENDPOINT : endpoint(jaegerRaw, insecure);
    String zipkin = zipkinRaw == null ? ExporterConfig.DEFAULT_ZIPKIN_ENDPOINT : endpoint(zipkinRaw, insecure);
    return new ExporterConfig(types, otlp, jaeger, zipkin);
  }

  private RawValue otlp(String suffix, String yamlKey) {
    RawValue raw = first("OTEL_EXPORTER_OTLP_TRACES_" + suffix, null);
    return raw != null ? raw : first("OTEL_EXPORTER_OTLP_" + suffix, "tracing.exporter." + yamlKey);
  }

  private Duration timeout() {
    RawValue raw = first("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", null);
    if (raw == null) {
      raw = first("OTEL_EXPORTER_OTLP_TIMEOUT", "tracing.exporter.timeout");
    }
    Duration d = duration(raw, ExporterConfig.Otlp.defaults().timeout());
    if (d.isZero()) {
      throw invalid(raw, "a positive duration");
    }
    return d;
  }

  private Map<String, String> headers() {
    RawValue raw = first("OTEL_EXPORTER_OTLP_TRACES_HEADERS", null);
    if (raw == null) {
      raw = first("OTEL_EXPORTER_OTLP_HEADERS", null);
    }
    Map<String, String> headers = raw != null ? keyValueList(raw, true) : yamlHeaders();
    String setting = raw != null ? raw.key() : "observability.tracing.exporter.headers";
    headers.forEach((name, value) -> {
      String problem = HeaderLines.problem(name, value);
      if (problem != null) {
        // the value may be a credential: the message names the header only
        throw new ObservabilityConfigException(setting + ": export header '" + HeaderLines.printable(name) + "' "
            + problem);
      }
    });
    return headers;
  }

  private Map<String, String> yamlHeaders() {
    JsonNode node = yamlNode("tracing.exporter.headers");
    Map<String, String> headers = new LinkedHashMap<>();
    if (node.isObject()) {
      node.properties().forEach(e -> {
        String value = e.getValue().asText("");
        if (!value.isBlank()) {
          headers.put(e.getKey(), value);
        }
      });
    } else if (!node.isMissingNode() && !node.isNull()) {
      throw new ObservabilityConfigException("observability.tracing.exporter.headers must be a mapping name: value");
    }
    return headers;
  }

  private List<Type> exporterTypes(RawValue raw) {
    List<String> names = list(raw);
    if (names.contains("none")) {
      if (names.size() > 1) {
        throw new ObservabilityConfigException(raw.key() + ": 'none' cannot be combined with other exporters");
      }
      return List.of();
    }
    Set<Type> types = new LinkedHashSet<>();
    for (String name : names) {
      types.add(switch (name) {
        case "otlp" -> Type.OTLP;
        case "jaeger" -> Type.JAEGER;
        case "zipkin" -> Type.ZIPKIN;
        case "console", "logging" -> Type.CONSOLE;
        case "otlp_json", "otlp_stdout" -> Type.OTLP_JSON;
        case "logging-otlp" -> Type.LOGGING_OTLP;
        default -> throw new ObservabilityConfigException(raw.key() + "='" + name + "' is not a span exporter;"
            + " allowed: otlp, jaeger, zipkin, console (logging), otlp_json (otlp_stdout), logging-otlp, none;"
            + " several may be given, comma-separated");
      });
    }
    return List.copyOf(types);
  }

  private SamplingConfig sampling() {
    RawValue strategyRaw = first("OTEL_TRACES_SAMPLER", "tracing.sampling.strategy");
    Strategy strategy = Strategy.PARENTBASED_ALWAYS_ON;
    if (strategyRaw != null) {
      String name = strategyRaw.value().toLowerCase(Locale.ROOT);
      strategy = Arrays.stream(Strategy.values()).filter(s -> s.configName().equals(name)).findFirst()
          .orElseThrow(() -> invalid(strategyRaw, "one of " + Arrays.stream(Strategy.values())
              .map(Strategy::configName).toList()));
    }
    RawValue arg = first("OTEL_TRACES_SAMPLER_ARG", null);
    EnumSet<Strategy> ratioLike = EnumSet.of(Strategy.TRACEIDRATIO, Strategy.PARENTBASED_TRACEIDRATIO,
        Strategy.PROBABILISTIC);
    EnumSet<Strategy> rateLike = EnumSet.of(Strategy.RATE_LIMITED, Strategy.ADAPTIVE);
    RawValue ratioRaw = ratioLike.contains(strategy) && arg != null ? arg : first(null, "tracing.sampling.rate");
    double ratio = number(ratioRaw, 1.0);
    if (ratio < 0 || ratio > 1 || Double.isNaN(ratio)) {
      throw invalid(ratioRaw, "a number between 0 and 1");
    }
    RawValue rateRaw = rateLike.contains(strategy) && arg != null ? arg : first(null, "tracing.sampling.max_per_second");
    double maxPerSecond = number(rateRaw, 100);
    if (!(maxPerSecond > 0) || Double.isInfinite(maxPerSecond)) {
      throw invalid(rateRaw, "a positive number of traces per second");
    }
    String jaegerArg = "";
    if (strategy == Strategy.JAEGER_REMOTE || strategy == Strategy.PARENTBASED_JAEGER_REMOTE) {
      jaegerArg = arg == null ? "" : arg.value();
      validateJaegerRemoteArg(arg);
    }
    return new SamplingConfig(strategy, ratio, maxPerSecond, jaegerArg);
  }

  private static void validateJaegerRemoteArg(RawValue arg) {
    if (arg == null) {
      return;
    }
    Map<String, String> parts = keyValueList(arg, false);
    for (Map.Entry<String, String> e : parts.entrySet()) {
      switch (e.getKey()) {
        case "endpoint" -> URI.create(e.getValue());
        case "pollingIntervalMs" -> {
          if (!e.getValue().matches("\\d+")) {
            throw invalid(arg, "pollingIntervalMs as a whole number of milliseconds");
          }
        }
        case "initialSamplingRate" -> {
          double r = parseDouble(arg, e.getValue());
          if (r < 0 || r > 1) {
            throw invalid(arg, "initialSamplingRate between 0 and 1");
          }
        }
        default -> throw invalid(arg, "comma-separated endpoint=..., pollingIntervalMs=..., initialSamplingRate=...");
      }
    }
  }

  private List<String> propagators() {
    RawValue raw = first("OTEL_PROPAGATORS", "tracing.propagators");
    if (raw == null) {
      return List.of("tracecontext", "baggage");
    }
    List<String> names = list(raw);
    for (String name : names) {
      if (!PROPAGATORS.contains(name)) {
        throw invalid(raw, "a comma-separated list of " + PROPAGATORS);
      }
    }
    if (names.contains("none") && names.size() > 1) {
      throw new ObservabilityConfigException(raw.key() + ": 'none' cannot be combined with other propagators");
    }
    return names.isEmpty() ? List.of("none") : names;
  }

  private BatchConfig batch() {
    BatchConfig d = BatchConfig.defaults();
    Duration delay = duration(first("OTEL_BSP_SCHEDULE_DELAY", "tracing.batch.schedule_delay"), d.scheduleDelay());
    RawValue timeoutRaw = first("OTEL_BSP_EXPORT_TIMEOUT", "tracing.batch.export_timeout");
    Duration timeout = duration(timeoutRaw, d.exportTimeout());
    if (timeout.isZero()) {
      throw invalid(timeoutRaw, "a positive duration");
    }
    int queue = positiveInt(first("OTEL_BSP_MAX_QUEUE_SIZE", "tracing.batch.max_queue_size"), d.maxQueueSize());
    RawValue batchRaw = first("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "tracing.batch.max_export_batch_size");
    int batch = positiveInt(batchRaw, Math.min(d.maxExportBatchSize(), queue));
    if (batch > queue) {
      throw invalid(batchRaw, "a positive integer no larger than the queue size (OTEL_BSP_MAX_QUEUE_SIZE=" + queue + ")");
    }
    return new BatchConfig(delay, timeout, queue, batch);
  }

  private ExportResilienceConfig resilience() {
    ExportResilienceConfig d = ExportResilienceConfig.defaults();
    int failures = positiveInt(first(null, "tracing.resilience.failure_threshold"), d.failureThreshold());
    RawValue openRaw = first(null, "tracing.resilience.open_duration");
    Duration open = duration(openRaw, d.openDuration());
    if (open.isZero()) {
      throw invalid(openRaw, "a positive duration");
    }
    RawValue dirRaw = first(null, "tracing.resilience.buffer_dir");
    Path dir = dirRaw == null || dirRaw.value().isBlank() ? null : Path.of(dirRaw.value().trim());
    RawValue bytesRaw = first(null, "tracing.resilience.max_disk_bytes");
    long bytes = ConfigValues.bytes(bytesRaw, d.maxDiskBytes());
    if (bytes < ExportResilienceConfig.MIN_DISK_BYTES || bytes > ExportResilienceConfig.MAX_DISK_BYTES) {
      throw invalid(bytesRaw, "a size from 64KiB to 2GiB, e.g. 64MiB");
    }
    RawValue ageRaw = first(null, "tracing.resilience.max_buffer_age");
    Duration age = duration(ageRaw, d.maxBufferAge());
    if (age.compareTo(ExportResilienceConfig.MIN_BUFFER_AGE) < 0) {
      throw invalid(ageRaw, "a duration of at least " + ExportResilienceConfig.MIN_BUFFER_AGE.toSeconds()
          + "s (twice the age of a buffer file)");
    }
    return new ExportResilienceConfig(failures, open, dir, bytes, age);
  }

  private LimitsConfig limits() {
    LimitsConfig d = LimitsConfig.defaults();
    RawValue length = first("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", null);
    if (length == null) {
      length = first("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "tracing.limits.attribute_value_length");
    }
    RawValue count = first("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", null);
    if (count == null) {
      count = first("OTEL_ATTRIBUTE_COUNT_LIMIT", "tracing.limits.attribute_count");
    }
    return new LimitsConfig(positiveInt(length, d.attributeValueLength()), positiveInt(count, d.attributeCount()),
        positiveInt(first("OTEL_SPAN_EVENT_COUNT_LIMIT", null), d.eventCount()),
        positiveInt(first("OTEL_SPAN_LINK_COUNT_LIMIT", null), d.linkCount()),
        positiveInt(first("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", null), d.eventAttributeCount()),
        positiveInt(first("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", null), d.linkAttributeCount()));
  }

  private MetricsConfig metrics() {
    boolean enabled = bool(first(null, "metrics.enabled"), true);
    RawValue raw = first("OTEL_METRICS_EXPORTER", "metrics.exporter");
    List<String> exporters;
    if (raw == null) {
      exporters = new ArrayList<>(List.of("prometheus"));
      if (first("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", null) != null || first("OTEL_EXPORTER_OTLP_ENDPOINT", null) != null) {
        exporters.add("otlp");
      }
    } else {
      exporters = namesFrom(raw, METRIC_EXPORTERS, Map.of("logging", "console"));
    }
    RawValue intervalRaw = first("OTEL_METRIC_EXPORT_INTERVAL", "metrics.export_interval");
    Duration interval = duration(intervalRaw, MetricsConfig.DEFAULT_EXPORT_INTERVAL);
    if (interval.isZero()) {
      throw invalid(intervalRaw, "a positive duration");
    }
    List<MetricsConfig.Collector> collectors = new ArrayList<>();
    JsonNode list = yamlNode("metrics.collectors");
    if (!list.isMissingNode() && !list.isNull()) {
      if (!list.isArray()) {
        throw new ObservabilityConfigException("observability.metrics.collectors must be a list of {name, enabled}");
      }
      for (int i = 0; i < list.size(); i++) {
        String path = "metrics.collectors[" + i + "]";
        JsonNode c = list.get(i);
        RawValue name = yamlRaw(path + ".name", c.path("name"));
        if (name == null || !COLLECTORS.contains(name.value())) {
          throw new ObservabilityConfigException("observability." + path + ".name must be one of " + COLLECTORS);
        }
        collectors.add(new MetricsConfig.Collector(name.value(), bool(yamlRaw(path + ".enabled", c.path("enabled")),
            true), duration(yamlRaw(path + ".interval", c.path("interval")), interval)));
      }
    }
    return new MetricsConfig(enabled && !exporters.isEmpty(), exporters, interval, collectors);
  }

  private LogsConfig logs() {
    RawValue envRaw = first("OTEL_LOGS_EXPORTER", null);
    RawValue raw = envRaw != null ? envRaw : first(null, "logs.exporter");
    Map<String, String> aliases = Map.of("logging", "console");
    boolean enabled = envRaw != null ? !namesFrom(envRaw, LOG_EXPORTERS, aliases).isEmpty()
        : bool(first(null, "logs.enabled"), false);
    List<String> exporters;
    if (raw != null) {
      exporters = namesFrom(raw, LOG_EXPORTERS, aliases);
    } else {
      boolean endpoint = first("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", null) != null
          || first("OTEL_EXPORTER_OTLP_ENDPOINT", null) != null;
      exporters = endpoint ? List.of("otlp") : List.of();
    }
    return new LogsConfig(enabled && !exporters.isEmpty(), enabled ? exporters : List.of());
  }

  private PrivacyConfig privacy() {
    boolean sanitize = bool(first("OTEL_SANITIZE_PII", "data_privacy.sanitize_pii"), true);
    boolean capture = bool(first("OTEL_CAPTURE_PAYLOADS", "data_privacy.capture_payloads"), false);
    boolean defaults = bool(first(null, "data_privacy.include_defaults"), true);
    Set<String> fields = new LinkedHashSet<>(defaults ? PrivacyConfig.DEFAULT_SENSITIVE_FIELDS : List.of());
    JsonNode fieldList = yamlNode("data_privacy.sensitive_fields");
    if (fieldList.isArray()) {
      fieldList.forEach(f -> {
        if (!f.asText("").isBlank()) {
          fields.add(f.asText().trim().toLowerCase(Locale.ROOT));
        }
      });
    } else if (!fieldList.isMissingNode() && !fieldList.isNull()) {
      throw new ObservabilityConfigException("observability.data_privacy.sensitive_fields must be a list of names");
    }
    List<MaskPattern> patterns = new ArrayList<>(defaults ? PrivacyConfig.DEFAULT_MASK_PATTERNS : List.of());
    JsonNode patternList = yamlNode("data_privacy.mask_patterns");
    if (patternList.isArray()) {
      for (int i = 0; i < patternList.size(); i++) {
        patterns.add(maskPattern(patternList.get(i), "observability.data_privacy.mask_patterns[" + i + "]"));
      }
    } else if (!patternList.isMissingNode() && !patternList.isNull()) {
      throw new ObservabilityConfigException(
          "observability.data_privacy.mask_patterns must be a list of {regex, replacement}");
    }
    return new PrivacyConfig(sanitize, List.copyOf(fields), patterns, capture);
  }

  private static MaskPattern maskPattern(JsonNode node, String path) {
    String regex = node.path("regex").asText("");
    if (regex.isEmpty()) {
      throw new ObservabilityConfigException(path + ".regex is required");
    }
    String replacement = node.path("replacement").asText("[REDACTED]");
    Pattern compiled;
    try {
      compiled = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ObservabilityConfigException(path + ".regex is not a valid Java regular expression: "
          + e.getDescription(), e);
    }
    int groups = compiled.matcher("").groupCount();
    Matcher refs = GROUP_REF.matcher(replacement);
    while (refs.find()) {
      if (Integer.parseInt(refs.group(1)) > groups) {
        throw new ObservabilityConfigException(path + ".replacement refers to group $" + refs.group(1)
            + " but the regex has " + groups + " group(s)");
      }
    }
    return new MaskPattern(regex, replacement);
  }

  private Map<String, String> sdkProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    for (String key : ConfigKeys.SDK_PASSTHROUGH) {
      RawValue raw = first(key, null);
      if (raw == null) {
        continue;
      }
      if (key.endsWith("_HEADERS")) {
        keyValueList(raw, true);
      } else if (key.endsWith("_PROTOCOL")) {
        oneOf(raw, PROTOCOLS, null);
      } else if (key.endsWith("_COMPRESSION")) {
        oneOf(raw, COMPRESSIONS, null);
      } else if (key.endsWith("_TEMPORALITY_PREFERENCE")) {
        oneOf(raw, List.of("cumulative", "delta", "lowmemory"), null);
      } else if (key.endsWith("_HISTOGRAM_AGGREGATION")) {
        oneOf(raw, List.of("explicit_bucket_histogram", "base2_exponential_bucket_histogram"), null);
      } else if (key.equals("OTEL_METRICS_EXEMPLAR_FILTER")) {
        oneOf(raw, List.of("always_on", "always_off", "trace_based"), null);
      } else if (key.endsWith("_ENDPOINT")) {
        endpoint(raw, false);
      } else if (!key.endsWith("_CERTIFICATE") && !key.endsWith("_CLIENT_KEY")) {
        positiveInt(raw, 1);
      }
      props.put(key.toLowerCase(Locale.ROOT).replace('_', '.'), raw.value());
    }
    // The generic OTLP settings also serve the metric and log exporters that autoconfigure builds.
    boolean insecure = bool(first("OTEL_EXPORTER_OTLP_INSECURE", null), false);
    for (String suffix : ConfigKeys.OTLP_SUFFIXES) {
      RawValue raw = first("OTEL_EXPORTER_OTLP_" + suffix, null);
      if (raw == null || suffix.equals("INSECURE")) {
        continue;
      }
      String value = suffix.equals("ENDPOINT") ? endpoint(raw, insecure) : raw.value();
      props.put("otel.exporter.otlp." + suffix.toLowerCase(Locale.ROOT).replace('_', '.'), value);
    }
    return props;
  }

  // ------------------------------------------------------------------------------------------- value plumbing

  /** The environment value if set and not blank, else the YAML value at {@code yamlPath}, else null. */
  private RawValue first(String envKey, String yamlPath) {
    if (envKey != null) {
      String v = env.get(envKey);
      if (v != null && !v.isBlank()) {
        return new RawValue(envKey, v.trim());
      }
    }
    if (yamlPath != null) {
      return yamlRaw(yamlPath, yamlNode(yamlPath));
    }
    return null;
  }

  private static RawValue yamlRaw(String path, JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    String key = "observability." + path;
    if (node.isArray()) {
      List<String> parts = new ArrayList<>();
      node.forEach(e -> parts.add(e.asText()));
      return new RawValue(key, String.join(",", parts));
    }
    if (node.isContainerNode()) {
      throw new ObservabilityConfigException(key + " must be a single value, not a mapping");
    }
    String v = node.asText();
    return v.isBlank() ? null : new RawValue(key, v.trim());
  }

  private JsonNode yamlNode(String path) {
    JsonNode node = yaml;
    for (String part : path.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }


}
