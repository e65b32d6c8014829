package dev.mcpgw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code plugins:} section of {@code config/mcpgw.yaml} as {@code mcpgw serve} reads it, in its own process. */
class PluginConfigCliTest {
  @TempDir Path tmp;

  @Test
  void anInvalidPluginEntryStopsServeWithOneLineNamingTheKeyPath() throws Exception {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/mcpgw.yaml"), """
        plugins:
          - name: limit
            kind: rate_limiter
            config:
              limit: 10/1s
          - name: deny
            kind: deny_list
            mode: strict
            config:
              tools: [shell-*]
        """);

    CliProcess serve = CliProcess.start(tmp, Map.of("MCPGW_DATA_DIR", tmp.resolve("data").toString()),
        "serve", "--port", "0");

    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.stderr())
        .contains("mcpgw: invalid configuration: plugins[1].mode: 'strict' is not one of enforce, permissive, disabled")
        .doesNotContain("\tat ");
    assertThat(tmp.resolve("data/mcpgw.db")).as("nothing was opened before the check").doesNotExist();
  }

  @Test
  void aValidPluginsSectionStartsTheGateway() throws Exception {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/mcpgw.yaml"), """
        plugins:
          - kind: pii_filter
          - kind: rate_limiter
            config: {limit: 100/1m}
        """);

    try (CliProcess serve = CliProcess.start(tmp, Map.of("MCPGW_DATA_DIR", tmp.resolve("data").toString()),
        "serve", "--port", "0")) {
      assertThat(serve.awaitBaseUrl()).startsWith("http://127.0.0.1:");
    }
  }
}
