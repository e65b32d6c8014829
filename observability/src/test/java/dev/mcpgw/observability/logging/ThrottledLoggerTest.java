package dev.mcpgw.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledLoggerTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.mcpgw.test.throttled");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final AtomicLong now = new AtomicLong(-5_000);
  private final ThrottledLogger log = ThrottledLogger.of(logger, INTERVAL, now::get);

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
  void logsOneLinePerKeyPerIntervalAndReportsTheLeftOutCountOnTheNextLine() {
    for (int i = 0; i < 100; i++) {
      log.warn("upstream '{}' sent an event that is not JSON; ignored", "u" + i);
    }
    log.warn("sweep failed: {}", "boom");
    now.addAndGet(INTERVAL.toNanos() - 1);
    log.warn("upstream '{}' sent an event that is not JSON; ignored", "late");
    now.addAndGet(1);
    log.warn("upstream '{}' sent an event that is not JSON; ignored", "again");
    now.addAndGet(INTERVAL.toNanos());
    log.warn("upstream '{}' sent an event that is not JSON; ignored", "quiet");

    assertThat(lines()).containsExactly(
        "upstream 'u0' sent an event that is not JSON; ignored",
        "sweep failed: boom",
        "upstream 'again' sent an event that is not JSON; ignored (100 similar lines not logged)",
        "upstream 'quiet' sent an event that is not JSON; ignored");
  }

  @Test
  void explicitKeysThrottleApartEvenWithTheSamePattern() {
    for (int i = 0; i < 3; i++) {
      log.warnFor("flaky/failed", "plugin '{}' failed", "flaky");
      log.warnFor("other/failed", "plugin '{}' failed", "other");
    }
    now.addAndGet(INTERVAL.toNanos());
    log.warnFor("flaky/failed", "plugin '{}' failed", "flaky");

    assertThat(lines()).containsExactly("plugin 'flaky' failed", "plugin 'other' failed",
        "plugin 'flaky' failed (2 similar lines not logged)");
  }

  @Test
  void aTrailingThrowableKeepsItsStackAndTheCountGoesIntoTheMessage() {
    log.warn("MCP {} failed inside the gateway", "tools/call", new IllegalStateException("first"));
    log.warn("MCP {} failed inside the gateway", "tools/call", new IllegalStateException("second"));
    now.addAndGet(INTERVAL.toNanos());
    log.warn("MCP {} failed inside the gateway", "tools/list", new IllegalStateException("third"));

    assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "MCP tools/call failed inside the gateway",
        "MCP tools/list failed inside the gateway (1 similar lines not logged)");
    assertThat(appender.list).extracting(e -> e.getThrowableProxy().getMessage()).containsExactly("first", "third");
  }

  @Test
  void infoLinesFollowTheSameRuleAtTheirOwnLevel() {
    log.info("upstream '{}' stderr: {}", "u", "one");
    log.info("upstream '{}' stderr: {}", "u", "two");

    assertThat(appender.list).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.INFO);
      assertThat(e.getFormattedMessage()).isEqualTo("upstream 'u' stderr: one");
    });
  }

  @Test
  void keysBeyondTheCapShareOneWindowSoCallersCannotGrowTheMap() {
    for (int i = 0; i < ThrottledLogger.MAX_KEYS + 50; i++) {
      log.warnFor("key-" + i, "line {}", i);
    }

    assertThat(lines()).hasSize(ThrottledLogger.MAX_KEYS + 1)
        .endsWith("line " + ThrottledLogger.MAX_KEYS);
  }

  private java.util.List<String> lines() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
