package org.d2l.rnn.experiments;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/** d2l 9.2: the LSTM from its equations (SameDiff). */
public final class LstmScratch extends LanguageModelSection {
    @Override
    public String name() {
        return "lstm-scratch";
    }

    @Override
    public String title() {
        return "9.2 Long Short-Term Memory from Scratch";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant("LSTM 256 (scratch)",
                LmSettings.builder().optModel(ModelKind.LSTM_SCRATCH).optSeed(seed).build()));
    }

    @Override
    protected Map<String, LmReport.Reference> references() {
        return Map.of("LSTM 256 (scratch)", References.TM_LSTM_SCRATCH.get());
    }

    @Override
    protected String summary() {
        return "Input, forget and output gates and a candidate memory, C = F ⊙ C + I ⊙ C~, H = O ⊙ tanh(C), written "
                + "as SameDiff ops with explicit parameters; the state (H, C) is carried between minibatches.";
    }
}
