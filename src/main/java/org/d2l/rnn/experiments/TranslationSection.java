package org.d2l.rnn.experiments;

import org.d2l.rnn.jobs.TranslationJob;
import org.d2l.rnn.jobs.TranslationSettings;

/** What the seq2seq sections (d2l 9.7, 9.8) share: d2l's training run, exported to {@code models/}. */
abstract class TranslationSection implements Experiment {
    /** The PyTorch reference (shared/reference/pytorch/RESULTS.md): seq2seq_300, 300 epochs. */
    static final double REFERENCE_LOSS = 0.019;
    static final double[] REFERENCE_BLEU_DRIFTING = {1.0, 1.0, 0.343, 0.481};
    static final double[] REFERENCE_BLEU_ENCODER_CONTEXT = {1.0, 1.0, 0.658, 1.0};

    /** d2l 9.7's settings; a quick run is 1 epoch over 2 minibatches (128 pairs). */
    protected TranslationJob.Trained train(RunContext ctx) {
        TranslationSettings.Builder b = TranslationSettings.builder().optSeed(ctx.seed())
                .optEpochs(ctx.epochsOr(300)).optSave(ctx.modelsDir().resolve(name() + "-fra-eng.zip"));
        if (ctx.quick()) {
            b.optNumExamples(127); // d2l reads one line more than asked: 128 pairs, two minibatches of 64
        }
        ctx.out().println("== " + title());
        settings = b.build();
        return TranslationJob.train(settings, ctx.hub(), ctx.out());
    }

    /** The settings of the last {@link #train}, for the report's table. */
    private TranslationSettings settings;

    /** The settings table every report carries: what was trained, with which data and optimiser. */
    protected void settingsTable(org.d2l.rnn.report.Report report, TranslationJob.Trained t) {
        TranslationSettings s = settings;
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("data", "fra-eng, first " + t.data().pairs().size() + " pairs, source vocabulary "
                + t.data().source().size() + ", target vocabulary " + t.data().target().size() + " (min_freq "
                + s.minFreq() + ")");
        m.put("model", "GRU encoder-decoder: embedding " + s.embedding() + ", hidden " + s.hidden() + ", "
                + s.layers() + " layers, dropout " + s.dropout() + ", decoder " + s.decoder());
        m.put("training", "batch " + s.batch() + " × num_steps " + s.steps() + ", Adam lr " + s.lr() + ", clip θ = "
                + s.clip() + ", " + s.epochs() + " epochs, seed " + s.seed());
        m.put("parameters", t.result().params());
        m.put("time per epoch", String.format("%.2f s", t.result().seconds() / Math.max(1, s.epochs())));
        report.heading("Settings").settings(m);
    }

}
