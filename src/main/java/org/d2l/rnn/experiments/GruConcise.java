package org.d2l.rnn.experiments;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/** d2l 9.1 (concise): our fused GRU layer, since DL4J has none. */
public final class GruConcise extends LanguageModelSection {
    @Override
    public String name() {
        return "gru";
    }

    @Override
    public String title() {
        return "9.1 Gated Recurrent Units (concise)";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant("GRU 256", LmSettings.builder().optModel(ModelKind.GRU).optSeed(seed).build()));
    }

    @Override
    protected Map<String, LmReport.Reference> references() {
        return Map.of("GRU 256", References.TM_GRU.get());
    }

    @Override
    protected String summary() {
        return "DL4J has no GRU layer; `FastGru` is ours: d2l's GRU with its forward pass and backpropagation "
                + "through time in a fused kernel (all input projections in one matmul, every matmul a direct OpenBLAS "
                + "call, each step's elementwise work one SIMD pass with the JDK's vector API), "
                + "verified against the SameDiff definition of `gru-scratch` (same outputs and gradients to 1e-9) "
                + "and by DL4J's gradient check, stateful like DL4J's own recurrent layers. `train-lm --model gru-samediff` "
                + "trains the same GRU, parameters and init as a SameDiff layer (slower: notebooks-export/performance/scratch).";
    }
}
