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

  @Option(names = "--admin", description = "a tenant admin: registers, changes and deletes the tenant's own entities (claim role=tenant_admin)")
  boolean admin;

  @Option(names = "--platform-admin",
      description = "the platform operator: sees every tenant's entities and shares them across tenants (claim role=platform_admin)")
  boolean platformAdmin;

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
    if (ttl.compareTo(settings.jwt().maxLifetime()) > 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--expires " + expires + " is longer than "
          + TokenService.MAX_LIFETIME_SETTING + " allows (" + settings.jwt().maxLifetime() + "); ask for less, or raise "
          + TokenService.MAX_LIFETIME_SETTING + " on the gateway and here");
    }
    TokenService tokens = TokenService.create(JwtSecret.resolve(settings), settings.jwt());
    Caller.Role role = platformAdmin ? Caller.Role.PLATFORM_ADMIN : admin ? Caller.Role.TENANT_ADMIN : Caller.Role.USER;
    spec.commandLine().getOut().println(tokens.issue(new Caller(user, tenant, role), ttl));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
