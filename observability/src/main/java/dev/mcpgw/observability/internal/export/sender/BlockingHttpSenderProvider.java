package dev.mcpgw.observability.internal.export.sender;

import io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;

/**
 * The gateway's OTLP/HTTP sender (ADR 0036): each export written and answered on one kept-alive blocking socket, on
 * the sender's own thread. An exporter configured with a proxy gets the SDK's JDK sender instead. Public only because
 * the SDK finds it through {@link java.util.ServiceLoader}; the gateway selects it by the system property
 * {@code io.opentelemetry.sdk.common.export.HttpSenderProvider}.
 */
public final class BlockingHttpSenderProvider implements HttpSenderProvider {

  @Override
  public HttpSender createSender(HttpSenderConfig config) {
    if (config.getProxyOptions() != null) {
      return new JdkHttpSenderProvider().createSender(config);
    }
    return new BlockingHttpSender(config);
  }
}
