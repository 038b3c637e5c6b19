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
        int[][] tokens = new int[sentences.size()][];
        int[] valid = new int[sentences.size()];
        for (int s = 0; s < sentences.size(); s++) {
            List<String> words = sentences.get(s);
            int[] line = new int[words.size() + 1];
            for (int t = 0; t < words.size(); t++) {
                line[t] = vocab.indexOf(words.get(t));
            }
            line[words.size()] = eos;
            tokens[s] = truncatePad(line, steps, pad);
            for (int index : tokens[s]) {
                valid[s] += index != pad ? 1 : 0;
            }
        }
        return new TranslationArrays(tokens, valid);
    }

    /** d2l's {@code truncate_pad}: {@code line} cut to {@code steps}, or padded with {@code pad}; nothing added. */
    public static int[] truncatePad(int[] line, int steps, int pad) {
        int[] out = new int[steps];
        for (int t = 0; t < steps; t++) {
            out[t] = t < line.length ? line[t] : pad;
        }
        return out;
    }
}
