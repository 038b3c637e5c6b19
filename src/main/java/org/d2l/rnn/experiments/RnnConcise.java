package org.d2l.rnn.experiments;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/** d2l 8.6: the RNN with the framework's own layer (DL4J's SimpleRnn), hidden 256. */
public final class RnnConcise extends LanguageModelSection {
    @Override
    public String name() {
        return "rnn-concise";
    }

    @Override
    public String title() {
        return "8.6 Concise Implementation of RNNs";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant("SimpleRnn 256",
                LmSettings.builder().optModel(ModelKind.RNN).optHidden(256).optSeed(seed).build()));
    }

    @Override
    protected Map<String, LmReport.Reference> references() {
        return Map.of("SimpleRnn 256", References.TM_RNN.get());
    }

    @Override
    protected String summary() {
        return "The same character-level language model as 8.5, built from DL4J's SimpleRnn layer and an "
                + "RnnOutputLayer, trained with d2l's settings (SGD lr 1, global-norm clipping θ = 1, sequential "
                + "partitioning with the state carried across minibatches, 500 epochs on the first 10,000 characters).";
    }
}
