package org.d2l.rnn.experiments.exercises;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.data.DataHub;
import org.d2l.rnn.datavec.TranslationData;
import org.d2l.rnn.infer.Bleu;
import org.d2l.rnn.infer.Translator;
import org.d2l.rnn.jobs.TranslationJob;
import org.d2l.rnn.text.TranslationText;

/**
 * English–French pairs the seq2seq model never trained on: the lines after d2l's first 600, short enough for its
 * num_steps; and the average BLEU of a translator over them or over d2l's four test sentences.
 */
record HeldOutPairs(List<String> sources, List<String> references) {
    static final int BLEU_K = 2;

    /** {@code count} pairs from line {@code first} on (0-based) whose source fits {@code steps} with its {@code <eos>}. */
    static HeldOutPairs after(DataHub hub, int first, int count, int steps) {
        TranslationText.Pairs all = TranslationText.tokenize(TranslationText.preprocess(hub.readText(
                TranslationData.DATASET)), first + 4 * count);
        List<String> sources = new ArrayList<>();
        List<String> references = new ArrayList<>();
        for (int i = first; i < all.size() && sources.size() < count; i++) {
            if (all.source().get(i).size() + 1 <= steps) {
                sources.add(String.join(" ", all.source().get(i)));
                references.add(String.join(" ", all.target().get(i)));
            }
        }
        return new HeldOutPairs(sources, references);
    }

    /** d2l 9.7's four test sentences. */
    static HeldOutPairs d2lTests() {
        Map<String, String> tests = TranslationJob.D2L_TESTS;
        return new HeldOutPairs(List.copyOf(tests.keySet()), List.copyOf(tests.values()));
    }

    double averageBleu(Translator translator, int beam) {
        return averageBleu(translate(translator, beam));
    }

    /** Every source translated, one sentence at a time (so greedy and beam are timed alike). */
    List<Translator.Result> translate(Translator translator, int beam) {
        return translator.translate(sources, beam, 1);
    }

    /** The average BLEU of {@code translations}, one per source in order. */
    double averageBleu(List<Translator.Result> translations) {
        double sum = 0;
        for (int i = 0; i < sources.size(); i++) {
            sum += Bleu.score(translations.get(i).text(), references.get(i), BLEU_K);
        }
        return sum / sources.size();
    }

    int size() {
        return sources.size();
    }
}
