package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.InvalidSettingException;
import dev.mcpgw.gateway.store.PostgresExtension;
import dev.mcpgw.gateway.store.TestDatabases;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.observability.Observability;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "upstream credentials exposed": the secrets of registered upstreams (header values, URL userinfo and
 * query, stdio env values and args) are in neither the SQLite file, its WAL nor PostgreSQL's columns; answers mask
 * them for admins and hide how an upstream runs from users; the database files are owner-only; and the gateway still
 * connects, before and after a restart, because it decrypts them.
 */
@ExtendWith(PostgresExtension.class)
class SecretsAtRestSecurityTest {
  private static final String URL_USER = "urluser-7f3a";
  private static final String URL_PASSWORD = "urlpass-Q9x2";
  private static final String QUERY_SECRET = "querykey-Z81k";
  private static final String HEADER_SECRET = "headertoken-M4p0";
  private static final String HEADER_KEY_SECRET = "headerkey-B6w1";
  private static final String ENV_SECRET = "envsecret-H2d8";
  private static final String ARG_SECRET = "argsecret-K5r3";
  private static final List<String> SECRETS = List.of(URL_USER, URL_PASSWORD, QUERY_SECRET, HEADER_SECRET,
      HEADER_KEY_SECRET, ENV_SECRET, ARG_SECRET);

  @TempDir Path tmp;
  private EverythingServer everything;
  private final List<TestGateway> gateways = new ArrayList<>();

  @BeforeEach
  void startUpstream() {
    everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
  }

  @AfterEach
  void stop() {
    gateways.forEach(TestGateway::close);
    everything.close();
  }

  private TestGateway start(Path dataDir, GatewaySettings.Database db, Map<String, String> env) throws Exception {
    TestGateway gw = TestGateway.start(TestGateway.settings(dataDir, db, env),
        GatewayApplication.Parts.production().withObservability(s -> Observability.noop()));
    gateways.add(gw);
    return gw;
  }

  private static GatewaySettings.Database sqlite(Path dataDir) {
    return new GatewaySettings.Database("jdbc:sqlite:" + dataDir.resolve("mcpgw.db"), null, null, 2);
  }

  private String httpRegistration() throws Exception {
    String url = "http://" + URL_USER + ":" + URL_PASSWORD + "@127.0.0.1:" + everything.port() + "/mcp?api_key="
        + QUERY_SECRET + "&mode=full";
    return TestGateway.JSON.writeValueAsString(Map.of("name", "ev-http", "transport", "streamablehttp", "url", url,
        "headers", Map.of("Authorization", "Bearer " + HEADER_SECRET, "X-Api-Key", HEADER_KEY_SECRET)));
  }

  private static String stdioRegistration() throws Exception {
    List<String> cmd = NodePeers.everythingStdio();
    List<String> args = new ArrayList<>(cmd.subList(1, cmd.size()));
    args.add("--token=" + ARG_SECRET); // server-everything ignores what follows its transport argument
    return TestGateway.JSON.writeValueAsString(Map.of("name", "ev-stdio", "transport", "stdio", "command", cmd.get(0),
        "args", args, "env", Map.of("EVERYTHING_TOKEN", ENV_SECRET), "tenant", "acme"));
  }

  private static void assertNoSecretIn(String where, String text) {
    for (String secret : SECRETS) {
      // a boolean, so that a failure names the secret without printing the file's bytes
      assertThat(text.contains(secret)).as(where + " holds " + secret).isFalse();
    }
  }

