package dev.t2.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code t2} command line. */
@Command(name = "t2", mixinStandardHelpOptions = true, version = "t2 0.1.0",
        description = "Transformer² on the JVM: load Llama-family models, generate, train SVF experts and adapt to each prompt in two passes; CALM composition; mesa-optimization.",
        subcommands = {DemoCommand.class, GenerateCommand.class, ChatCommand.class, InfoCommand.class, TokenizeCommand.class, ConvertCommand.class, SvdCommand.class, PretrainCommand.class, TrainCommand.class, EvalCommand.class, ExpertsCommand.class, MesaCommand.class, ComposeCommand.class, BenchCommand.class, ReportCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; errors become one message on stderr and exit code 1. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            cmd.getErr().println("error: " + msg);
            if (System.getenv("T2_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return 1;
        });
        return cl;
    }
}
