package dev.mcpgw.gateway.cli;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.auth.JwtSecret;
import dev.mcpgw.gateway.auth.TokenService;
import dev.mcpgw.gateway.config.Durations;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.InvalidSettingException;
import dev.mcpgw.gateway.config.SettingsLoader;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mcpgw token}: prints a bearer token signed with the secret the server uses (same env, same data dir). */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Prints a bearer token for the gateway (signed with MCPGW_JWT_SECRET or <data dir>/jwt.secret).")
final class TokenCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--user", required = true, description = "the user id (claim sub)")
  String user;

  @Option(names = "--tenant", required = true, description = "the tenant id (claim tenant)")
  String tenant;

  @Option(names = "--admin", description = "allow registry writes (claim admin=true)")
  boolean admin;

  @Option(names = "--expires", defaultValue = "1h", description = "lifetime: 30m, 1h, 7d, ... (default ${DEFAULT-VALUE})")
  String expires;

  @Override
  public Integer call() {
    Duration ttl;
    try {
      ttl = Durations.parse("--expires", expires);
    } catch (InvalidSettingException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (user.isBlank() || tenant.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--user and --tenant must not be blank");
    }
    GatewaySettings settings = SettingsLoader.fromEnvironment();
    TokenService tokens = TokenService.create(JwtSecret.resolve(settings));
    spec.commandLine().getOut().println(tokens.issue(new Caller(user, tenant, admin), ttl));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
