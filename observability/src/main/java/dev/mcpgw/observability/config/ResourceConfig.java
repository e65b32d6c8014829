package dev.mcpgw.observability.config;

import java.util.Map;
import java.util.Objects;

/**
 * Resource identity of the process.
 *
 * @param serviceName {@code service.name}
 * @param serviceVersion {@code service.version}; empty means "take it from the build"
 * @param deploymentEnvironment {@code deployment.environment.name}; empty means unset
 * @param attributes extra resource attributes ({@code OTEL_RESOURCE_ATTRIBUTES})
 */
public record ResourceConfig(
    String serviceName, String serviceVersion, String deploymentEnvironment, Map<String, String> attributes) {

  public ResourceConfig {
    Objects.requireNonNull(serviceName, "serviceName");
    serviceVersion = serviceVersion == null ? "" : serviceVersion;
    deploymentEnvironment = deploymentEnvironment == null ? "" : deploymentEnvironment;
    attributes = Map.copyOf(attributes);
  }
}
