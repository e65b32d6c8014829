package dev.mcpgw.gateway.logging;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %safeex} in logback.xml: the exception and its stack with secrets in messages redacted. */
public final class SafeThrowableConverter extends ExtendedThrowableProxyConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return LogRedaction.redact(super.convert(event));
  }
}
