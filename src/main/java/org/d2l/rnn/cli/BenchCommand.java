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
import org.d2l.rnn.bench.PyTorchBench;
import org.d2l.rnn.bench.TrainingBenchmark;
import org.d2l.rnn.report.BenchReport;
import org.d2l.rnn.report.BlasReport;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.runtime.BlasLibrary;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.runtime.Provenance;
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
            + "rnn512, rnn-scratch512, gru256, gru-scratch256, lstm256, lstm-scratch256, deep-lstm256, bi-lstm256, seq2seq.")
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
    @Option(names = "--report", paramLabel = "DIR", description = "Write the table and chart here (e.g. notebooks-export/performance).")
    Path report;
    @Option(names = "--compare-blas", paramLabel = "LIBS", description = "Instead: the same configs with each OpenBLAS "
            + "library (maven, system, bundled; comma-separated), each in its own JVM, alternating for --rounds rounds.")
    String compareBlas;
    @Option(names = "--rounds", defaultValue = "2", description = "Rounds of --compare-blas (default ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() {
        if (iterations < 1 || windows < 1 || warmup < 0) {
            throw new UserError("--iterations and --windows must be >= 1, --warmup >= 0");
        }
        List<BenchConfig> chosen = configs == null || configs.isEmpty() ? Arrays.asList(BenchConfig.values())
                : configs.stream().map(String::strip).map(BenchConfig::parse).toList();
        if (compareBlas != null) {
            return compareBlas(chosen);
        }
        NativeRuntime.init();
        int threads = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        PyTorchBench torch = pytorch == null ? null : new PyTorchBench(pytorch, threads, windows * iterations);
        var out = io.spec.commandLine().getOut();
        BenchResult r = Benchmarks.run(chosen, new TrainingBenchmark(warmup, windows, iterations), torch, threads,
                io.data.hub(), out);
        if (report != null) {
            BenchReport.write(new Report(report, "Performance: training throughput against PyTorch"), r,
                    "mvn -q compile exec:java -Dexec.args=\"bench" + (pytorch == null ? "" : " --pytorch " + pytorch)
                            + " --report " + report + "\"", Provenance.machine());
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
        BlasComparison.Result r = BlasComparison.run(libraries, rounds, args, Main.class, out);
        if (report != null) {
            BlasReport.write(new Report(report, "Performance: which OpenBLAS"), r, "mvn -q compile exec:java "
                    + "-Dexec.args=\"bench --compare-blas " + compareBlas + " --rounds " + rounds + " " + String.join(" ", args)
                    + " --report " + report + "\"", Provenance.machine());
            out.println("report: " + report.resolve("README.md"));
        }
        io.json.print(out, Map.of("rounds", r.rounds(), "fastest_everywhere",
                r.fastestEverywhere() == null ? "none" : r.fastestEverywhere().cliName()));
        return 0;
    }
}