  private static String bytesOf(Path file) throws Exception {
    return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1) : "";
  }

  private static void awaitHealthy(TestGateway gw, int upstreams) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      JsonNode list = gw.get("/gateways", gw.platformAdminToken());
      assertThat(list).hasSize(upstreams);
      list.forEach(g -> assertThat(g.path("status").asText()).as(g.toString()).isEqualTo("healthy"));
    });
  }

  @Test
  void noSecretIsInTheSqliteFileNorItsWalAndTheUpstreamsReconnectAfterARestart() throws Exception {
    Path data = tmp.resolve("data");
    TestGateway gw = start(data, sqlite(data), Map.of());
    assertThat(gw.post("/gateways", httpRegistration()).path("status").asText()).isEqualTo("healthy");
    assertThat(gw.post("/gateways", stdioRegistration(), gw.platformAdminToken()).path("status").asText()).isEqualTo("healthy");

    assertThat(data.resolve("mcpgw.db-wal")).exists();
    assertNoSecretIn("mcpgw.db", bytesOf(data.resolve("mcpgw.db")));
    assertNoSecretIn("mcpgw.db-wal", bytesOf(data.resolve("mcpgw.db-wal")));

    gw.close();
    gateways.remove(gw);
    TestGateway again = start(data, sqlite(data), Map.of());

    awaitHealthy(again, 2);
    assertNoSecretIn("mcpgw.db", bytesOf(data.resolve("mcpgw.db")));
    assertNoSecretIn("mcpgw.db-wal", bytesOf(data.resolve("mcpgw.db-wal")));
  }

  @Test
  void answersMaskTheSecretsForAnAdminAndHideHowAnUpstreamRunsFromAUser() throws Exception {
    Path data = tmp.resolve("data");
    TestGateway gw = start(data, sqlite(data), Map.of());
    HttpResponse<String> created = gw.send("POST", "/gateways", gw.adminToken(), httpRegistration());
    HttpResponse<String> createdStdio = gw.send("POST", "/gateways", gw.platformAdminToken(), stdioRegistration());
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(createdStdio.statusCode()).isEqualTo(201);
    String httpId = TestGateway.JSON.readTree(created.body()).path("id").asText();
    String stdioId = TestGateway.JSON.readTree(createdStdio.body()).path("id").asText();
    String userToken = gw.app.tokens().issue(new Caller("alice", "acme", false), Duration.ofMinutes(5));

    for (String path : List.of("/gateways", "/gateways/" + httpId, "/gateways/" + stdioId)) {
      HttpResponse<String> asAdmin = gw.send("GET", path, gw.adminToken(), null);
      HttpResponse<String> asUser = gw.send("GET", path, userToken, null);
      assertThat(asAdmin.statusCode()).isEqualTo(200);
      assertThat(asUser.statusCode()).isEqualTo(200);
      // the admins who own an upstream see its args (how it is run); every other secret is masked even for them
      assertNoSecretIn("GET " + path + " as an admin", asAdmin.body().replace(ARG_SECRET, ""));
      assertNoSecretIn("GET " + path + " as a user", asUser.body());
    }
    assertNoSecretIn("POST /gateways", (created.body() + createdStdio.body()).replace(ARG_SECRET, ""));

    JsonNode http = TestGateway.JSON.readTree(gw.send("GET", "/gateways/" + httpId, gw.adminToken(), null).body());
    assertThat(http.path("url").asText())
        .isEqualTo("http://****:****@127.0.0.1:" + everything.port() + "/mcp?api_key=****&mode=****");
    assertThat(http.path("headers").path("Authorization").asText()).isEqualTo("****");
    assertThat(http.path("headers").path("X-Api-Key").asText()).isEqualTo("****");
    JsonNode stdio = TestGateway.JSON.readTree(gw.send("GET", "/gateways/" + stdioId, gw.adminToken(), null).body());
    assertThat(stdio.path("env").path("EVERYTHING_TOKEN").asText()).isEqualTo("****");
    assertThat(stdio.path("command").asText()).isNotBlank();
    assertThat(stdio.path("args")).extracting(JsonNode::asText).contains("--token=" + ARG_SECRET);

    JsonNode asUser = TestGateway.JSON.readTree(gw.send("GET", "/gateways/" + stdioId, userToken, null).body());
    assertThat(asUser.path("name").asText()).isEqualTo("ev-stdio");
    assertThat(asUser.path("command").isNull()).isTrue();
    assertThat(asUser.path("args").isNull()).isTrue();
    assertThat(asUser.path("env").isNull()).isTrue();
    JsonNode httpAsUser = TestGateway.JSON.readTree(gw.send("GET", "/gateways/" + httpId, userToken, null).body());
    assertThat(httpAsUser.path("headers").isNull()).isTrue();
    assertThat(httpAsUser.path("url").asText()).isEqualTo(http.path("url").asText());
  }

  @Test
  void theDataDirectoryIs0700AndTheDatabaseItsWalAndShm0600() throws Exception {
    Path data = tmp.resolve("data");
    TestGateway gw = start(data, sqlite(data), Map.of());
    gw.post("/gateways", httpRegistration());

    assertThat(mode(data)).isEqualTo("rwx------");
    for (String file : List.of("mcpgw.db", "mcpgw.db-wal", "mcpgw.db-shm", "secret.key")) {
      assertThat(data.resolve(file)).exists();
      assertThat(mode(data.resolve(file))).as(file).isEqualTo("rw-------");
    }
  }

  @Test
  void aDatabaseFileOfAnOlderVersionWithMode0644IsMadeOwnerOnly() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.createFile(data.resolve("mcpgw.db"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-r--r--")));

    start(data, sqlite(data), Map.of());

    assertThat(mode(data.resolve("mcpgw.db"))).isEqualTo("rw-------");
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void plaintextRowsOfAnOlderVersionAreEncryptedAtStartUpAndStillConnect() throws Exception {
    Path data = tmp.resolve("data");
    start(data, sqlite(data), Map.of()).close();
    gateways.clear();
    String url = "http://" + URL_USER + ":" + URL_PASSWORD + "@127.0.0.1:" + everything.port() + "/mcp?api_key="
        + QUERY_SECRET;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("mcpgw.db"));
        Statement st = c.createStatement()) {
      // a row as the version before encryption at rest wrote it
      st.executeUpdate("INSERT INTO gateways (id, name, transport, url, command, args_json, env_json, headers_json, "
          + "created_at) VALUES ('legacy-1', 'legacy', 'streamablehttp', '" + url + "', NULL, '[]', '{}', "
          + "'{\"Authorization\":\"Bearer " + HEADER_SECRET + "\"}', 0)");
    }
    assertThat((bytesOf(data.resolve("mcpgw.db")) + bytesOf(data.resolve("mcpgw.db-wal"))).contains(HEADER_SECRET))
        .as("the plaintext row is in the file before the gateway starts").isTrue();

    TestGateway gw = start(data, sqlite(data), Map.of());

    assertNoSecretIn("mcpgw.db", bytesOf(data.resolve("mcpgw.db")));
    assertNoSecretIn("mcpgw.db-wal", bytesOf(data.resolve("mcpgw.db-wal")));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("mcpgw.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT url, args_json, env_json, headers_json FROM gateways")) {
      assertThat(rs.next()).isTrue();
      for (int i = 1; i <= 4; i++) {
        assertThat(rs.getString(i)).startsWith("enc:v1:");
      }
    }
    awaitHealthy(gw, 1);
  }

  @Test
  void aWrongKeyStopsStartUpNamingTheSetting() throws Exception {
    Path data = tmp.resolve("data");
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    byte[] other = new byte[32];
    other[0] = 1;
    start(data, sqlite(data), Map.of("MCPGW_SECRET_KEY", key)).post("/gateways", httpRegistration());
    gateways.forEach(TestGateway::close);
    gateways.clear();

    assertThatThrownBy(() -> start(data, sqlite(data),
        Map.of("MCPGW_SECRET_KEY", Base64.getEncoder().encodeToString(other))))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo("MCPGW_SECRET_KEY"))
        .satisfies(e -> assertNoSecretIn("the error", e.getMessage()))
        .hasMessageNotContaining(key);

    awaitHealthy(start(data, sqlite(data), Map.of("MCPGW_SECRET_KEY", key)), 1);
  }

  @Test
  void noSecretIsInPostgresqlsColumns(TestDatabases dbs) throws Exception {
    GatewaySettings.Database pg = dbs.create(TestDatabases.Kind.POSTGRESQL, tmp);
    TestGateway gw = start(tmp.resolve("data"), pg, Map.of());
    assertThat(gw.post("/gateways", httpRegistration()).path("status").asText()).isEqualTo("healthy");
    assertThat(gw.post("/gateways", stdioRegistration(), gw.platformAdminToken()).path("status").asText()).isEqualTo("healthy");

    StringBuilder stored = new StringBuilder();
    try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), "");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM gateways")) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          stored.append(rs.getString(i)).append('\n');
        }
        for (String column : List.of("url", "args_json", "env_json", "headers_json")) {
          if (!"url".equals(column) || !"stdio".equals(rs.getString("transport"))) {
            assertThat(rs.getString(column)).as(column).startsWith("enc:v1:");
          }
        }
      }
    }
    assertNoSecretIn("PostgreSQL's gateways rows", stored.toString());
    awaitHealthy(gw, 2);
  }
}
