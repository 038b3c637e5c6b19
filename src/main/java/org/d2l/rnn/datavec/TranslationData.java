package org.d2l.rnn.datavec;

import java.util.List;
import org.d2l.rnn.UserError;
import org.d2l.rnn.data.DataHub;
import org.d2l.rnn.text.TranslationText;
import org.d2l.rnn.text.Vocab;

/**
 * d2l 9.5's {@code load_data_nmt}: fra-eng preprocessed and tokenized, a vocabulary per language (min_freq,
 * reserved {@code <pad> <bos> <eos>}), every sentence as {@code build_array_nmt} arrays of {@code steps} tokens.
 */
public record TranslationData(TranslationText.Pairs pairs, Vocab source, Vocab target, TranslationArrays sourceArrays,
                              TranslationArrays targetArrays) {
    public static final String DATASET = "fra-eng";

    /**
     * @param numExamples pairs to read (d2l: 600; 0 = all)
     */
    public static TranslationData load(DataHub hub, int numExamples, int steps, int minFreq) {
        if (numExamples < 0 || steps < 1 || minFreq < 1) {
            throw new UserError("--num-examples must be >= 0, --num-steps and --min-freq >= 1");
        }
        TranslationText.Pairs pairs = TranslationText.tokenize(TranslationText.preprocess(hub.readText(DATASET)),
                numExamples);
        Vocab source = vocabulary(pairs.source(), minFreq);
        Vocab target = vocabulary(pairs.target(), minFreq);
        return new TranslationData(pairs, source, target, TranslationArrays.of(pairs.source(), source, steps),
                TranslationArrays.of(pairs.target(), target, steps));
    }

    public int steps() {
        return targetArrays.tokens()[0].length;
    }

    /** Shuffled teacher-forcing minibatches over all pairs. */
    public TranslationIterator iterator(int batch, long seed) {
        if (batch < 1) {
            throw new UserError("--batch must be at least 1, got " + batch);
        }
        return new TranslationIterator(TranslationPairReader.of(sourceArrays, targetArrays,
                target.indexOf(TranslationArrays.BOS)), batch, target.size(), seed);
    }

    /** d2l 9.5's vocabulary of one language: its words seen at least minFreq times, plus the reserved tokens. */
    public static Vocab vocabulary(List<List<String>> sentences, int minFreq) {
        return Vocab.build(sentences.stream().flatMap(List::stream).toList(), minFreq, TranslationArrays.RESERVED);
    }
}
