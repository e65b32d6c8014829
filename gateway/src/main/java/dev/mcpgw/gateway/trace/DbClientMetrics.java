package dev.mcpgw.gateway.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.semconv.ErrorAttributes;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.mcpgw.gateway.store.StatementObserver;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@code db.client.operation.duration} (seconds) as the database client conventions define it, for every statement
 * run through the registry database's Jdbi (the registry, the span store, usage): by {@code db.system.name}
 * ({@code sqlite}, {@code postgresql}), {@code db.operation.name} (the statement's first keyword: {@code SELECT},
 * {@code INSERT}, ...), {@code db.collection.name} (the table it reads or writes, when the text names one) and
 * {@code error.type} (the exception's class) when it failed; the span store's batch insert, which runs over plain
 * JDBC, reports through {@link #executed}. Every label is bounded by the gateway's own statement
 * texts, never by data: values are bound as parameters and the labels of a text are parsed once and kept (up to
 * {@link #KEPT} texts; beyond that they are parsed each time, not kept). Jdbi times the statement's execution, not the
 * reading of its rows.
 */
final class DbClientMetrics implements StatementObserver {
  static final String NAME = "db.client.operation.duration";
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("db.collection.name");
  static final int KEPT = 1_000;
  // the conventions' advice for this instrument
  private static final List<Double> BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);
  private static final Pattern TABLE =
      Pattern.compile("\\b(?:from|into|update|table)\\s+(?:if\\s+(?:not\\s+)?exists\\s+)?\"?([a-z_][a-z0-9_]*)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern KEYWORD = Pattern.compile("^\\s*([A-Za-z]+)");

  private final DoubleHistogram duration;
  private final String system;
  private final Map<String, Attributes> labels = new ConcurrentHashMap<>();

  DbClientMetrics(Meter meter, String system) {
    this.system = system;
    this.duration = meter.histogramBuilder(NAME).setUnit("s").setDescription("Duration of database client operations")
        .setExplicitBucketBoundariesAdvice(BUCKETS).build();
  }

  @Override
  public void logAfterExecution(StatementContext context) {
    record(context, null);
  }

  @Override
  public void logException(StatementContext context, SQLException e) {
    record(context, e);
  }

  @Override
  public void executed(String sql, long nanos, Exception failure) {
    try {
      Attributes a = labels(sql);
      if (failure != null) {
        a = a.toBuilder().put(ErrorAttributes.ERROR_TYPE, failure.getClass().getName()).build();
      }
      duration.record(nanos / 1e9, a);
    } catch (RuntimeException e) {
      // telemetry only
    }
  }

  private void record(StatementContext context, SQLException failure) {
    try {
      if (context.getExecutionMoment() == null) {
        return;
      }
      Attributes a = labels(context.getRenderedSql());
      if (failure != null) {
        a = a.toBuilder().put(ErrorAttributes.ERROR_TYPE, failure.getClass().getName()).build();
      }
      duration.record(context.getElapsedTime(ChronoUnit.NANOS) / 1e9, a);
    } catch (RuntimeException e) {
      // telemetry only: the statement's outcome stands
    }
  }

  /** The labels of a statement text, parsed once per text. */
  Attributes labels(String sql) {
    String text = sql == null ? "" : sql;
    Attributes known = labels.get(text);
    if (known != null) {
      return known;
    }
    Attributes parsed = parse(text);
    if (labels.size() < KEPT) {
      labels.putIfAbsent(text, parsed);
    }
    return parsed;
  }

  private Attributes parse(String sql) {
    AttributesBuilder a = Attributes.builder().put(SYSTEM, system);
    Matcher keyword = KEYWORD.matcher(sql);
    if (keyword.find()) {
      a.put(OPERATION, keyword.group(1).toUpperCase(Locale.ROOT));
    }
    Matcher table = TABLE.matcher(sql);
    if (table.find()) {
      a.put(COLLECTION, table.group(1).toLowerCase(Locale.ROOT));
    }
    return a.build();
  }
}
