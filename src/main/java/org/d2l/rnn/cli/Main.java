package org.d2l.rnn.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.d2l.rnn.BuildInfo;
import org.d2l.rnn.UserError;
import org.d2l.rnn.runtime.CudaBackendCheck;
import org.d2l.rnn.runtime.NativeRuntime;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code d2l} command line: one picocli application, one subcommand per task. */
@Command(name = "d2l", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Dive into Deep Learning, chapters 8-9 (RNNs, seq2seq), on Deeplearning4j.%n"
                + "Without arguments it runs the main job: " + Main.MAIN_JOB_TEXT + ".",
        subcommands = {RunCommand.class, ListCommand.class, CorpusCommand.class, ZipfCommand.class, TrainLmCommand.class,
                GenerateCommand.class, BleuCommand.class, MtDataCommand.class, TrainSeq2SeqCommand.class,
                TranslateCommand.class, BenchCommand.class, SoakCommand.class, ReadmeResultsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** A few minutes of training that show the whole product: progress, generations, an exported model. */
    /** Exit code when the GPU build finds no usable CUDA driver or device. */
    static final int NO_GPU = 3;
    static final String MAIN_JOB_TEXT = "train-lm --model lstm --optimizer adam --lr 0.01 --epochs 60 "
            + "--predict-every 10 --save models/lstm-time-machine.zip";
    /** The same command as arguments (no argument holds a space). */
    static final String[] MAIN_JOB = MAIN_JOB_TEXT.split(" ");

    /** {@code --version}: the build's own versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.name() + " " + BuildInfo.version() + " (Deeplearning4j "
                    + BuildInfo.deeplearning4j() + ")"};
        }
    }

    @Option(names = "--threads", scope = CommandLine.ScopeType.INHERIT, paramLabel = "N",
            description = "OpenMP threads for ND4J (default 1, or OMP_NUM_THREADS when set).")
    void setThreads(int threads) {
        if (threads < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--threads must be >= 1, got " + threads);
        }
        System.setProperty(NativeRuntime.THREADS_PROPERTY, String.valueOf(threads));
    }

    @Override
    public void run() {
        // reached only for "d2l" with options but no subcommand
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command, e.g. 'list'");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        try {
            NativeRuntime.configureLoading(); // before anything loads ND4J's native libraries
        } catch (UserError e) {
            err.println("error: " + oneLine(e.getMessage()));
            System.exit(2);
        }
        int code = execute(args.length == 0 ? MAIN_JOB : args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line; results go to {@code out}, one-line errors to {@code err}. Returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setDefaultValueProvider(new SettingsDefaults());
        TrainLmCommand.addModelHelp(cl.getSubcommands().get("train-lm"));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            String cmd = ex.getCommandLine().getCommandName();
            String message = unknownCommand(ex).orElse(oneLine(ex.getMessage()));
            err.println("error: " + message + " (see '" + ("d2l".equals(cmd) ? "" : "d2l ") + cmd + " --help')");
            return 2;
        });
        // On the GPU build, ask CUDA before a command loads ND4J: without a driver or device ND4J prints a stack
        // trace and fails with a wrapped chain; the user needs one line with the fix. Help needs no GPU.
        cl.setExecutionStrategy(parseResult -> {
            if (!helpRequested(parseResult)) {
                var noGpu = CudaBackendCheck.problem();
                if (noGpu.isPresent()) {
                    err.println("error: " + noGpu.get());
                    return NO_GPU;
                }
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserError) {
                err.println("error: " + oneLine(ex.getMessage()));
                return 2;
            }
            var cuda = CudaBackendCheck.explain(ex); // e.g. "no kernel image" on a GPU newer than the build
            if (cuda.isPresent()) {
                err.println("error: " + cuda.get());
                return NO_GPU;
            }
            LoggerFactory.getLogger(Main.class).debug("internal failure", ex);
            err.println("error: internal failure: " + oneLine(String.valueOf(ex))
                    + " (a bug: please report it with the command line; -Dd2l.debug=true prints the stack trace)");
            if (Boolean.getBoolean("d2l.debug")) {
                ex.printStackTrace(err);
            }
            return 1;
        });
        return cl.execute(args);
    }

    /** Any help or version option on the command line, at any level, or the help command. */
    private static boolean helpRequested(CommandLine.ParseResult parseResult) {
        for (var pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.isUsageHelpRequested() || pr.isVersionHelpRequested()
                    || pr.commandSpec().userObject() instanceof CommandLine.HelpCommand) {
                return true;
            }
        }
        return false;
    }

    /** picocli reports a mistyped command as unmatched arguments; say what it is instead. */
    private static java.util.Optional<String> unknownCommand(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && u.getCommandLine().getCommand() instanceof Main
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            return java.util.Optional.of("Unknown command '" + u.getUnmatched().get(0) + "'; the commands are "
                    + String.join(", ", u.getCommandLine().getSubcommands().keySet()));
        }
        return java.util.Optional.empty();
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
