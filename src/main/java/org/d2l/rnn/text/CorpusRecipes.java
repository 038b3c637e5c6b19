package org.d2l.rnn.text;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.d2l.rnn.UserError;

/** The two ways d2l turns raw text into a corpus: the English books (d2l 8.2) and the Jay Chou lyrics (d2l-zh). */
public final class CorpusRecipes {
    /** d2l-zh v1 trains on the first 10,000 characters of the lyrics. */
    public static final int JAY_CHOU_CHARS = 10_000;
    private static final Pattern NON_LETTERS = Pattern.compile("[^A-Za-z]+");

    private CorpusRecipes() {
    }

    /** d2l's {@code read_time_machine} cleaning: runs of non-letters become one space, then strip, lower case. */
    public static String cleanEnglishLine(String line) {
        return NON_LETTERS.matcher(line).replaceAll(" ").strip().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * d2l's {@code load_corpus_time_machine}: clean every line, tokenize, build the vocabulary, flatten the
     * indices and keep the first {@code maxTokens} of them ({@code <= 0}: all).
     */
    public static Corpus english(String name, String raw, Tokenizer tokenizer, int minFreq, int maxTokens) {
        List<String> lines = raw.lines().map(CorpusRecipes::cleanEnglishLine).toList();
        return assemble(name, lines, tokenizer, minFreq, maxTokens);
    }

    /**
     * d2l-zh's {@code load_data_jay_lyrics}: newlines become spaces and the first 10,000 characters are the
     * corpus, one character per token, no other cleaning.
     */
    public static Corpus jayChou(String raw, int maxChars) {
        String text = raw.replace('\n', ' ').replace('\r', ' ');
        int end = text.offsetByCodePoints(0, Math.min(maxChars, text.codePointCount(0, text.length())));
        return assemble("jay-chou", List.of(text.substring(0, end)), Tokenizer.CHAR, 0, -1);
    }

    private static Corpus assemble(String name, List<String> lines, Tokenizer tokenizer, int minFreq, int maxTokens) {
        List<List<String>> tokens = tokenizer.tokenize(lines);
        List<String> flat = Corpus.flatten(tokens);
        if (flat.isEmpty()) {
            throw new UserError("corpus '" + name + "' has no " + tokenizer.name().toLowerCase()
                    + " tokens after cleaning; give a text with letters in it");
        }
        Vocab vocab = Vocab.build(flat, minFreq, List.of());
        int[] indices = vocab.indicesOf(flat);
        if (maxTokens > 0 && maxTokens < indices.length) {
            indices = Arrays.copyOf(indices, maxTokens);
        }
        return new Corpus(name, lines, tokens, vocab, indices);
    }
}
