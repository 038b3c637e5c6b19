package org.d2l.rnn.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/**
 * d2l-zh v1 (6.4, 6.7, 6.8): RNN, GRU and LSTM from scratch on the Jay Chou lyrics with SGD lr 100 and
 * clipping θ = 0.01, each with random and consecutive sampling (state reset every epoch, as the original).
 */
public final class JayChouScratch extends LanguageModelSection {
    private static final List<ModelKind> MODELS = List.of(ModelKind.RNN_SCRATCH, ModelKind.GRU_SCRATCH,
            ModelKind.LSTM_SCRATCH);

    @Override
    public String name() {
        return "jaychou-scratch";
    }

    @Override
    public String title() {
        return "d2l-zh 6.4/6.7/6.8 RNN, GRU, LSTM from scratch on Jay Chou lyrics";
    }

    @Override
    protected List<Variant> variants(long seed) {
        List<Variant> out = new ArrayList<>();
        for (ModelKind model : MODELS) {
            for (Partitioning sampling : Partitioning.values()) {
                out.add(new Variant(model.cliName() + ", " + sampling.name().toLowerCase(),
                        JayChouRnn.jayChou(model, seed).optOptimizer("sgd").optLr(100).optSampling(sampling)
                                .optCarryAcrossEpochs(false).build()));
            }
        }
        return out;
    }

    @Override
    protected Map<String, LmReport.Reference> references() {
        return Map.of();
    }

    @Override
    protected String summary() {
        return "The d2l-zh v1 experiments: hidden 256, 35 steps, batch 32, SGD with learning rate 100 on the "
                + "per-token loss, global-norm clipping θ = 0.01, 250 epochs, generations from 分开 and 不分开 every "
                + "50 epochs. Random sampling restarts the state every minibatch; consecutive sampling carries it "
                + "within an epoch.";
    }
}
