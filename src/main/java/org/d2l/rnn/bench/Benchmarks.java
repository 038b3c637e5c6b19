package org.d2l.rnn.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.d2l.rnn.data.CorpusReader;
import org.d2l.rnn.data.DataHub;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.text.Tokenizer;

/**
 * The {@code bench} run: every asked config's training throughput — alternating with the reference libraries' same
 * config (PyTorch, DJL) when they are given, for several rounds, so all see the same machine state — then
 * generation, the DataVec pipeline and memory. Only ratios from one run mean much on a shared machine.
 */
public final class Benchmarks {
    private Benchmarks() {
    }

    /**
     * @param pytorch the PyTorch reference, or null
     * @param djl     the DJL reference, or null
     * @param otherThreads ours also at this thread count (switched in this process), alternating; null: not
     */
    public static BenchResult run(List<BenchConfig> configs, TrainingBenchmark training, PyTorchBench pytorch,
                                  ReferenceBench djl, int rounds, int threads, Integer otherThreads, DataHub hub,
                                  PrintWriter out) {
        List<BenchResult.Row> rows = new ArrayList<>();
        Double lstmMsPerIter = null;
        for (int i = 0; i < configs.size(); i++) {
            BenchConfig c = configs.get(i);
            List<Measurement> ours = new ArrayList<>();
            List<Double> torch = new ArrayList<>();
            List<Double> dj = new ArrayList<>();
            List<Double> oursOther = new ArrayList<>();
            List<Runnable> sides = new ArrayList<>();
            sides.add(() -> ours.add(training.measure(c, hub)));
            if (otherThreads != null) {
                sides.add(() -> {
                    NativeRuntime.setThreads(otherThreads);
                    try {
                        oursOther.add(training.measure(c, hub).tokensPerSec());
                    } finally {
                        NativeRuntime.setThreads(threads);
                    }
                });
            }
            if (pytorch != null && pytorch.configName(c) != null) {
                sides.add(() -> torch.add(pytorch.run(pytorch.configName(c))));
            }
            if (djl != null && djl.configName(c) != null) {
                sides.add(() -> dj.add(djl.run(djl.configName(c))));
            }
            for (int r = 0; r < rounds; r++) {
                // who goes first rotates from config to config and round to round
                for (int s = 0; s < sides.size(); s++) {
                    sides.get((s + i + r) % sides.size()).run();
                }
            }
            Measurement m = ours.stream().sorted(Comparator.comparingDouble(Measurement::tokensPerSec))
                    .toList().get((ours.size() - 1) / 2);
            List<Double> oursByRound = ours.stream().map(Measurement::tokensPerSec).toList();
            double tps = median(oursByRound);
            Double torchTps = torch.isEmpty() ? null : median(torch);
            Double djlTps = dj.isEmpty() ? null : median(dj);
            Double otherTps = oursOther.isEmpty() ? null : median(oursOther);
            rows.add(new BenchResult.Row(m.config(), m.params(), tps, m.msPerIter(), m.msPerIterByWindow(), oursByRound,
                    m.trainingFlopsPerToken(), m.sgemmGflops(), m.ceilingShare(), torchTps, torch.isEmpty() ? null : torch,
                    torchTps == null ? null : tps / torchTps, djlTps, dj.isEmpty() ? null : dj,
                    djlTps == null ? null : tps / djlTps, otherThreads, otherTps, oursOther.isEmpty() ? null : oursOther));
            out.printf("%-16s %9.0f tokens/s %8.1f ms/iter%s%s%s%n", m.config(), tps, m.msPerIter(),
                    torchTps == null ? "" : String.format("   PyTorch %9.0f tokens/s   ratio %.2f", torchTps, tps / torchTps),
                    djlTps == null ? "" : String.format("   DJL %9.0f tokens/s   ratio %.2f", djlTps, tps / djlTps),
                    otherTps == null ? "" : String.format("   ours, %d threads %9.0f tokens/s", otherThreads, otherTps));
            out.flush();
            if (c == BenchConfig.LSTM256) {
                lstmMsPerIter = m.msPerIter();
            }
        }
        Corpus chars = new CorpusReader(hub).read("time-machine", Tokenizer.CHAR, 0, -1);
        List<Double> generations = new ArrayList<>();
        List<Double> torchGenerations = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            if (pytorch != null && r % 2 == 1) {
                torchGenerations.add(pytorch.generationCharsPerSec(PipelineBenchmarks.GENERATION_LENGTH,
                        PipelineBenchmarks.GENERATION_WARMUP, PipelineBenchmarks.GENERATION_REPEATS));
            }
            generations.add(PipelineBenchmarks.generationCharsPerSec(chars, PipelineBenchmarks.GENERATION_LENGTH));
            if (pytorch != null && r % 2 == 0) {
                torchGenerations.add(pytorch.generationCharsPerSec(PipelineBenchmarks.GENERATION_LENGTH,
                        PipelineBenchmarks.GENERATION_WARMUP, PipelineBenchmarks.GENERATION_REPEATS));
            }
        }
        double generation = median(generations);
        Double torchGeneration = torchGenerations.isEmpty() ? null : median(torchGenerations);
        double datavec = PipelineBenchmarks.dataVecMsPerEpoch(chars);
        if (lstmMsPerIter == null) {
            lstmMsPerIter = training.measure(BenchConfig.LSTM256, hub).msPerIter();
        }
        double epochTraining = PipelineBenchmarks.batchesPerEpoch(chars) * lstmMsPerIter;
        BenchResult r = new BenchResult(threads, rounds, NativeRuntime.blasDescription(),
                pytorch == null ? null : pytorch.engine(), djl == null ? null : djl.engine(), rows, generation, generations,
                torchGeneration, torchGenerations.isEmpty() ? null : torchGenerations, datavec,
                datavec / (datavec + epochTraining), PipelineBenchmarks.peakHeapMiB(), PipelineBenchmarks.offHeapMiB(),
                PipelineBenchmarks.residentMiB());
        if (torchGeneration != null) {
            out.printf("generation %.0f chars/s, PyTorch %.0f chars/s, ratio %.2f%n", generation, torchGeneration,
                    generation / torchGeneration);
        }
        out.printf("generation %.0f chars/s; DataVec epoch %.1f ms (%.2f%% of an LSTM-256 epoch); peak heap %.0f MiB, "
                        + "off-heap %.0f MiB, resident %.0f MiB%n", generation, datavec, 100 * r.datavecShareOfEpoch(),
                r.peakHeapMib(), r.offHeapMib(), r.residentMib());
        return r;
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
