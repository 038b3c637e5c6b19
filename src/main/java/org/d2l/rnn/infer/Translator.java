package org.d2l.rnn.infer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.d2l.rnn.UserError;
import org.d2l.rnn.datavec.TranslationArrays;
import org.d2l.rnn.seq2seq.ContextMode;
import org.d2l.rnn.seq2seq.DecoderState;
import org.d2l.rnn.seq2seq.EncoderOutputs;
import org.d2l.rnn.seq2seq.Seq2SeqDecoding;
import org.d2l.rnn.seq2seq.Seq2SeqGraph;
import org.d2l.rnn.seq2seq.Translation;
import org.d2l.rnn.text.TranslationText;
import org.d2l.rnn.text.Vocab;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * d2l's {@code predict_seq2seq} for a trained {@link Seq2SeqGraph}: the sentence is preprocessed as the training
 * data was, words outside the source vocabulary become {@code <unk>} (and are reported), {@code <eos>} is
 * appended, and the output is decoded greedily (beam 1) or by beam search for at most {@code steps} tokens.
 */
public final class Translator {
    /** d2l 9.8's length-penalty exponent α. */
    public static final double ALPHA = 0.75;

    private final Vocab source;
    private final Vocab target;
    private final int steps;
    private final Seq2SeqDecoding<EncoderOutputs, DecoderState> decoding;

    public Translator(ComputationGraph net, Vocab source, Vocab target, int steps, ContextMode context) {
        this.source = source;
        this.target = target;
        this.steps = steps;
        this.decoding = new Seq2SeqDecoding<>(Seq2SeqGraph.inferenceModel(net, context),
                target.indexOf(TranslationArrays.BOS), target.indexOf(TranslationArrays.EOS), steps);
    }

    /**
     * @param text the translation, tokens joined by spaces
     * @param unknownWords source words the model has never seen (read as {@code <unk>})
     * @param score d2l 9.8's log P / L^α of the output
     */
    public record Result(String sentence, String text, List<String> unknownWords, int beam, double logProbability,
                         double score, boolean endedWithEos) {
    }

    public Result translate(String sentence, int beam) {
        return translate(List.of(sentence), beam, 1).get(0);
    }

    /**
     * Translates every sentence, in order. Greedy decoding runs {@code batchSize} sentences at a time through the
     * encoder and the decoder's steps; beam search goes sentence by sentence (its batch is the beam). A sentence
     * that cannot be translated stops the whole call before any decoding, with its number when there are several.
     */
    public List<Result> translate(List<String> sentences, int beam, int batchSize) {
        if (beam < 1) {
            throw new UserError("--beam must be at least 1 (1 = greedy), got " + beam);
        }
        if (batchSize < 1) {
            throw new UserError("--batch must be at least 1, got " + batchSize);
        }
        List<Source> sources = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            try {
                sources.add(prepare(sentences.get(i)));
            } catch (UserError e) {
                throw sentences.size() == 1 ? e : new UserError("sentence " + (i + 1) + ": " + e.getMessage());
            }
        }
        List<Translation> translations = new ArrayList<>(sources.size());
        if (beam == 1) {
            int pad = source.indexOf(TranslationArrays.PAD);
            for (int from = 0; from < sources.size(); from += batchSize) {
                List<int[]> batch = sources.subList(from, Math.min(from + batchSize, sources.size())).stream()
                        .map(Source::tokens).toList();
                translations.addAll(decoding.greedy(batch, pad));
            }
        } else {
            for (Source s : sources) {
                translations.add(decoding.beamSearch(s.tokens(), beam, ALPHA));
            }
        }
        List<Result> results = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            Translation t = translations.get(i);
            StringBuilder text = new StringBuilder();
            for (int token : t.tokens()) {
                text.append(text.length() == 0 ? "" : " ").append(target.token(token));
            }
            results.add(new Result(sentences.get(i), text.toString(), sources.get(i).unknownWords(), beam,
                    t.logProbability(), t.score(ALPHA), t.endedWithEos()));
        }
        return results;
    }

    /** A sentence as the model reads it: preprocessed, in source-vocabulary indices, with {@code <eos>}. */
    private record Source(int[] tokens, List<String> unknownWords) {
    }

    private Source prepare(String sentence) {
        String prepared = TranslationText.preprocess(sentence.strip());
        if (prepared.isBlank()) {
            throw new UserError("nothing to translate: give a sentence, e.g. \"go .\"");
        }
        List<String> words = Arrays.asList(prepared.split(" +"));
        if (words.size() + 1 > steps) { // + <eos>
            throw new UserError("the sentence has " + words.size() + " tokens; this model reads at most " + (steps - 1)
                    + " (num_steps " + steps + " including <eos>): shorten it or train with a larger --num-steps");
        }
        List<String> unknown = new ArrayList<>();
        int[] tokens = new int[words.size() + 1];
        for (int i = 0; i < words.size(); i++) {
            if (!source.contains(words.get(i))) {
                unknown.add(words.get(i));
            }
            tokens[i] = source.indexOf(words.get(i));
        }
        tokens[words.size()] = source.indexOf(TranslationArrays.EOS);
        return new Source(tokens, unknown);
    }
}
