package dev.mcpgw.gateway.store;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 15 server for tests: initdb into a temporary directory and {@code postgres} on a free loopback
 * port, run as the {@code postgres} user (the server refuses root). One per test JVM, shared through
 * {@link PostgresExtension}; each test takes a fresh database from {@link #createDatabase()}.
 */
final class PostgresServer implements AutoCloseable {
  static final Path BIN = Path.of(System.getProperty("mcpgw.postgres.bin", "/usr/lib/postgresql/15/bin"));

  private final Path dir;
  private final int port;
  private final Process process;

  private PostgresServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  static PostgresServer start() throws IOException, InterruptedException {
    if (!Files.isExecutable(BIN.resolve("postgres")) || !Files.isExecutable(BIN.resolve("initdb"))) {
      throw new IllegalStateException("PostgreSQL 15 server binaries are missing under " + BIN
          + ": run .ci/run (it installs them) or `apt-get install postgresql-15`");
    }
    Path dir = Files.createTempDirectory("mcpgw-pg");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    }
    Path data = dir.resolve("data");
    Path log = dir.resolve("server.log");
    Process init = new ProcessBuilder(asPostgres(root, BIN.resolve("initdb").toString(), "-D", data.toString(),
            "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("initdb.log").toFile()).start();
    if (!init.waitFor(120, TimeUnit.SECONDS) || init.exitValue() != 0) {
      init.destroyForcibly();
      throw new IllegalStateException("initdb failed: " + Files.readString(dir.resolve("initdb.log")));
    }
    int port = freePort();
    Process server = new ProcessBuilder(asPostgres(root, BIN.resolve("postgres").toString(), "-D", data.toString(),
            "-p", Integer.toString(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=60"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PostgresServer pg = new PostgresServer(dir, port, server);
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> {
            if (!server.isAlive()) {
              throw new IllegalStateException("postgres exited: " + Files.readString(log));
            }
            try (Connection c = pg.connect("postgres")) {
              return c.isValid(1);
            }
          });
    } catch (RuntimeException e) {
      pg.close();
      throw new IllegalStateException("PostgreSQL did not start; its log: " + Files.readString(log), e);
    }
    return pg;
  }

  private static List<String> asPostgres(boolean root, String... command) {
    List<String> cmd = new ArrayList<>();
    if (root) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(command));
    return cmd;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), "postgres", "");
  }

  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A new empty database; returns its JDBC URL (user {@code postgres}, no password). */
  String createDatabase() throws SQLException {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      // runuser passes SIGTERM on, so postgres does a smart shutdown; wait for its children too
      process.descendants().forEach(ProcessHandle::destroy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }
}
