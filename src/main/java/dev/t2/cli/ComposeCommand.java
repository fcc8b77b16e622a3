package dev.t2.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code t2 compose}: CALM, two frozen models composed through learned cross-attention. */
@Command(name = "compose", mixinStandardHelpOptions = true,
        description = "Compose a frozen anchor model with a frozen augmenting model through learned cross-attention (CALM).",
        subcommands = {ComposeTrainCommand.class, ComposeEvalCommand.class, ComposeGenerateCommand.class, ComposeKvArithmeticCommand.class})
final class ComposeCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }
}
