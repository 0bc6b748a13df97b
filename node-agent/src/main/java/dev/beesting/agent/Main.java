package dev.beesting.agent;

import dev.beesting.agent.node.NodeCommand;
import dev.beesting.agent.standalone.StandaloneCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the node agent. */
@Command(
        name = "beesting-agent",
        mixinStandardHelpOptions = true,
        description = "Beesting node agent: plants honeytokens and reports every open of them.",
        subcommands = {StandaloneCommand.class, NodeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (2 for usage errors, as picocli does). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
