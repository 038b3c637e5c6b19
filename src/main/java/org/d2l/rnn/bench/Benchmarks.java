package org.d2l.rnn.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.d2l.rnn.data.CorpusReader;
import org.d2l.rnn.data.DataHub;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.text.Tokenizer;

/**
 * The {@code bench} run: every asked config's training throughput — alternating with the PyTorch reference's
 * same config when one is given, so both see the same machine state — then generation, the DataVec pipeline and
 * memory. Only ratios from one run mean much on a shared machine.
 */
public final class Benchmarks {
    private Benchmarks() {
    }

    /** @param pytorch the reference runner, or null for ours alone */
    public static BenchResult run(List<BenchConfig> configs, TrainingBenchmark training, PyTorchBench pytorch,
                                  int threads, DataHub hub, PrintWriter out) {
        List<BenchResult.Row> rows = new ArrayList<>();
        Double lstmMsPerIter = null;
        for (int i = 0; i < configs.size(); i++) {
            BenchConfig c = configs.get(i);
            boolean compare = pytorch != null && c.pytorch() != null;
            PyTorchBench.Result torch = compare && i % 2 == 1 ? pytorch.run(c.pytorch()) : null; // alternate who goes first
            Measurement m = training.measure(c, hub);
            if (compare && torch == null) {
                torch = pytorch.run(c.pytorch());
            }
            Double torchTps = torch == null ? null : torch.tokensPerSec();
            rows.add(new BenchResult.Row(m.config(), m.params(), m.tokensPerSec(), m.msPerIter(), m.msPerIterByWindow(),
                    m.trainingFlopsPerToken(), m.sgemmGflops(), m.ceilingShare(), torchTps,
                    torchTps == null ? null : m.tokensPerSec() / torchTps));
            out.printf("%-16s %9.0f tokens/s %8.1f ms/iter%s%n", m.config(), m.tokensPerSec(), m.msPerIter(),
                    torchTps == null ? "" : String.format("   PyTorch %9.0f tokens/s   ratio %.2f", torchTps,
                            m.tokensPerSec() / torchTps));
            out.flush();
            if (c == BenchConfig.LSTM256) {
                lstmMsPerIter = m.msPerIter();
            }
        }
        Corpus chars = new CorpusReader(hub).read("time-machine", Tokenizer.CHAR, 0, -1);
        double generation = PipelineBenchmarks.generationCharsPerSec(chars, 300);
        double datavec = PipelineBenchmarks.dataVecMsPerEpoch(chars);
        if (lstmMsPerIter == null) {
            lstmMsPerIter = training.measure(BenchConfig.LSTM256, hub).msPerIter();
        }
        double epochTraining = PipelineBenchmarks.batchesPerEpoch(chars) * lstmMsPerIter;
        BenchResult r = new BenchResult(threads, NativeRuntime.blasDescription(), rows, generation, datavec, datavec / (datavec + epochTraining),
                PipelineBenchmarks.peakHeapMiB(), PipelineBenchmarks.offHeapMiB(), PipelineBenchmarks.residentMiB());
        out.printf("generation %.0f chars/s; DataVec epoch %.1f ms (%.2f%% of an LSTM-256 epoch); peak heap %.0f MiB, "
                        + "off-heap %.0f MiB, resident %.0f MiB%n", generation, datavec, 100 * r.datavecShareOfEpoch(),
                r.peakHeapMib(), r.offHeapMib(), r.residentMib());
        return r;
    }
}
