package org.d2l.rnn.experiments;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/** d2l 8.5: the RNN from its equations, hidden 512, with sequential and with random partitioning. */
public final class RnnScratch extends LanguageModelSection {
    private static final String SEQUENTIAL = "sequential";
    private static final String RANDOM = "random";

    @Override
    public String name() {
        return "rnn-scratch";
    }

    @Override
    public String title() {
        return "8.5 Recurrent Neural Network Implementation from Scratch";
    }

    @Override
    protected List<Variant> variants(long seed) {
        LmSettings.Builder b = LmSettings.builder().optModel(ModelKind.RNN_SCRATCH).optHidden(512).optSeed(seed);
        return List.of(new Variant(SEQUENTIAL, b.optSampling(Partitioning.SEQUENTIAL).build()),
                new Variant(RANDOM, b.optSampling(Partitioning.RANDOM).build()));
    }

    @Override
    protected Map<String, LmReport.Reference> references() {
        return Map.of(SEQUENTIAL, References.TM_RNN_SCRATCH_SEQ.get(), RANDOM, References.TM_RNN_SCRATCH_RANDOM.get());
    }

    @Override
    protected String summary() {
        return "H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h), O_t = H_t W_hq + b_q, written out as SameDiff ops with "
                + "explicit parameters (normal(0, 0.01) weights, zero biases) on one-hot input, differentiated by "
                + "SameDiff and trained with d2l's settings. Sequential partitioning carries the state from "
                + "minibatch to minibatch (detached); random partitioning starts each minibatch from zeros and "
                + "ends higher.";
    }
}
