package dev.mcpgw.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.mcpgw.test.ratelimited");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final AtomicLong now = new AtomicLong();

  RateLimitedLogTest() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(lines);
  }

  @Test
  void logsTwentyLinesPerWindowAndCountsTheDroppedOnesInTheNextWindow() {
    RateLimitedLog log = new RateLimitedLog(logger, "upstream 'chatty' stderr:", now::get);
    for (int i = 0; i < 25; i++) {
      log.info("line " + i);
    }
    now.addAndGet(TimeUnit.SECONDS.toNanos(10));
    log.warn("after the pause");

    assertThat(lines.list).hasSize(21);
    assertThat(lines.list.get(0).getFormattedMessage()).isEqualTo("upstream 'chatty' stderr: line 0");
    assertThat(lines.list.get(20).getFormattedMessage())
        .isEqualTo("upstream 'chatty' stderr: after the pause (5 earlier lines dropped)");
  }
}
