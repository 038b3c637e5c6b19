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
        return Map.of("LSTM 256", References.TM_LSTM.get());
    }

    @Override
    protected String summary() {
        return "An LSTM (input, forget and output gates and a memory cell) from DL4J's built-in layer, trained with "
                + "d2l's settings. The layer is `StatefulLstm`: DL4J 1.0.0-M2.1's LSTM with one fix — under truncated "
                + "BPTT its ComputationGraph runs the forward pass from the carried state but the backward pass from "
                + "zeros, so the gradient belonged to another trajectory (this run stalled at perplexity 2.23 before "
                + "the fix); a finite-difference test from a stored state guards it.";
    }
}
