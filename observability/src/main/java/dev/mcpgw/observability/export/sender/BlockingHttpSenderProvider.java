package dev.mcpgw.observability.export.sender;

import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;

/** EXPERIMENT: an HTTP/1.1 sender on one blocking socket (plain http, no proxy, no compression). */
public final class BlockingHttpSenderProvider implements HttpSenderProvider {
  @Override
  public HttpSender createSender(HttpSenderConfig config) {
    return new BlockingHttpSender(config);
  }
}
