package dev.mcpgw.gateway.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("test.throttled");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final AtomicLong now = new AtomicLong(1_000);

  @BeforeEach
  void attach() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(appender);
  }

  @Test
  void logsOncePerIntervalPerKeyAndCountsWhatItLeftOut() {
    ThrottledLog log = new ThrottledLog(logger, now::get);

    for (int i = 0; i < 100; i++) {
      log.warn("flaky/failed", "plugin '{}' failed", "flaky");
    }
    log.warn("other/failed", "plugin '{}' failed", "other");
    now.addAndGet(ThrottledLog.INTERVAL_NANOS);
    log.warn("flaky/failed", "plugin '{}' failed", "flaky");

    assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "plugin 'flaky' failed",
        "plugin 'other' failed",
        "plugin 'flaky' failed (99 more since the last such line)");
  }

  @Test
  void failingPluginOnEveryRequestLogsOnceAndNeverItsExceptionMessage() {
    Logger chainLogger = (Logger) LoggerFactory.getLogger(OrderedPluginChain.class);
    chainLogger.addAppender(appender);
    try {
      PluginChain chain = TestPlugins.chain(TestPlugins.configured("leaky", 1,
          TestPlugins.plugin(false, (h, c, p) -> {
            throw new IllegalStateException("token=abc123");
          })));
      for (int i = 0; i < 50; i++) {
        chain.run(Hook.TOOL_PRE_INVOKE, TestPlugins.ALICE, TestPlugins.toolCall("echo"));
      }
    } finally {
      chainLogger.detachAppender(appender);
    }

    assertThat(appender.list).singleElement().satisfies(e -> {
      assertThat(e.getFormattedMessage()).contains("plugin 'leaky' failed at tool_pre_invoke")
          .contains("IllegalStateException").doesNotContain("abc123");
      assertThat(e.getThrowableProxy()).isNull();
    });
  }
}
