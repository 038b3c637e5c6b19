package org.d2l.rnn.experiments;

import java.util.ArrayList;
import java.util.List;
import org.d2l.rnn.jobs.TranslationJob;
import org.d2l.rnn.jobs.TranslationResult;
import org.d2l.rnn.report.Charts;
import org.d2l.rnn.report.Report;

/** d2l 9.7: the RNN encoder–decoder trained on 600 fra-eng pairs, then d2l's four test translations with BLEU. */
public final class Seq2Seq extends TranslationSection {
    @Override
    public String name() {
        return "seq2seq";
    }

    @Override
    public String title() {
        return "9.7 Sequence to Sequence Learning";
    }

    @Override
    public TranslationResult run(RunContext ctx) {
        TranslationJob.Trained t = train(ctx);
        TranslationResult r = t.result();
        Report report = ctx.report(this);
        report.paragraph("A 2-layer GRU encoder reads the English sentence; its final states (read at each sentence's "
                + "true length, not at the padding) start a 2-layer GRU decoder, whose every step gets the encoder's "
                + "last-layer state (the context) concatenated to its input — a custom DL4J vertex with a "
                + "hand-written backward pass, checked against its SameDiff definition. Teacher forcing with "
                + "`<bos>`, masked softmax cross-entropy, Adam, global-norm clipping θ = 1, dropout 0.1.");
        report.paragraph("Two differences from d2l's code, on purpose. (1) At prediction time d2l's decoder replaces the "
                + "context by its own last state after the first step (its `init_state` only runs once and its "
                + "`forward` takes the context from the state it returns); here the context stays the encoder's, as "
                + "the model was trained — both are shown below. (2) PyTorch's `nn.GRU` has two bias vectors per "
                + "layer and puts the reset gate after the recurrent bias; the GRU here is d2l's own equations "
                + "(9.1), one bias — which is why it has " + r.params() + " parameters where the reference has 47,369.");
        report.command(ctx.command(this));
        settingsTable(report, t);
        report.heading("Loss");
        report.table(List.of("", "final loss (d2l's units)", "per-token cross-entropy", "tokens/s", "seconds"),
                List.of(List.of("this run", fmt(r.loss()), fmt(r.tokenLoss()), String.format("%.0f", r.tokensPerSec()),
                                String.format("%.1f", r.seconds())),
                        List.of("PyTorch reference", fmt(REFERENCE_LOSS), fmt(REFERENCE_LOSS * 10), "23,549–26,994", "29–44")));
        report.figure("loss", Charts.lines("seq2seq training loss", "epoch", "loss",
                List.of(Charts.Series.of("loss", r.lossByEpoch()))), "d2l's printed loss per epoch");
        report.heading("Translations (BLEU, k = 2)");
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < r.translations().size(); i++) {
            TranslationResult.Row row = r.translations().get(i);
            rows.add(List.of(row.source(), row.reference(), row.greedy() + " (" + fmt(row.bleu()) + ")",
                    row.beamSearch() + " (" + fmt(row.beamBleu()) + ")",
                    row.greedyDriftingContext() + " (" + fmt(row.driftingBleu()) + ")",
                    fmt(REFERENCE_BLEU_ENCODER_CONTEXT[i]) + " / " + fmt(REFERENCE_BLEU_DRIFTING[i])));
        }
        report.table(List.of("English", "reference", "greedy", "beam " + r.beam(), "greedy, d2l's drifting context",
                "PyTorch BLEU (encoder / drifting context)"), rows);
        report.metrics(r.metrics()).write();
        return r;
    }

    private static String fmt(double v) {
        return String.format("%.3f", v);
    }
}
