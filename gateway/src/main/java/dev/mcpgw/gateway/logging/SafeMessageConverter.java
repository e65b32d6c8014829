package dev.mcpgw.gateway.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %safemsg} in logback.xml: the formatted message with secrets redacted ({@link LogRedaction}). */
public final class SafeMessageConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return LogRedaction.redact(event.getFormattedMessage());
  }
}
