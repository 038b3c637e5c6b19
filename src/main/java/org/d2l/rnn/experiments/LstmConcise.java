package org.d2l.rnn.experiments;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/** d2l 9.2 (concise): DL4J's LSTM layer, hidden 256. */
public final class LstmConcise extends LanguageModelSection {
    @Override
    public String name() {
        return "lstm";
    }

    @Override
    public String title() {
        return "9.2 Long Short-Term Memory (concise)";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant("LSTM 256", LmSettings.builder().optModel(ModelKind.LSTM).optSeed(seed).build()));
    }

    @Override
    protected Map<String, LmReport.Reference> references() {
        return Map.of("LSTM 256", References.TM_LSTM);
    }

    @Override
    protected String summary() {
        return "An LSTM (input, forget and output gates and a memory cell) from DL4J's built-in layer, trained with "
                + "d2l's settings. Known gap: from a carried state DL4J 1.0.0-M2.1's LSTM computes an inexact gradient "
                + "(a finite-difference test shows it; from a zero state it is exact), and this run ends well above the "
                + "PyTorch reference; `lstm-scratch`, whose gradient is exact, is the comparison to read.";
    }
}
