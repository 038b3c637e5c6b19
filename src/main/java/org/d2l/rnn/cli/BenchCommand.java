package org.d2l.rnn.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import org.d2l.rnn.UserError;
import org.d2l.rnn.bench.BenchConfig;
import org.d2l.rnn.bench.BlasComparison;
import org.d2l.rnn.bench.BenchResult;
import org.d2l.rnn.bench.Benchmarks;
import org.d2l.rnn.bench.DjlBench;
import org.d2l.rnn.bench.EndToEnd;
import org.d2l.rnn.bench.PyTorchBench;
import org.d2l.rnn.bench.TrainingBenchmark;
import org.d2l.rnn.report.BenchReport;
import org.d2l.rnn.report.BlasReport;
import org.d2l.rnn.report.EndToEndReport;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.runtime.BlasLibrary;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.runtime.RunProvenance;
import org.nd4j.nativeblas.NativeOpsHolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Training throughput of the standard configs, optionally side by side with the PyTorch reference. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training throughput (tokens/s), generation speed, the DataVec pipeline and memory.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    DataCommandOptions io;

    @Option(names = "--configs", split = ",", description = "Comma-separated configs (default: all): "
            + "rnn512, rnn-scratch512, gru256, gru256-fused, gru-scratch256, lstm256, lstm-scratch256, deep-lstm256, bi-lstm256, seq2seq, seq2seq-fused.")
    List<String> configs;
    @Option(names = "--iterations", defaultValue = "10", description = "Training steps per timed window (default ${DEFAULT-VALUE}).")
    int iterations;
    @Option(names = "--windows", defaultValue = "5", description = "Timed windows; the median counts (default ${DEFAULT-VALUE}).")
    int windows;
    @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--pytorch", paramLabel = "BENCH_PY",
            description = "Also run the PyTorch reference (shared/reference/pytorch/bench.py), alternating config by config.")
    Path pytorch;
    @Option(names = "--djl", paramLabel = "DIR", description = "Also run the DJL reference (a compiled copy of "
            + "shared/reference/djl, built by src/main/scripts/bench-vs-pytorch.sh), alternating config by config.")
    Path djl;
    @Option(names = "--also-threads", paramLabel = "N", description = "Also measure ours at N threads (switched in this "
            + "process), in the same rotation: 1 against N threads from one run.")
    Integer alsoThreads;
    @Option(names = "--report", paramLabel = "DIR", description = "Write the table and chart here (e.g. notebooks-export/performance).")
    Path report;
    @Option(names = "--compare-blas", paramLabel = "LIBS", description = "Instead: the same configs with each OpenBLAS "
            + "library (maven, system, bundled; comma-separated), each in its own JVM, alternating for --rounds rounds.")
    String compareBlas;
    @Option(names = "--end-to-end", paramLabel = "DIR", description = "Instead: the table of whole training runs, ours "
            + "and PyTorch's, from the JSON that src/main/scripts/end-to-end-vs-pytorch.sh left in DIR.")
    Path endToEnd;
    @Option(names = "--keep-earlier", description = "With --end-to-end and --report: keep the report's rows of the "
            + "sections not in DIR (read from its metrics.json), and its command before this one.")
    boolean keepEarlier;
    @Option(names = "--rounds", description = "Times each config is measured on every side, alternating; medians count "
            + "(default 1; 2 with --compare-blas).")
    Integer rounds;

    @Override
    public Integer call() {
        if (iterations < 1 || windows < 1 || warmup < 0 || (rounds != null && rounds < 1)) {
            throw new UserError("--iterations, --windows and --rounds must be >= 1, --warmup >= 0");
        }
        List<BenchConfig> chosen = configs == null || configs.isEmpty() ? Arrays.asList(BenchConfig.values())
                : configs.stream().map(String::strip).map(BenchConfig::parse).toList();
        if (compareBlas != null) {
            return compareBlas(chosen);
        }
        if (endToEnd != null) {
            return endToEnd();
        }
        NativeRuntime.init();
        int threads = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        PyTorchBench torch = pytorch == null ? null : new PyTorchBench(pytorch, threads, windows * iterations);
        DjlBench dj = djl == null ? null : new DjlBench(djl, threads, windows * iterations);
        int n = rounds == null ? 1 : rounds;
        var out = io.spec.commandLine().getOut();
        if (alsoThreads != null && alsoThreads < 1) {
            throw new UserError("--also-threads must be >= 1, got " + alsoThreads);
        }
        BenchResult r = Benchmarks.run(chosen, new TrainingBenchmark(warmup, windows, iterations), torch, dj, n, threads,
                alsoThreads, io.data.hub(), out);
        if (report != null) {
            // bench-vs-pytorch.sh names itself and its environment here: that is what reproduces its report
            String script = System.getenv("D2L_BENCH_COMMAND");
            BenchReport.write(new Report(report, "Performance: training throughput against "
                    + (dj == null ? "PyTorch" : "PyTorch and DJL")), r,
                    script != null && !script.isBlank() ? script : "mvn -q compile exec:java -Dexec.args=\"bench --threads " + threads
                            + (configs == null ? "" : " --configs " + String.join(",", configs)) + " --rounds " + n
                            + (pytorch == null ? "" : " --pytorch " + pytorch) + (djl == null ? "" : " --djl " + djl)
                            + (alsoThreads == null ? "" : " --also-threads " + alsoThreads)
                            + " --report " + report + "\"", RunProvenance.currentMachine());
            out.println("report: " + report.resolve("README.md"));
        }
        io.json.print(out, r.metrics());
        return 0;
    }

    /** bench --compare-blas: children run this command's own options with one library each. */
    private int compareBlas(List<BenchConfig> chosen) {
        List<BlasLibrary> libraries = BlasComparison.parse(compareBlas);
        List<String> args = new ArrayList<>(List.of("--configs", chosen.stream().map(BenchConfig::toString)
                .collect(Collectors.joining(",")), "--iterations", String.valueOf(iterations), "--windows",
                String.valueOf(windows), "--warmup", String.valueOf(warmup), "--data-dir", io.data.dataDir.toString()));
        String threads = System.getProperty(NativeRuntime.THREADS_PROPERTY);
        if (threads != null) {
            args.addAll(List.of("--threads", threads));
        }
        var out = io.spec.commandLine().getOut();
        int n = rounds == null ? 2 : rounds;
        BlasComparison.Result r = BlasComparison.run(libraries, n, args, Main.class, out);
        if (report != null) {
            BlasReport.write(new Report(report, "Performance: which OpenBLAS"), r, "mvn -q compile exec:java "
                    + "-Dexec.args=\"bench --compare-blas " + compareBlas + " --rounds " + n + " " + String.join(" ", args)
                    + " --report " + report + "\"", RunProvenance.currentMachine());
            out.println("report: " + report.resolve("README.md"));
        }
        io.json.print(out, Map.of("rounds", r.rounds(), "fastest_everywhere",
                r.fastestEverywhere() == null ? "none" : r.fastestEverywhere().cliName()));
        return 0;
    }

    /** bench --end-to-end: a report from runs made elsewhere; nothing is timed here. */
    private int endToEnd() {
        if (keepEarlier && report == null) {
            throw new UserError("--keep-earlier needs --report DIR, the report whose rows it keeps");
        }
        EndToEnd.Earlier earlier = keepEarlier ? EndToEnd.Earlier.read(report.resolve("metrics.json")) : null;
        EndToEnd.Result r = earlier == null ? EndToEnd.read(endToEnd) : EndToEnd.read(endToEnd, earlier);
        var out = io.spec.commandLine().getOut();
        for (EndToEnd.Row row : r.sections()) {
            out.printf("%-14s ours %7.1f s %8.0f tokens/s   PyTorch %7.1f s %8.0f tokens/s   ratio %.2f%n", row.section(),
                    row.oursSeconds(), row.oursTokensPerSec(), row.pytorchSeconds(), row.pytorchTokensPerSec(), row.ratio());
        }
        if (report != null) {
            String script = System.getenv("D2L_BENCH_COMMAND");
            String command = script != null && !script.isBlank() ? script
                    : "src/main/scripts/end-to-end-vs-pytorch.sh SECTION...";
            if (earlier != null && !earlier.command().isBlank()) {
                command = earlier.command() + "\n" + command;
            }
            EndToEndReport.write(new Report(report, "Performance: whole training runs against PyTorch"), r, command,
                    RunProvenance.currentMachine(), NativeRuntime.blasDescription());
            out.println("report: " + report.resolve("README.md"));
        }
        io.json.print(out, r.metrics());
        return 0;
    }
}
