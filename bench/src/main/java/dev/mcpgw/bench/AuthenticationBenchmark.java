package dev.mcpgw.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.mcpgw.gateway.auth.Authenticator;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.auth.TokenService;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.SettingsLoader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The authentication of one request (issue 15): {@link Authenticator#authenticate} of the {@code Authorization}
 * header of a request carrying the gateway's own HS256 token, and of one carrying an RS256 access token of an
 * identity provider (its JWKS served on a loopback port, fetched once). {@code cache} is the value of
 * {@code MCPGW_AUTH_CACHE_SIZE}: {@code default} leaves it unset (on), {@code 0} turns the cache of verified tokens
 * off, so every request is verified (parsed once).
 *
 * <p>Run: {@code bench/run-jmh AuthenticationBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AuthenticationBenchmark {
  private static final String SECRET = "bench-jwt-secret-0123456789-abcdefghijklmnop";

  @Param({"default"})
  public String cache;

  private HttpServer provider;
  private Authenticator authenticator;
  private String gatewayHeader;
  private String providerHeader;

  @Setup
  public void setUp() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    provider.createContext("/jwks", x -> {
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(200, jwks.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(jwks);
      }
    });
    provider.start();
    String issuer = "http://127.0.0.1:" + provider.getAddress().getPort();

    Map<String, String> env = new HashMap<>(Map.of("MCPGW_JWT_SECRET", SECRET, "MCPGW_OIDC_ISSUER", issuer,
        "MCPGW_OIDC_JWKS_URL", issuer + "/jwks", "MCPGW_OIDC_AUDIENCE", "https://mcp.example.com/mcp",
        "MCPGW_OIDC_TENANT", "acme"));
    if (!"default".equals(cache)) {
      env.put("MCPGW_AUTH_CACHE_SIZE", cache);
    }
    Path dir = Files.createTempDirectory("mcpgw-auth-bench");
    GatewaySettings settings = SettingsLoader.load(env, dir);
    TokenService tokens = TokenService.create(SECRET.getBytes(StandardCharsets.UTF_8), settings.jwt());
    authenticator = Authenticator.create(settings, tokens);

    gatewayHeader = "Bearer " + tokens.issue(new Caller("alice", "acme", Caller.Role.USER), Duration.ofHours(1));
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(JOSEObjectType.JWT)
        .build(), new JWTClaimsSet.Builder().issuer(issuer).subject("bob").audience(List.of(
            "https://mcp.example.com/mcp")).issueTime(new Date()).expirationTime(Date.from(Instant.now()
            .plus(Duration.ofHours(1)))).claim("roles", List.of("reader")).claim("scope", "mcp").build());
    jwt.sign(new RSASSASigner(key));
    providerHeader = "Bearer " + jwt.serialize();
    // both verify (and the provider's keys are fetched) before measuring
    authenticator.authenticate(gatewayHeader);
    authenticator.authenticate(providerHeader);
  }

  @TearDown
  public void tearDown() {
    provider.stop(0);
  }

  @Benchmark
  public Caller gatewayToken() throws Exception {
    return authenticator.authenticate(gatewayHeader);
  }

  @Benchmark
  public Caller providerToken() throws Exception {
    return authenticator.authenticate(providerHeader);
  }
}
