package org.d2l.rnn.experiments;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/**
 * d2l-zh v1 (Dive-into-DL 6.5): the concise RNN on the first 10,000 characters of Jay Chou's lyrics —
 * hidden 256, 35 steps, batch 32, Adam 1e-3, clipping θ = 0.01, 250 epochs, consecutive sampling with the
 * state carried across minibatches and epochs, generations from 分开 and 不分开 every 50 epochs, and from 分开
 * before training.
 */
public final class JayChouRnn extends LanguageModelSection {

    @Override
    public String name() {
        return "jaychou-rnn";
    }

    @Override
    public String title() {
        return "d2l-zh 6.5 RNN on Jay Chou lyrics (concise)";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant("SimpleRnn 256, Adam", jayChou(ModelKind.RNN, seed).optOptimizer("adam").optLr(1e-3)
                .build()));
    }

    /** The d2l-zh Jay Chou settings shared by the concise and the scratch runs. */
    static LmSettings.Builder jayChou(ModelKind model, long seed) {
        return LmSettings.builder().optModel(model).optDataset("jay-chou").optHidden(256).optSteps(35).optBatch(32)
                .optClip(0.01).optEpochs(250).optSampling(Partitioning.SEQUENTIAL).optRandomOffset(false)
                .optCarryAcrossEpochs(true).optMaxTokens(10_000).optPrefixes(LmSettings.JAY_CHOU_PREFIXES).optPredictEvery(50)
                // d2l-zh predicts from both prefixes every period, and from 分开 with the untrained model
                .optPredictEveryPrefix(true).optUntrainedPrefix(LmSettings.JAY_CHOU_PREFIXES.get(0))
                .optSeed(seed);
    }

    @Override
    protected Map<String, LmReport.Reference> references() {
        return Map.of("SimpleRnn 256, Adam", References.JAY_CHOU_RNN.get());
    }

    @Override
    protected String summary() {
        return "Character-level lyrics: 1,027 distinct characters in the first 10,000 (plus `<unk>` here), so the "
                + "output layer is four times wider than the RNN. Consecutive sampling without a random offset, the "
                + "state kept from minibatch to minibatch and from epoch to epoch, as the original. The clipping "
                + "threshold θ = 0.01 is really applied (the PyTorch port of d2l-zh silently skipped it; the "
                + "reference here applies it too).";
    }
}
