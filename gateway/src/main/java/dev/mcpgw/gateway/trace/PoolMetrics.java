package dev.mcpgw.gateway.trace;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry database's connection pool, as the database client conventions name it:
 * {@code db.client.connection.count} by {@code db.client.connection.state} ({@code idle}, {@code used}),
 * {@code db.client.connection.max} and {@code db.client.connection.pending_requests}, each by
 * {@code db.client.connection.pool.name}. Read from the pool when metrics are collected; closing removes them.
 */
final class PoolMetrics implements AutoCloseable {
  static final AttributeKey<String> POOL = AttributeKey.stringKey("db.client.connection.pool.name");
  static final AttributeKey<String> STATE = AttributeKey.stringKey("db.client.connection.state");

  private final List<AutoCloseable> instruments = new ArrayList<>();

  PoolMetrics(HikariDataSource pool, Meter meter) {
    Attributes name = Attributes.of(POOL, pool.getPoolName());
    Attributes idle = name.toBuilder().put(STATE, "idle").build();
    Attributes used = name.toBuilder().put(STATE, "used").build();
    instruments.add(meter.upDownCounterBuilder("db.client.connection.count").setUnit("{connection}")
        .setDescription("Connections of the registry database pool, by state").buildWithCallback(m -> {
          HikariPoolMXBean bean = pool.getHikariPoolMXBean();
          if (bean != null) {
            m.record(bean.getIdleConnections(), idle);
            m.record(bean.getActiveConnections(), used);
          }
        }));
    instruments.add(meter.upDownCounterBuilder("db.client.connection.max").setUnit("{connection}")
        .setDescription("The most connections the registry database pool opens")
        .buildWithCallback(m -> m.record(pool.getMaximumPoolSize(), name)));
    instruments.add(meter.upDownCounterBuilder("db.client.connection.pending_requests").setUnit("{request}")
        .setDescription("Requests waiting for a connection of the registry database pool").buildWithCallback(m -> {
          HikariPoolMXBean bean = pool.getHikariPoolMXBean();
          if (bean != null) {
            m.record(bean.getThreadsAwaitingConnection(), name);
          }
        }));
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable i : instruments) {
      i.close();
    }
  }
}
