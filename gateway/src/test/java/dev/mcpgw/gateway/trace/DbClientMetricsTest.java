package dev.mcpgw.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbClientMetricsTest {
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
  @TempDir Path tmp;

  private List<HistogramPointData> points() {
    return reader.collectAllMetrics().stream().filter(m -> m.getName().equals("db.client.operation.duration"))
        .flatMap(m -> m.getHistogramData().getPoints().stream()).toList();
  }

  @Test
  void statementsOfARealSqliteDatabaseAreTimedByOperationAndTableWithoutTheirValues() {
    Jdbi jdbi = Jdbi.create("jdbc:sqlite:" + tmp.resolve("t.db"));
    jdbi.setSqlLogger(new DbClientMetrics(provider.get("test"), "sqlite"));
    jdbi.useHandle(h -> {
      h.execute("CREATE TABLE things (name TEXT PRIMARY KEY)");
      h.createUpdate("INSERT INTO things (name) VALUES (:n)").bind("n", "secret-value").execute();
      h.createQuery("SELECT name FROM things WHERE name = :n").bind("n", "secret-value").mapTo(String.class).list();
    });
    assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("INSERT INTO things (name) VALUES ('secret-value')")))
        .isNotNull();

    assertThat(points()).extracting(HistogramPointData::getAttributes).containsExactlyInAnyOrder(
        labels("CREATE", null), labels("INSERT", null), labels("SELECT", null),
        labels("INSERT", "org.sqlite.SQLiteException"));
    assertThat(points().toString()).doesNotContain("secret-value");
  }

  @Test
  void theLabelsOfAStatementNameItsFirstKeywordAndTheTableItTouches() {
    DbClientMetrics metrics = new DbClientMetrics(provider.get("test"), "postgresql");
    assertThat(metrics.labels("  delete from spans where start_ns < ?").get(DbClientMetrics.COLLECTION))
        .isEqualTo("spans");
    assertThat(metrics.labels("UPDATE gateways SET name = ?").get(DbClientMetrics.OPERATION)).isEqualTo("UPDATE");
    assertThat(metrics.labels("PRAGMA wal_checkpoint(TRUNCATE)").asMap())
        .containsOnlyKeys(DbClientMetrics.SYSTEM, DbClientMetrics.OPERATION);
  }

  @Test
  void aStatementRunOverPlainJdbcIsMeasuredTheSameWay() {
    DbClientMetrics metrics = new DbClientMetrics(provider.get("test"), "sqlite");
    metrics.executed("INSERT INTO things (name) VALUES (?)", 3_000_000, null);
    metrics.executed("INSERT INTO things (name) VALUES (?)", 1_000_000, new java.sql.SQLException("locked"));

    assertThat(points()).extracting(HistogramPointData::getAttributes)
        .containsExactlyInAnyOrder(labels("INSERT", null), labels("INSERT", "java.sql.SQLException"));
  }

  private static Attributes labels(String operation, String error) {
    var b = Attributes.builder().put(DbClientMetrics.SYSTEM, "sqlite").put(DbClientMetrics.OPERATION, operation)
        .put(DbClientMetrics.COLLECTION, "things");
    if (error != null) {
      b.put(AttributeKey.stringKey("error.type"), error);
    }
    return b.build();
  }
}
