package org.d2l.rnn.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.bench.BenchResult;

/** notebooks-export/performance/: the throughput table (ours, PyTorch, ratio, share of the sgemm ceiling) and a bar chart. */
public final class BenchReport {
    private BenchReport() {
    }

    public static void write(Report report, BenchResult r, String command, String machine) {
        report.paragraph("Training throughput of the standard configurations (char-level, vocabulary 28, batch 32, "
                + "35 steps, SGD with global-norm clipping θ = 1, state carried between minibatches; seq2seq: d2l "
                + "9.7's settings, 64 × 10 tokens per step). Tokens/s at the median of several timed windows after a "
                + "warm-up. With a PyTorch run, each config alternates between the two in the same run, same thread "
                + "count; only ratios from one run count on a noisy machine. Ceiling share = FLOPs per token × tokens/s "
                + "÷ the sgemm GFLOP/s ND4J reaches here at the config's gate-matmul shape. That ceiling is measured at "
                + "one time step's shape (32 rows); the fused kernels compute the input projection of all 35 steps as "
                + "one 1,120-row matmul, which runs faster than 32-row ones, so a share can exceed 100%. bi-lstm256 is "
                + "one bidirectional LSTM layer; the bi-rnn section (d2l 9.4) trains two.");
        report.paragraph("Machine: " + machine + "; " + r.threads() + " thread(s) on each side.");
        report.command(command);
        List<List<?>> rows = new ArrayList<>();
        for (BenchResult.Row row : r.configs()) {
            rows.add(List.of(row.config(), String.format("%.0f", row.tokensPerSec()),
                    row.pytorchTokensPerSec() == null ? "—" : String.format("%.0f", row.pytorchTokensPerSec()),
                    row.ratio() == null ? "—" : String.format("%.2f", row.ratio()), String.format("%.1f", row.msPerIter()),
                    row.trainingFlopsPerToken() == null ? "—" : String.format("%.2f M", row.trainingFlopsPerToken() / 1e6),
                    row.sgemmGflops() == null ? "—" : String.format("%.1f", row.sgemmGflops()),
                    row.ceilingShare() == null ? "—" : String.format("%.0f%%", 100 * row.ceilingShare())));
        }
        report.table(List.of("config", "ours, tokens/s", "PyTorch, tokens/s", "ours / PyTorch", "ours, ms/iter",
                "training FLOPs/token", "sgemm GFLOP/s", "ceiling share"), rows);
        List<String> names = r.configs().stream().map(BenchResult.Row::config).toList();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("ours (DL4J)", r.configs().stream().map(BenchResult.Row::tokensPerSec).toList());
        if (r.configs().stream().anyMatch(row -> row.pytorchTokensPerSec() != null)) {
            series.put("PyTorch", r.configs().stream()
                    .map(row -> row.pytorchTokensPerSec() == null ? 0.0 : row.pytorchTokensPerSec()).toList());
        }
        report.figure("throughput", Charts.groupedBars("Training throughput", "tokens/s", names, series),
                "Training tokens/s per config (PyTorch 0 = no such config in the reference)");
        report.heading("Around the training step").table(List.of("measure", "value"), List.of(
                List.of("greedy generation, LSTM-256", String.format("%.0f chars/s", r.generationCharsPerSec())),
                List.of("DataVec pipeline, one Time Machine epoch", String.format("%.1f ms", r.datavecMsPerEpoch())),
                List.of("its share of an LSTM-256 epoch", String.format("%.2f%%", 100 * r.datavecShareOfEpoch())),
                List.of("peak heap", String.format("%.0f MiB", r.peakHeapMib())),
                List.of("off-heap (JavaCPP) at the end", String.format("%.0f MiB", r.offHeapMib())),
                List.of("resident set at the end", String.format("%.0f MiB", r.residentMib()))));
        report.metrics(r.metrics()).write();
    }
}
