package org.d2l.rnn.experiments;

import org.d2l.rnn.io.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.infer.Bleu;
import org.d2l.rnn.infer.Translator;
import org.d2l.rnn.jobs.TranslationJob;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.seq2seq.ContextMode;

/**
 * d2l 9.8: greedy search against beam search on the trained encoder–decoder: for each test sentence and beam
 * size, the output, its log-probability, d2l's length-normalised score log P / L^α (α = 0.75) and BLEU.
 */
public final class BeamSearch extends TranslationSection {
    private static final int[] BEAMS = {1, 2, 3, 5};

    /** One decoding: sentence, beam size, and what came out. */
    public record Decoding(String source, int beam, String translation, double logProbability, double score,
                           double bleu) {
    }

    /** @param beamOneIsGreedy whether beam 1 gave the greedy output for every sentence (it must) */
    public record Result(double loss, List<Decoding> decodings, boolean beamOneIsGreedy) implements RunResult {
    }

    @Override
    public String name() {
        return "beam-search";
    }

    @Override
    public String title() {
        return "9.8 Beam Search";
    }

    @Override
    public Result run(RunContext ctx) {
        TranslationJob.Trained t = train(ctx);
        Translator translator = new Translator(t.net(), t.data().source(), t.data().target(), t.data().steps(),
                ContextMode.ENCODER);
        List<Decoding> decodings = new ArrayList<>();
        boolean beamOneIsGreedy = true;
        for (int i = 0; i < t.result().translations().size(); i++) {
            var row = t.result().translations().get(i);
            for (int k : BEAMS) {
                Translator.Result r = translator.translate(row.source(), k);
                decodings.add(new Decoding(row.source(), k, r.text(), r.logProbability(), r.score(),
                        Bleu.score(r.text(), row.reference(), 2)));
                beamOneIsGreedy &= k != 1 || r.text().equals(row.greedy());
            }
        }
        decodings.forEach(d -> ctx.out().printf("%s, beam %d: %s (log P %.3f, score %.3f, bleu %.3f)%n", d.source(),
                d.beam(), d.translation(), d.logProbability(), d.score(), d.bleu()));
        Result result = new Result(t.result().loss(), decodings, beamOneIsGreedy);
        write(ctx.report(this), ctx, result, t);
        return result;
    }

    private void write(Report report, RunContext ctx, Result r, TranslationJob.Trained t) {
        report.paragraph("Greedy search takes the most likely token at every step; beam search keeps the k most "
                + "likely partial translations, and at the end picks the finished one with the best log P / L^α "
                + "(α = 0.75), so longer outputs are not penalised merely for having more factors. Beam size 1 is "
                + "greedy search (" + (r.beamOneIsGreedy() ? "checked on every sentence below" : "NOT met: a bug")
                + "); exhaustive search over 201^10 sequences is out of reach, but on a tiny vocabulary the tests "
                + "check that beam search finds the exhaustive optimum. The model is the 9.7 model trained with "
                + "d2l's settings (final loss " + String.format("%.4f", r.loss()) + ").");
        report.command(ctx.command(this));
        settingsTable(report, t);
        List<List<?>> rows = new ArrayList<>();
        for (Decoding d : r.decodings()) {
            rows.add(List.of(d.source(), d.beam(), d.translation(), String.format("%.3f", d.logProbability()),
                    String.format("%.3f", d.score()), String.format("%.3f", d.bleu())));
        }
        report.table(List.of("English", "beam", "French", "log P", "log P / L^0.75", "BLEU (k = 2)"), rows);
        Map<String, Object> metrics = new LinkedHashMap<>(r.metrics());
        report.metrics(metrics).write();
    }
}
