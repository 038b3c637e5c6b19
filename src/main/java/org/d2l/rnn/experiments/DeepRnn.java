package org.d2l.rnn.experiments;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/** d2l 9.3: two stacked LSTM layers of 256, learning rate 2. */
public final class DeepRnn extends LanguageModelSection {
    @Override
    public String name() {
        return "deep-rnn";
    }

    @Override
    public String title() {
        return "9.3 Deep Recurrent Neural Networks";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant("2 x LSTM 256",
                LmSettings.builder().optModel(ModelKind.LSTM).optLayers(2).optLr(2).optSeed(seed).build()));
    }

    @Override
    protected Map<String, LmReport.Reference> references() {
        return Map.of("2 x LSTM 256", References.TM_DEEP_LSTM.get());
    }

    @Override
    protected String summary() {
        return "Two LSTM layers stacked: the first layer's hidden states are the second layer's inputs. d2l trains "
                + "it with learning rate 2; it plateaus longer before it learns.";
    }
}
