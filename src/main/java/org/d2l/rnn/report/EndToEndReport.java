package org.d2l.rnn.report;

import java.util.ArrayList;
import java.util.List;
import org.d2l.rnn.bench.EndToEnd;
import org.d2l.rnn.runtime.RunProvenance;

/** notebooks-export/performance/end-to-end/: whole training runs, ours beside the PyTorch reference's. */
public final class EndToEndReport {
    private EndToEndReport() {
    }

    public static void write(Report report, EndToEnd.Result r, String command, String machine, String blas) {
        report.paragraph("Whole training runs at d2l's settings: ours (the CLI, a JVM of its own per run) and the PyTorch "
                + "reference (shared/reference/pytorch: lm.py, seq2seq.py on Debian's torch 1.13) one right after the "
                + "other for each section, who goes first alternating. Seconds are each side's own timing of its "
                + "training loop (start-up, data loading and the final translations or generations not included); "
                + "tokens/s = the tokens of all epochs ÷ those seconds (seq2seq: the real target tokens, padding not "
                + "counted, on both sides). The last columns give each side's perplexity (or loss) at its last epoch, one "
                + "epoch's value: a run whose last epoch spiked shows the spike. Rows keep the time their run finished; "
                + "a row finished before the others ran the code of that time, not of the commit named below.");
        report.paragraph(RunProvenance.dateAndCommit() + ". Machine: " + machine + ". Our BLAS: " + blas + ".");
        report.command(command);
        List<List<?>> rows = new ArrayList<>();
        for (EndToEnd.Row row : r.sections()) {
            rows.add(List.of(row.section(), String.format("%.1f", row.oursSeconds()), String.format("%.0f", row.oursTokensPerSec()),
                    String.format("%.1f", row.pytorchSeconds()), String.format("%.0f", row.pytorchTokensPerSec()),
                    String.format("%.2f", row.ratio()), row.quality(), String.format("%.4f", row.ours()),
                    String.format("%.4f", row.pytorch()), row.finished()));
        }
        report.table(List.of("section", "ours, s", "ours, tokens/s", "PyTorch, s", "PyTorch, tokens/s",
                "ours / PyTorch (tokens/s)", "final", "ours", "PyTorch", "ours finished (UTC)"), rows);
        List<List<?>> commands = new ArrayList<>();
        for (EndToEnd.Row row : r.sections()) {
            commands.add(List.of(row.section(), "`" + row.oursCommand() + "`", "`" + row.pytorchCommand() + "`"));
        }
        report.heading("The runs").table(List.of("section", "ours (CLI)", "PyTorch (shared/reference/pytorch)"), commands);
        report.metrics(r.metrics()).write();
    }
}
