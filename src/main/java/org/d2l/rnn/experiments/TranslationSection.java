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
        return TranslationJob.train(b.build(), ctx.hub(), ctx.out());
    }

}
