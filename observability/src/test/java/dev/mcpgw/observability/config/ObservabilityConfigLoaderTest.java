package dev.mcpgw.observability.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.mcpgw.observability.config.ExporterConfig.Type;
import dev.mcpgw.observability.config.SamplingConfig.Strategy;
import dev.mcpgw.observability.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObservabilityConfigLoaderTest {

  /** The original example config/observability.yaml (the shape docs/configuration.md documents), verbatim. */
  static final String SEED_YAML = """
      observability:
        enabled: true

        tracing:
          enabled: true
          exporter:
            type: otlp
            endpoint: ${OTEL_EXPORTER_OTLP_ENDPOINT}
            headers:
              api-key: ${OTEL_API_KEY}

          sampling:
            strategy: adaptive  # always|probabilistic|adaptive|rate_limited
            rate: 0.1          # For probabilistic sampling
            max_per_second: 100  # For rate-limited sampling

          propagators:
            - tracecontext    # W3C Trace Context
            - baggage        # W3C Baggage
            - b3multi        # B3 Multi-header (Zipkin)

        metrics:
          enabled: true
          export_interval: 60s

          collectors:
            - name: system
              enabled: true
              interval: 30s
            - name: http
              enabled: true
            - name: database
              enabled: true

        logs:
          enabled: false  # Future enhancement

        data_privacy:
          sanitize_pii: true

          sensitive_fields:
            - password
            - api_key
            - token
            - ssn
            - credit_card

          mask_patterns:
            - regex: '\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Z|a-z]{2,}\\b'
              replacement: '[EMAIL]'
            - regex: '\\b\\d{3}-\\d{2}-\\d{4}\\b'
              replacement: '[SSN]'
      """;

  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("observability.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void defaultsAreEnabledWithNoExporterAndPrivacyOn() {
    ObservabilityConfig c = ObservabilityConfigLoader.load(Map.of(), null);
    assertThat(c.enabled()).isTrue();
    assertThat(c.resource().serviceName()).isEqualTo("mcp-gateway");
    assertThat(c.tracing().exporter().types()).isEmpty();
    assertThat(c.tracing().sampling().strategy()).isEqualTo(Strategy.PARENTBASED_ALWAYS_ON);
    assertThat(c.tracing().propagators()).containsExactly("tracecontext", "baggage");
    assertThat(c.tracing().batch()).isEqualTo(BatchConfig.defaults());
    assertThat(c.tracing().limits()).isEqualTo(LimitsConfig.defaults());
    assertThat(c.tracing().resilience()).isEqualTo(ExportResilienceConfig.defaults());
    assertThat(c.privacy().sanitizePii()).isTrue();
    assertThat(c.privacy().capturePayloads()).isFalse();
    assertThat(c.privacy().sensitiveFields()).contains("password", "authorization", "api_key");
    assertThat(c.metrics().exporters()).containsExactly("prometheus");
    assertThat(c.logs().enabled()).isFalse();
  }

  @Test
  void exportResilienceIsTunedInYamlWithUnitsAndAnEmptyDirectoryMeansTheDefault() throws IOException {
    ObservabilityConfig c = ObservabilityConfigLoader.load(Map.of(), yaml("""
        observability:
          tracing:
            resilience:
              failure_threshold: 5
              open_duration: 2m
              buffer_dir: /var/lib/mcpgw/spans
              max_disk_bytes: 512MiB
              max_buffer_age: 6h
        """));

    assertThat(c.tracing().resilience()).isEqualTo(new ExportResilienceConfig(5, Duration.ofMinutes(2),
        Path.of("/var/lib/mcpgw/spans"), 512L * 1024 * 1024, Duration.ofHours(6)));
    assertThat(ObservabilityConfigLoader.load(Map.of(), yaml("""
        observability:
          tracing:
            resilience:
              buffer_dir: ""
              max_disk_bytes: 65536
        """)).tracing().resilience()).extracting(ExportResilienceConfig::bufferDir, ExportResilienceConfig::maxDiskBytes)
        .containsExactly(null, 65536L);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "failure_threshold: 0 | observability.tracing.resilience.failure_threshold | positive whole number",
      "open_duration: 30 | observability.tracing.resilience.open_duration | with a unit",
      "max_disk_bytes: 1KiB | observability.tracing.resilience.max_disk_bytes | 64KiB to 2GiB",
      "max_disk_bytes: 3GiB | observability.tracing.resilience.max_disk_bytes | 64KiB to 2GiB",
      "max_disk_bytes: lots | observability.tracing.resilience.max_disk_bytes | 64MiB",
      "max_buffer_age: 5s | observability.tracing.resilience.max_buffer_age | at least 10s"})
  void anInvalidResilienceValueFailsNamingItsKeyAndWhatItAccepts(String line, String key, String expected)
      throws IOException {
    Path file = yaml("observability:\n  tracing:\n    resilience:\n      " + line + "\n");

    assertThatThrownBy(() -> ObservabilityConfigLoader.load(Map.of(), file))
        .isInstanceOf(ObservabilityConfigException.class).hasMessageContaining(key).hasMessageContaining(expected);
  }

  @Test
  void anExportHeaderThatWouldAddALineOfItsOwnFailsAtStartNamingTheHeaderNotTheValue() throws IOException {
    assertThatThrownBy(() -> ObservabilityConfigLoader.load(
            Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cr3t%0D%0AX-Injected: 1"), null))
        .isInstanceOf(ObservabilityConfigException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS").hasMessageContaining("'api-key'")
        .hasMessageContaining("line break").hasMessageNotContaining("s3cr3t").hasMessageNotContaining("Injected");
    Path file = yaml("observability:\n  tracing:\n    exporter:\n      headers:\n        \"bad name\": v\n");
    assertThatThrownBy(() -> ObservabilityConfigLoader.load(Map.of(), file))
        .isInstanceOf(ObservabilityConfigException.class)
        .hasMessageContaining("observability.tracing.exporter.headers").hasMessageContaining("'bad?name'");
  }

  @Test
  void seedYamlLoadsWithEnvironmentSubstitution() throws IOException {
    Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317", "OTEL_API_KEY", "s3cr3t");
    ObservabilityConfig c = ObservabilityConfigLoader.load(env, yaml(SEED_YAML));
    assertThat(c.tracing().exporter().types()).containsExactly(Type.OTLP);
    assertThat(c.tracing().exporter().otlp().endpoint()).isEqualTo("http://collector:4317");
    assertThat(c.tracing().exporter().otlp().headers()).containsEntry("api-key", "s3cr3t");
    assertThat(c.tracing().sampling().strategy()).isEqualTo(Strategy.ADAPTIVE);
    assertThat(c.tracing().sampling().ratio()).isEqualTo(0.1);
    assertThat(c.tracing().sampling().maxPerSecond()).isEqualTo(100);
    assertThat(c.tracing().propagators()).containsExactly("tracecontext", "baggage", "b3multi");
    assertThat(c.metrics().exportInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.metrics().collectors()).extracting(MetricsConfig.Collector::name)
        .containsExactly("system", "http", "database");
    assertThat(c.metrics().collectors().get(0).interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.privacy().sensitiveFields()).contains("credit_card", "ssn");
    assertThat(c.privacy().maskPatterns()).extracting(PrivacyConfig.MaskPattern::replacement)
        .contains("[EMAIL]", "[SSN]");
  }

  @Test
  void unsetPlaceholderBecomesEmptyAndDefaultFormIsUsed() throws IOException {
    ObservabilityConfig c = ObservabilityConfigLoader.load(Map.of(), yaml("""
        observability:
          resource:
            service_name: ${SVC:-from-default}
          tracing:
            exporter:
              type: otlp
              endpoint: ${MISSING_ENDPOINT}
              headers:
                api-key: ${MISSING_KEY}
        """));
    assertThat(c.resource().serviceName()).isEqualTo("from-default");
    assertThat(c.tracing().exporter().otlp().endpoint()).isEmpty();
    assertThat(c.tracing().exporter().otlp().headers()).isEmpty();
  }

  @Test
  void environmentOverridesYamlWhichOverridesDefaults() throws IOException {
    Path file = yaml("""
        observability:
          resource:
            service_name: from-yaml
            deployment_environment: staging
          tracing:
            sampling:
              strategy: probabilistic
              rate: 0.25
            batch:
              max_queue_size: 4096
        """);
    ObservabilityConfig yamlOnly = ObservabilityConfigLoader.load(Map.of(), file);
    assertThat(yamlOnly.resource().serviceName()).isEqualTo("from-yaml");
    assertThat(yamlOnly.resource().deploymentEnvironment()).isEqualTo("staging");
    assertThat(yamlOnly.tracing().sampling().strategy()).isEqualTo(Strategy.PROBABILISTIC);
    assertThat(yamlOnly.tracing().sampling().ratio()).isEqualTo(0.25);
    assertThat(yamlOnly.tracing().batch().maxQueueSize()).isEqualTo(4096);
    assertThat(yamlOnly.tracing().batch().maxExportBatchSize()).isEqualTo(512);

    ObservabilityConfig withEnv = ObservabilityConfigLoader.load(Map.of(
        "OTEL_SERVICE_NAME", "from-env",
        "OTEL_TRACES_SAMPLER", "parentbased_traceidratio",
        "OTEL_TRACES_SAMPLER_ARG", "0.05",
        "OTEL_BSP_MAX_QUEUE_SIZE", "100",
        "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "50"), file);
    assertThat(withEnv.resource().serviceName()).isEqualTo("from-env");
    assertThat(withEnv.resource().deploymentEnvironment()).isEqualTo("staging");
    assertThat(withEnv.tracing().sampling().strategy()).isEqualTo(Strategy.PARENTBASED_TRACEIDRATIO);
    assertThat(withEnv.tracing().sampling().ratio()).isEqualTo(0.05);
    assertThat(withEnv.tracing().batch().maxQueueSize()).isEqualTo(100);
    assertThat(withEnv.tracing().batch().maxExportBatchSize()).isEqualTo(50);
  }

  @Test
  void seedEnvironmentVariablesAllTakeEffect() {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_ENABLE_OBSERVABILITY", "true");
    env.put("OTEL_SERVICE_NAME", "mcp-gateway");
    env.put("OTEL_SERVICE_VERSION", "1.2.3");
    env.put("OTEL_DEPLOYMENT_ENVIRONMENT", "production");
    env.put("OTEL_TRACES_EXPORTER", "otlp,zipkin,console");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector.example.com:4317");
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
    env.put("OTEL_EXPORTER_OTLP_HEADERS", "api-key=secret,x-tenant=acme%2Cprod");
    env.put("OTEL_EXPORTER_OTLP_INSECURE", "false");
    env.put("OTEL_TRACES_SAMPLER", "parentbased_traceidratio");
    env.put("OTEL_TRACES_SAMPLER_ARG", "0.1");
    env.put("OTEL_RESOURCE_ATTRIBUTES", "tenant.id=acme,region=us-east-1,cluster=prod-1");
    env.put("OTEL_BSP_MAX_QUEUE_SIZE", "2048");
    env.put("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "512");
    env.put("OTEL_BSP_SCHEDULE_DELAY", "5000");
    env.put("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "12000");
    env.put("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "1200");
    env.put("OTEL_SANITIZE_PII", "true");
    ObservabilityConfig c = ObservabilityConfigLoader.load(env, null);
    assertThat(c.resource().serviceVersion()).isEqualTo("1.2.3");
    assertThat(c.resource().deploymentEnvironment()).isEqualTo("production");
    assertThat(c.resource().attributes()).containsEntry("tenant.id", "acme").containsEntry("cluster", "prod-1");
    assertThat(c.tracing().exporter().types()).containsExactly(Type.OTLP, Type.ZIPKIN, Type.CONSOLE);
    assertThat(c.tracing().exporter().otlp().headers()).containsEntry("x-tenant", "acme,prod");
    assertThat(c.tracing().batch().scheduleDelay()).isEqualTo(Duration.ofMillis(5000));
    assertThat(c.tracing().limits().attributeValueLength()).isEqualTo(12000);
    assertThat(c.metrics().exporters()).containsExactly("prometheus", "otlp");
    assertThat(c.sdkProperties()).containsEntry("otel.attribute.value.length.limit", "1200")
        .containsEntry("otel.exporter.otlp.endpoint", "https://collector.example.com:4317");
  }

  @Test
  void tracesSpecificOtlpKeysWinOverGenericOnes() {
    ObservabilityConfig c = ObservabilityConfigLoader.load(Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://generic:4318",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:4318/custom/path",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
        "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "2500",
        "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "gzip"), null);
    var otlp = c.tracing().exporter().otlp();
    assertThat(otlp.endpoint()).isEqualTo("http://traces:4318/custom/path");
    assertThat(otlp.signalSpecificEndpoint()).isTrue();
    assertThat(otlp.protocol()).isEqualTo("http/protobuf");
    assertThat(otlp.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(otlp.compression()).isEqualTo("gzip");
    assertThat(c.tracing().exporter().types()).containsExactly(Type.OTLP);
  }

  @Test
  void endpointWithoutSchemeUsesInsecureFlag() {
    assertThat(ObservabilityConfigLoader.load(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317",
        "OTEL_EXPORTER_OTLP_INSECURE", "true"), null).tracing().exporter().otlp().endpoint())
        .isEqualTo("http://collector:4317");
    assertThat(ObservabilityConfigLoader.load(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317"), null)
        .tracing().exporter().otlp().endpoint()).isEqualTo("https://collector:4317");
  }

  @Test
  void yamlEndpointBelongsToTheSingleNamedExporter() throws IOException {
    ObservabilityConfig zipkin = ObservabilityConfigLoader.load(Map.of(), yaml("""
        observability:
          tracing:
            exporter:
              type: zipkin
              endpoint: http://zipkin:9411/api/v2/spans
        """));
    assertThat(zipkin.tracing().exporter().zipkinEndpoint()).isEqualTo("http://zipkin:9411/api/v2/spans");
    ObservabilityConfig jaeger = ObservabilityConfigLoader.load(Map.of(), yaml("""
        observability:
          tracing:
            exporter:
              type: [jaeger, console]
              endpoint: http://jaeger:4317
        """));
    assertThat(jaeger.tracing().exporter().types()).containsExactly(Type.JAEGER, Type.CONSOLE);
    assertThat(jaeger.tracing().exporter().jaegerEndpoint()).isEqualTo("http://jaeger:4317");
  }

  @Test
  void disabledBySwitchOrSdkDisabled() {
    assertThat(ObservabilityConfigLoader.load(Map.of("OTEL_ENABLE_OBSERVABILITY", "false"), null).enabled()).isFalse();
    assertThat(ObservabilityConfigLoader.load(Map.of("OTEL_SDK_DISABLED", "true"), null).enabled()).isFalse();
  }

  @Test
  void userPatternsAreAddedToDefaultsUnlessDefaultsAreExcluded() throws IOException {
    ObservabilityConfig c = ObservabilityConfigLoader.load(Map.of(), yaml("""
        observability:
          data_privacy:
            include_defaults: false
            sensitive_fields: [Session_Key]
            mask_patterns:
              - regex: 'ACME-(\\d+)'
                replacement: 'ACME-$1-masked'
        """));
    assertThat(c.privacy().sensitiveFields()).containsExactly("session_key");
    assertThat(c.privacy().maskPatterns()).hasSize(1);
  }

  @Test
  void headerValuesNeverAppearInToString() {
    ObservabilityConfig c = ObservabilityConfigLoader.load(Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317",
        "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20topsecretvalue",
        "OTEL_EXPORTER_OTLP_METRICS_HEADERS", "api-key=othersecretvalue"), null);
    assertThat(c.toString()).doesNotContain("topsecretvalue").doesNotContain("othersecretvalue")
        .contains("authorization=***");
    assertThat(c.tracing().exporter().otlp().headers()).containsEntry("authorization", "Bearer topsecretvalue");
  }

  @Test
  void malformedHeaderFailsWithoutEchoingTheSecret() {
    assertThatThrownBy(() -> ObservabilityConfigLoader.load(
        Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=ok,justasecretwithoutequals"), null))
        .isInstanceOf(ObservabilityConfigException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS")
        .hasMessageContaining("key=value")
        .hasMessageNotContaining("justasecretwithoutequals");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', textBlock = """
      OTEL_ENABLE_OBSERVABILITY              | yes           | true or false
      OTEL_SDK_DISABLED                      | 1             | true or false
      OTEL_TRACES_EXPORTER                   | datadog       | otlp, jaeger, zipkin, console
      OTEL_TRACES_EXPORTER                   | otlp,none     | 'none' cannot be combined
      OTEL_EXPORTER_OTLP_ENDPOINT            | ftp://x:21    | http:// or https://
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT     | http://       | http:// or https://
      OTEL_EXPORTER_OTLP_PROTOCOL            | http/json     | grpc, http/protobuf
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL     | udp           | grpc, http/protobuf
      OTEL_EXPORTER_OTLP_INSECURE            | maybe         | true or false
      OTEL_EXPORTER_OTLP_TIMEOUT             | ten           | milliseconds
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT      | 0             | positive duration
      OTEL_EXPORTER_OTLP_COMPRESSION         | zstd          | gzip, none
      OTEL_EXPORTER_OTLP_TRACES_COMPRESSION  | br            | gzip, none
      OTEL_EXPORTER_JAEGER_ENDPOINT          | jaeger host   | http:// or https://
      OTEL_EXPORTER_ZIPKIN_ENDPOINT          | ://nohost     | http:// or https://
      OTEL_TRACES_SAMPLER                    | sometimes     | parentbased_traceidratio
      OTEL_PROPAGATORS                       | w3c           | tracecontext, baggage, b3, b3multi, jaeger
      OTEL_PROPAGATORS                       | none,b3       | 'none' cannot be combined
      OTEL_BSP_SCHEDULE_DELAY                | soon          | milliseconds
      OTEL_BSP_EXPORT_TIMEOUT                | 0             | positive duration
      OTEL_BSP_MAX_QUEUE_SIZE                | -1            | positive whole number
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE         | 4096          | no larger than the queue size
      OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT | 0             | positive whole number
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT      | big           | positive whole number
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT        | 1.5           | positive whole number
      OTEL_ATTRIBUTE_COUNT_LIMIT             | x             | positive whole number
      OTEL_SPAN_EVENT_COUNT_LIMIT            | x             | positive whole number
      OTEL_SPAN_LINK_COUNT_LIMIT             | x             | positive whole number
      OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT       | x             | positive whole number
      OTEL_LINK_ATTRIBUTE_COUNT_LIMIT        | x             | positive whole number
      OTEL_SANITIZE_PII                      | on            | true or false
      OTEL_CAPTURE_PAYLOADS                  | on            | true or false
      OTEL_METRICS_EXPORTER                  | statsd        | otlp, prometheus, console
      OTEL_METRIC_EXPORT_INTERVAL            | 1 minute      | milliseconds
      OTEL_LOGS_EXPORTER                     | syslog        | otlp, console
      OTEL_RESOURCE_ATTRIBUTES               | novalue       | key=value
      OTEL_BLRP_MAX_QUEUE_SIZE               | x             | positive whole number
      OTEL_BLRP_SCHEDULE_DELAY               | x             | positive whole number
      OTEL_METRIC_EXPORT_TIMEOUT             | x             | positive whole number
      OTEL_METRICS_EXEMPLAR_FILTER           | sometimes     | always_on, always_off, trace_based
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL    | udp           | grpc, http/protobuf
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE | weekly | cumulative, delta, lowmemory
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT       | nowhere:://   | http:// or https://
      """)
  void invalidEnvironmentValueFailsNamingKeyAndAllowedValues(String key, String value, String expected) {
    assertThatThrownBy(() -> ObservabilityConfigLoader.load(Map.of(key, value), null))
        .isInstanceOf(ObservabilityConfigException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      OTEL_TRACES_SAMPLER=traceidratio;OTEL_TRACES_SAMPLER_ARG=1.5      | OTEL_TRACES_SAMPLER_ARG | between 0 and 1
      OTEL_TRACES_SAMPLER=rate_limited;OTEL_TRACES_SAMPLER_ARG=-3       | OTEL_TRACES_SAMPLER_ARG | positive number
      OTEL_TRACES_SAMPLER=adaptive;OTEL_TRACES_SAMPLER_ARG=lots         | OTEL_TRACES_SAMPLER_ARG | a number
      OTEL_TRACES_SAMPLER=jaeger_remote;OTEL_TRACES_SAMPLER_ARG=foo=bar | OTEL_TRACES_SAMPLER_ARG | pollingIntervalMs
      OTEL_EXPORTER_OTLP_CLIENT_KEY=/tmp/key.pem                        | OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE | together
      """)
  void invalidCombinationsFailNamingTheKey(String pairs, String key, String expected) {
    Map<String, String> env = new HashMap<>();
    for (String pair : pairs.split(";")) {
      env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    assertThatThrownBy(() -> ObservabilityConfigLoader.load(env, null))
        .isInstanceOf(ObservabilityConfigException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(expected);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      'observability:\\n  enabled: perhaps'                                        | observability.enabled
      'observability:\\n  tracing:\\n    exporter:\\n      type: datadog'             | observability.tracing.exporter.type
      'observability:\\n  tracing:\\n    sampling:\\n      strategy: sometimes'       | observability.tracing.sampling.strategy
      'observability:\\n  tracing:\\n    sampling:\\n      strategy: probabilistic\\n      rate: 2' | observability.tracing.sampling.rate
      'observability:\\n  tracing:\\n    sampling:\\n      max_per_second: 0'         | observability.tracing.sampling.max_per_second
      'observability:\\n  tracing:\\n    propagators: [w3c]'                          | observability.tracing.propagators
      'observability:\\n  tracing:\\n    unknown_key: 1'                              | observability.tracing.unknown_key
      'observability:\\n  tracing:\\n    exporter:\\n      timeout: 10'               | observability.tracing.exporter.timeout
      'observability:\\n  metrics:\\n    export_interval: 60'                         | observability.metrics.export_interval
      'observability:\\n  metrics:\\n    collectors:\\n      - name: gpu'             | observability.metrics.collectors[0].name
      'observability:\\n  data_privacy:\\n    mask_patterns:\\n      - regex: \"[a-\"' | observability.data_privacy.mask_patterns[0].regex
      'observability:\\n  data_privacy:\\n    mask_patterns:\\n      - regex: a\\n        replacement: $2' | observability.data_privacy.mask_patterns[0].replacement
      'observability:\\n  data_privacy:\\n    sanitize_pii: nope'                     | observability.data_privacy.sanitize_pii
      'tracing:\\n  enabled: true'                                                   | top-level 'observability:'
      """)
  void invalidYamlValueFailsNamingThePath(String text, String path) throws IOException {
    Path file = yaml(text.replace("\\n", "\n"));
    assertThatThrownBy(() -> ObservabilityConfigLoader.load(Map.of(), file))
        .isInstanceOf(ObservabilityConfigException.class)
        .hasMessageContaining(path);
  }

  @Test
  void emptyFileAndEmptySectionMeanDefaults() throws IOException {
    assertThat(ObservabilityConfigLoader.load(Map.of(), yaml("")))
        .isEqualTo(ObservabilityConfigLoader.load(Map.of(), null));
    assertThat(ObservabilityConfigLoader.load(Map.of(), yaml("observability:\n")))
        .isEqualTo(ObservabilityConfigLoader.load(Map.of(), null));
  }

  @Test
  void fromEnvironmentIgnoresAMissingFile() {
    assertThat(ObservabilityConfigLoader.fromEnvironment(dir.resolve("absent.yaml")))
        .isEqualTo(ObservabilityConfigLoader.load(System.getenv(), null));
  }

  @Test
  void invalidYamlNamesThePlaceButNotTheContent() throws IOException {
    Path file = yaml("observability:\n  tracing:\n    exporter:\n      headers: {api-key: literalsecret\n");
    assertThatThrownBy(() -> ObservabilityConfigLoader.load(Map.of(), file))
        .isInstanceOf(ObservabilityConfigException.class)
        .hasMessageContaining("not valid YAML").hasMessageContaining("line")
        .hasMessageNotContaining("literalsecret");
  }

  @Test
  void unknownOtelVariablesAreReportedOnceByNameExceptThoseTheYamlUses() throws IOException {
    Path file = yaml(SEED_YAML);
    try (LogCapture log = LogCapture.of(ObservabilityConfigLoader.class)) {
      ObservabilityConfigLoader.load(Map.of("OTEL_API_KEY", "s3cr3t", "OTEL_TRACE_EXPORTER", "otlp",
          "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"), file);
      assertThat(log.lines(Level.WARN)).singleElement().asString()
          .contains("OTEL_TRACE_EXPORTER").doesNotContain("OTEL_API_KEY").doesNotContain("s3cr3t");
    }
  }

  @Test
  void missingYamlFileFailsNamingIt() {
    Path missing = dir.resolve("absent.yaml");
    assertThatThrownBy(() -> ObservabilityConfigLoader.load(Map.of(), missing))
        .isInstanceOf(ObservabilityConfigException.class).hasMessageContaining("absent.yaml");
  }

  @Test
  void knownKeysCoverEnvAndYaml() {
    assertThat(ObservabilityConfigLoader.knownKeys())
        .contains("OTEL_ENABLE_OBSERVABILITY", "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY",
            "observability.data_privacy.mask_patterns[].regex");
    assertThat(List.copyOf(ObservabilityConfigLoader.knownEnvKeys())).doesNotHaveDuplicates();
  }
}
