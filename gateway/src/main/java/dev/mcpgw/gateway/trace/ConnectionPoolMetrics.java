package dev.mcpgw.gateway.trace;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import javax.sql.DataSource;

/**
 * The {@code database} metrics collector: the registry's connection pool as the OpenTelemetry database conventions
 * name it, read when metrics are collected (nothing on the request path): {@code db.client.connection.count} by
 * {@code db.client.connection.state} ({@code idle}, {@code used}), {@code db.client.connection.max} and
 * {@code db.client.connection.pending_requests}, each with {@code db.client.connection.pool.name}.
 */
final class ConnectionPoolMetrics {
  static final AttributeKey<String> POOL_NAME = AttributeKey.stringKey("db.client.connection.pool.name");
  static final AttributeKey<String> STATE = AttributeKey.stringKey("db.client.connection.state");

  private ConnectionPoolMetrics() {}

  /** Registers the pool's instruments when {@code dataSource} is a HikariCP pool; returns it unchanged. */
  static DataSource register(Meter meter, DataSource dataSource) {
    if (!(dataSource instanceof HikariDataSource pool)) {
      return dataSource;
    }
    Attributes name = Attributes.of(POOL_NAME, String.valueOf(pool.getPoolName()));
    Attributes idle = name.toBuilder().put(STATE, "idle").build();
    Attributes used = name.toBuilder().put(STATE, "used").build();
    meter.upDownCounterBuilder("db.client.connection.count").setUnit("{connection}")
        .setDescription("Connections of the registry's pool, by state.")
        .buildWithCallback(m -> {
          HikariPoolMXBean bean = pool.getHikariPoolMXBean();
          if (bean != null) {
            m.record(bean.getIdleConnections(), idle);
            m.record(bean.getActiveConnections(), used);
          }
        });
    meter.upDownCounterBuilder("db.client.connection.max").setUnit("{connection}")
        .setDescription("The most connections the registry's pool opens.")
        .buildWithCallback(m -> m.record(pool.getMaximumPoolSize(), name));
    meter.upDownCounterBuilder("db.client.connection.pending_requests").setUnit("{request}")
        .setDescription("Requests waiting for a connection of the registry's pool.")
        .buildWithCallback(m -> {
          HikariPoolMXBean bean = pool.getHikariPoolMXBean();
          if (bean != null) {
            m.record(bean.getThreadsAwaitingConnection(), name);
          }
        });
    return pool;
  }
}
