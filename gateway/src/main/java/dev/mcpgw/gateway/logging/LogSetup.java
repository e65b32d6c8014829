package dev.mcpgw.gateway.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.AppenderAttachable;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.observability.Observability;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link GatewaySettings.Logging} to logback at start-up: the line format of the {@code STDERR} appender
 * ({@code logback.xml}), and the bridge of every log line to OpenTelemetry when a logs exporter is on.
 */
public final class LogSetup {
  /** The appender of {@code logback.xml} whose format {@code MCPGW_LOG_FORMAT} picks. */
  static final String CONSOLE = "STDERR";
  private static final String ORIGINAL_ENCODER = LogSetup.class.getName() + ".originalEncoder";

  private LogSetup() {}

  /**
   * Writes the console lines as JSON objects ({@link JsonLogEncoder}) or as {@code logback.xml}'s human lines. Does
   * nothing when logback is not the SLF4J backend or has no {@value #CONSOLE} appender.
   */
  public static synchronized void useFormat(GatewaySettings.Logging.Format format) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    OutputStreamAppender<ILoggingEvent> console = find(context.getLogger(Logger.ROOT_LOGGER_NAME), CONSOLE);
    if (console == null) {
      return;
    }
    @SuppressWarnings("unchecked")
    Encoder<ILoggingEvent> original = (Encoder<ILoggingEvent>) context.getObject(ORIGINAL_ENCODER);
    Encoder<ILoggingEvent> wanted;
    if (format == GatewaySettings.Logging.Format.JSON) {
      if (console.getEncoder() instanceof JsonLogEncoder) {
        return;
      }
      context.putObject(ORIGINAL_ENCODER, console.getEncoder());
      JsonLogEncoder json = new JsonLogEncoder();
      json.setContext(context);
      json.start();
      wanted = json;
    } else if (original != null && console.getEncoder() instanceof JsonLogEncoder) {
      wanted = original;
    } else {
      return;
    }
    console.stop();
    console.setEncoder(wanted);
    console.start();
  }

  /**
   * Sends every log line to the OpenTelemetry logs pipeline when {@code observability} exports logs
   * ({@code OTEL_LOGS_EXPORTER}); closing the result detaches it (before the pipeline shuts down).
   */
  public static AutoCloseable exportTo(Observability observability) {
    if (!observability.enabled() || !observability.config().logs().enabled()
        || observability.config().logs().exporters().stream().allMatch("none"::equals)
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return () -> {};
    }
    OtlpLogAppender appender = new OtlpLogAppender(observability.openTelemetry().getLogsBridge());
    appender.setContext(context);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    return () -> {
      root.detachAppender(appender);
      appender.stop();
    };
  }

  /** The output-stream appender named {@code name} under {@code attachable}, looking through wrapping appenders. */
  @SuppressWarnings("unchecked")
  private static OutputStreamAppender<ILoggingEvent> find(AppenderAttachable<ILoggingEvent> attachable, String name) {
    for (Iterator<Appender<ILoggingEvent>> it = attachable.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> a = it.next();
      if (name.equals(a.getName()) && a instanceof OutputStreamAppender<?> out) {
        return (OutputStreamAppender<ILoggingEvent>) out;
      }
      if (a instanceof AppenderAttachable<?> nested) {
        OutputStreamAppender<ILoggingEvent> found = find((AppenderAttachable<ILoggingEvent>) nested, name);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
