package dev.mcpgw.observability.export.sender;

import io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;

/**
 * WORK IN PROGRESS (branch sender-exp, not on main): an OTLP/HTTP sender on one kept-alive blocking socket. A proxy
 * is left to the JDK sender.
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
