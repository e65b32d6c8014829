package dev.mcpgw.gateway.store;

import org.jdbi.v3.core.statement.SqlLogger;

/**
 * Told of the registry database's statements (the {@code db.client.operation.duration} metric): those run through
 * {@link Database#jdbi()} and {@link Database#untracedJdbi()} as Jdbi's {@link SqlLogger}, and those a hot path runs
 * over plain JDBC (the span store's batch insert) through {@link #executed}. Must not throw.
 */
public interface StatementObserver extends SqlLogger {
  StatementObserver NONE = new StatementObserver() {};

  /** A statement run over plain JDBC took {@code nanos}; {@code failure} is its exception, or {@code null}. */
  default void executed(String sql, long nanos, Exception failure) {}
}
