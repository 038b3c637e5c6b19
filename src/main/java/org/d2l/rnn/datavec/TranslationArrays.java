package org.d2l.rnn.datavec;

import java.util.List;
import org.d2l.rnn.text.Vocab;

/**
 * d2l's {@code build_array_nmt}: each sentence as indices, {@code <eos>} appended, cut or padded with
 * {@code <pad>} to {@code steps}; {@code validLength} counts the non-padding tokens.
 */
public record TranslationArrays(int[][] tokens, int[] validLength) {
    public static final String PAD = "<pad>";
    public static final String BOS = "<bos>";
    public static final String EOS = "<eos>";
    public static final List<String> RESERVED = List.of(PAD, BOS, EOS);

    public static TranslationArrays of(List<List<String>> sentences, Vocab vocab, int steps) {
        int pad = vocab.indexOf(PAD);
        int eos = vocab.indexOf(EOS);
        int[][] tokens = new int[sentences.size()][steps];
        int[] valid = new int[sentences.size()];
        for (int s = 0; s < sentences.size(); s++) {
            List<String> words = sentences.get(s);
            for (int t = 0; t < steps; t++) {
                int index = t < words.size() ? vocab.indexOf(words.get(t)) : t == words.size() ? eos : pad;
                tokens[s][t] = index;
                if (index != pad) {
                    valid[s]++;
                }
            }
        }
        return new TranslationArrays(tokens, valid);
    }
}
