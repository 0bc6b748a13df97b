package dev.beesting.agent;

import dev.beesting.agent.node.NodeCommand;
import dev.beesting.agent.standalone.StandaloneCommand;
import dev.beesting.api.BuildInfo;
import dev.beesting.logging.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the node agent. */
@Command(
        name = "beesting-agent",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Beesting node agent: plants honeytokens and reports every open of them.",
        subcommands = {StandaloneCommand.class, NodeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Accepted before or after the subcommand; applied as soon as it is parsed, before the command runs. */
    @CommandLine.Option(
            names = "--log-format",
            paramLabel = "text|json",
            scope = CommandLine.ScopeType.INHERIT,
            description = "log lines on stderr as text (default) or one JSON object per line")
    void logFormat(LogFormat format) {
        format.apply();
    }

    /** {@code --version}: the build's version, from the build itself. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"beesting-agent " + BuildInfo.version()};
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (2 for usage errors, as picocli does). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
