package dev.mcpgw.gateway.store;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link PostgresServer}, started once per test run and stopped when the run ends. Fails (never skips)
 * when the PostgreSQL binaries are missing.
 */
public final class PostgresExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresExtension.class);

  /** The shared server, started on first use; closed by JUnit when the root context closes. */
  static PostgresServer server(ExtensionContext context) {
    return context.getRoot().getStore(NS).getOrComputeIfAbsent("server", k -> {
      try {
        return PostgresServer.start();
      } catch (Exception e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }, PostgresServer.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == TestDatabases.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return new TestDatabases(() -> server(e));
  }
}
