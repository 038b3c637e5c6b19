package org.d2l.rnn.experiments;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/** d2l 9.1: the GRU from its equations (SameDiff). */
public final class GruScratch extends LanguageModelSection {
    @Override
    public String name() {
        return "gru-scratch";
    }

    @Override
    public String title() {
        return "9.1 Gated Recurrent Units from Scratch";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant("GRU 256 (scratch)",
                LmSettings.builder().optModel(ModelKind.GRU_SCRATCH).optSeed(seed).build()));
    }

    @Override
    protected Map<String, LmReport.Reference> references() {
        return Map.of("GRU 256 (scratch)", References.TM_GRU_SCRATCH.get());
    }

    @Override
    protected String summary() {
        return "R = σ(X W_xr + H W_hr + b_r), Z = σ(X W_xz + H W_hz + b_z), H~ = tanh(X W_xh + (R ⊙ H) W_hh + b_h), "
                + "H = Z ⊙ H + (1 − Z) ⊙ H~ — d2l's equations exactly (the reset gate before the recurrent matmul), "
                + "as a SameDiff graph unrolled over time. This graph is also the reference definition the fused "
                + "`gru` layer is verified against.";
    }
}
