package org.d2l.rnn.experiments;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/** d2l 9.1 (concise): our SameDiff GRU layer with PyTorch's init, since DL4J has none. */
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
        return "DL4J has no GRU layer, so this is ours: d2l's GRU equations as a custom SameDiff layer "
                + "(`ScratchRecurrent` with the GRU cell, differentiated by SameDiff's autodiff and run by `SameDiffPlan`), "
                + "started as PyTorch's `nn.GRU` starts (uniform ±1/√256), stateful like DL4J's own recurrent layers, and "
                + "checked by DL4J's gradient check. `--model gru-fused` trains the same GRU, parameters and init on "
                + "`FastGru`, a fused kernel with a hand-written backward pass verified against this layer; "
                + "notebooks-export/performance/scratch has the speed of both.";
    }
}
