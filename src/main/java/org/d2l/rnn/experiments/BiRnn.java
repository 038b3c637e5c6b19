package org.d2l.rnn.experiments;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/** d2l 9.4: a two-layer bidirectional LSTM used — wrongly, on purpose — as a language model. */
public final class BiRnn extends LanguageModelSection {
    @Override
    public String name() {
        return "bi-rnn";
    }

    @Override
    public String title() {
        return "9.4 Bidirectional Recurrent Neural Networks";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant("Bidirectional 2 x LSTM 256",
                LmSettings.builder().optModel(ModelKind.BI_LSTM).optLayers(2).optSeed(seed).build()));
    }

    @Override
    protected Map<String, LmReport.Reference> references() {
        return Map.of("Bidirectional 2 x LSTM 256", References.TM_BI_LSTM_30.get());
    }

    @Override
    protected String summary() {
        return "d2l's warning made concrete: the backward direction reads the characters AFTER each position, so "
                + "during training predicting the next character is easy and the perplexity gets very low — but at "
                + "generation time there is no future to read, and the text is nonsense. DL4J cannot run a "
                + "Bidirectional layer with a stored state (no rnnTimeStep, no truncated BPTT), so every minibatch "
                + "starts from a zero state and generation re-reads the whole text for each new character.";
    }
}
