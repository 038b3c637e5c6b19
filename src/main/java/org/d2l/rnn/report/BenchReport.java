package org.d2l.rnn.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.bench.BenchResult;
import org.d2l.rnn.bench.PipelineBenchmarks;
import org.d2l.rnn.runtime.RunProvenance;

/**
 * notebooks-export/performance/: the throughput table (ours, PyTorch, DJL, ratios, share of the sgemm ceiling) and a
 * bar chart.
 */
public final class BenchReport {
    private BenchReport() {
    }

    public static void write(Report report, BenchResult r, String command, String machine) {
        boolean withDjl = r.configs().stream().anyMatch(row -> row.djlTokensPerSec() != null);
        Integer other = r.configs().stream().map(BenchResult.Row::otherThreads).filter(t -> t != null).findFirst()
                .orElse(null);
        report.paragraph("Training throughput of the standard configurations (char-level, vocabulary 28, batch 32, "
                + "35 steps, SGD with global-norm clipping θ = 1, state carried between minibatches; seq2seq: d2l "
                + "9.7's settings, 64 × 10 tokens per step). Tokens/s at the median of several timed windows after a "
                + "warm-up. With PyTorch (shared/reference/pytorch/bench.py) or DJL (shared/reference/djl), each config "
                + "alternates between the sides in the same run, same thread count, who goes first rotating, for "
                + r.rounds() + " round(s); cells are medians over the rounds (min–max beside them with more than one), "
                + "ratios are ours / theirs of the medians. Only ratios from one run count on a noisy machine. Ceiling "
                + "share = FLOPs per token × tokens/s ÷ the sgemm GFLOP/s ND4J reaches here at the config's "
                + "gate-matmul shape. That ceiling is measured at one time step's shape (32 rows); the fused kernels compute "
                + "the input projection of all 35 steps as one 1,120-row matmul, which runs faster than 32-row ones, and "
                + "the 32-row step products on our own packed loop (PackedGemm, AVX-512 only), which runs faster than "
                + "that sgemm, so a share can exceed 100%. bi-lstm256 is one bidirectional LSTM layer; the bi-rnn section (d2l 9.4) trains "
                + "two.");
        report.paragraph(RunProvenance.dateAndCommit() + ". Machine: " + machine + "; " + r.threads() + " thread(s) on each side."
                + (other == null ? "" : " Ours was also measured at " + other + " threads in the same rotation: the same "
                + "process switches ND4J's OpenMP and OpenBLAS thread counts between measurements."));
        List<List<?>> engines = new ArrayList<>();
        engines.add(List.of("ours (DL4J 1.0.0-M2.1: fused kernels; gru256, seq2seq and the *-scratch configs "
                + "SameDiff's ops on SameDiffPlan; step products on the packed vector loop where AVX-512 has it)",
                r.blas()));
        if (r.pytorchEngine() != null) {
            engines.add(List.of("PyTorch", r.pytorchEngine()));
        }
        if (r.djlEngine() != null) {
            engines.add(List.of("DJL", r.djlEngine()));
        }
        report.table(List.of("side", "library and BLAS"), engines);
        report.command(command);
        List<List<?>> rows = new ArrayList<>();
        for (BenchResult.Row row : r.configs()) {
            List<Object> cells = new ArrayList<>(List.of(row.config(), cell(row.tokensPerSec(), row.tokensPerSecByRound()),
                    cell(row.pytorchTokensPerSec(), row.pytorchTokensPerSecByRound()), ratio(row.ratio())));
            if (withDjl) {
                cells.add(cell(row.djlTokensPerSec(), row.djlTokensPerSecByRound()));
                cells.add(ratio(row.djlRatio()));
            }
            if (other != null) {
                cells.add(cell(row.otherThreadsTokensPerSec(), row.otherThreadsTokensPerSecByRound()));
                cells.add(ratio(row.otherThreadsTokensPerSec() == null ? null : row.otherThreadsTokensPerSec() / row.tokensPerSec()));
            }
            cells.addAll(List.of(String.format("%.1f", row.msPerIter()),
                    row.trainingFlopsPerToken() == null ? "—" : String.format("%.2f M", row.trainingFlopsPerToken() / 1e6),
                    row.sgemmGflops() == null ? "—" : String.format("%.1f", row.sgemmGflops()),
                    row.ceilingShare() == null ? "—" : String.format("%.0f%%", 100 * row.ceilingShare())));
            rows.add(cells);
        }
        List<String> header = new ArrayList<>(List.of("config", "ours, tokens/s", "PyTorch, tokens/s", "ours / PyTorch"));
        if (withDjl) {
            header.addAll(List.of("DJL, tokens/s", "ours / DJL"));
        }
        if (other != null) {
            header.addAll(List.of("ours, " + other + " threads, tokens/s", "ours " + other + " / " + r.threads() + " threads"));
        }
        header.addAll(List.of("ours, ms/iter", "training FLOPs/token", "sgemm GFLOP/s", "ceiling share"));
        report.table(header, rows);
        if (r.configs().stream().anyMatch(row -> row.config().startsWith("gru") && (row.djlTokensPerSec() != null
                || row.pytorchTokensPerSec() != null))) {
            report.paragraph("gru256 is our default GRU, the SameDiff layer (d2l's equations differentiated by "
                    + "SameDiff); gru256-fused is the same GRU, parameters and init on the fused kernel with a "
                    + "hand-written backward pass. The GRU rows compare different equations at the same FLOPs. DJL's GRU and bench.py's "
                    + "gru-256 are PyTorch's `nn.GRU`, which applies the reset gate after the recurrent matmul "
                    + "(r ⊙ (W_hn·h + b_hn)), so a step needs one recurrent matmul, [B,H]×[H,3H]. d2l's GRU, which ours "
                    + "implements, applies it before (W_hh·(r ⊙ h)), so a step needs two dependent ones, [B,H]×[H,2H] "
                    + "then [B,H]×[H,H], forward and again backward.");
        }
        if (r.configs().stream().anyMatch(row -> row.config().equals("seq2seq-fused"))) {
            report.paragraph("seq2seq runs our default decoder, d2l 9.7's GRU decoder written as SameDiff ops and "
                    + "differentiated by SameDiff; seq2seq-fused is the same decoder, parameters, init and dropout "
                    + "on the fused GRU kernels with a hand-written backward pass.");
        }
        List<String> names = r.configs().stream().map(BenchResult.Row::config).toList();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("ours (DL4J)", r.configs().stream().map(BenchResult.Row::tokensPerSec).toList());
        if (r.configs().stream().anyMatch(row -> row.pytorchTokensPerSec() != null)) {
            series.put("PyTorch", r.configs().stream()
                    .map(row -> row.pytorchTokensPerSec() == null ? 0.0 : row.pytorchTokensPerSec()).toList());
        }
        if (withDjl) {
            series.put("DJL", r.configs().stream()
                    .map(row -> row.djlTokensPerSec() == null ? 0.0 : row.djlTokensPerSec()).toList());
        }
        report.figure("throughput", Charts.groupedBars("Training throughput", "tokens/s", names, series),
                "Training tokens/s per config (0 = no such config on that side)");
        report.heading("Around the training step");
        report.paragraph("Generation: greedy, untrained LSTM-256 over the Time Machine's characters, prefix \"time "
                + "traveller\", " + PipelineBenchmarks.GENERATION_LENGTH + " characters per call, the median of "
                + PipelineBenchmarks.GENERATION_REPEATS + " calls after " + PipelineBenchmarks.GENERATION_WARMUP
                + " untimed ones, on each side (ours: `Generator`, PyTorch: lm.py's `predict`), alternating for "
                + r.rounds() + " round(s); medians over the rounds (min–max).");
        report.table(List.of("measure", "value"), List.of(
                List.of("greedy generation, LSTM-256 (ours)", cell(r.generationCharsPerSec(),
                        r.generationCharsPerSecByRound()) + " chars/s"),
                List.of("greedy generation, LSTM-256 (lm.py's predict, PyTorch)", r.pytorchGenerationCharsPerSec() == null
                        ? "—" : cell(r.pytorchGenerationCharsPerSec(), r.pytorchGenerationCharsPerSecByRound()) + " chars/s"),
                List.of("generation, ours / PyTorch", r.pytorchGenerationCharsPerSec() == null ? "—"
                        : ratio(r.generationCharsPerSec() / r.pytorchGenerationCharsPerSec())),
                List.of("DataVec pipeline, one Time Machine epoch", String.format("%.1f ms", r.datavecMsPerEpoch())),
                List.of("its share of an LSTM-256 epoch", String.format("%.2f%%", 100 * r.datavecShareOfEpoch())),
                List.of("peak heap", String.format("%.0f MiB", r.peakHeapMib())),
                List.of("off-heap (JavaCPP) at the end", String.format("%.0f MiB", r.offHeapMib())),
                List.of("resident set at the end", String.format("%.0f MiB", r.residentMib()))));
        report.metrics(r.metrics()).write();
    }

    private static String cell(Double median, List<Double> byRound) {
        if (median == null) {
            return "—";
        }
        if (byRound == null || byRound.size() < 2) {
            return String.format("%.0f", median);
        }
        return String.format("%.0f (%.0f–%.0f)", median, byRound.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                byRound.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    private static String ratio(Double ratio) {
        return ratio == null ? "—" : String.format("%.2f", ratio);
    }
}
