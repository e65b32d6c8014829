package dev.mcpgw.gateway.cli;

import dev.mcpgw.gateway.config.InvalidSettingException;
import dev.mcpgw.observability.config.ObservabilityConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The jar's entry point. */
@Command(name = "mcpgw", mixinStandardHelpOptions = true, version = "mcpgw 0.1.0",
    description = "MCP Gateway: federates MCP servers behind one observable endpoint.",
    subcommands = {ServeCommand.class, TokenCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs a command line writing to {@code out} and {@code err}. */
  static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      // configuration errors name the key and the allowed values: one line, no stack trace
      if (e instanceof InvalidSettingException || e instanceof ObservabilityConfigException) {
        cmd.getErr().println("mcpgw: invalid configuration: " + e.getMessage());
        return 2;
      }
      cmd.getErr().println("mcpgw: " + cmd.getCommandName() + " failed: " + e.getMessage());
      return 1;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing command: try `mcpgw serve --demo` or `mcpgw token --user alice --tenant acme`");
  }
}
