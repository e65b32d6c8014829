package dev.mcpgw.observability;

import dev.mcpgw.observability.config.ResourceConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;

/**
 * Our part of the resource: service identity, environment and {@code OTEL_RESOURCE_ATTRIBUTES}. It is merged over
 * what the SDK's resource providers detect (host, OS, process, runtime, container), so the operator's values win.
 */
final class ResourceFactory {

  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");
  static final AttributeKey<String> DEPLOYMENT_ENVIRONMENT_NAME = AttributeKey.stringKey("deployment.environment.name");
  /** The pre-1.27 key, still what many backends (and older queries) filter on. */
  static final AttributeKey<String> DEPLOYMENT_ENVIRONMENT = AttributeKey.stringKey("deployment.environment");

  private ResourceFactory() {}

  static Resource create(ResourceConfig config) {
    AttributesBuilder b = Attributes.builder();
    config.attributes().forEach(b::put);
    b.put(SERVICE_NAME, config.serviceName());
    b.put(SERVICE_VERSION, config.serviceVersion().isEmpty() ? BuildInfo.VERSION : config.serviceVersion());
    if (!config.deploymentEnvironment().isEmpty()) {
      b.put(DEPLOYMENT_ENVIRONMENT_NAME, config.deploymentEnvironment());
      b.put(DEPLOYMENT_ENVIRONMENT, config.deploymentEnvironment());
    }
    return Resource.create(b.build());
  }
}
