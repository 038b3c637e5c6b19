package org.d2l.rnn.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A tokenized corpus: the cleaned lines, their tokens, the vocabulary and the flat index stream that the
 * language models train on (d2l's {@code corpus, vocab}).
 *
 * @param name        where it came from (dataset name)
 * @param lines       the lines after cleaning
 * @param tokens      the tokens of each line
 * @param vocab       the vocabulary built over all tokens
 * @param indices     every token's index, line after line, cut to {@code max_tokens} if one was given
 */
public record Corpus(String name, List<String> lines, List<List<String>> tokens, Vocab vocab, int[] indices) {

    public int size() {
        return indices.length;
    }

    /** All tokens in order (not truncated), as d2l's {@code [token for line in tokens for token in line]}. */
    public List<String> flatTokens() {
        return flatten(tokens);
    }

    public int[] lineIndices(int line) {
        return vocab.indicesOf(tokens.get(line));
    }

    static List<String> flatten(List<List<String>> tokens) {
        List<String> flat = new ArrayList<>();
        tokens.forEach(flat::addAll);
        return flat;
    }
}
