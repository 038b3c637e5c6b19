package org.d2l.rnn.data;

import org.d2l.rnn.UserError;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.text.CorpusRecipes;
import org.d2l.rnn.text.Tokenizer;

/** Turns a dataset name into a tokenized corpus with the recipe d2l uses for it. */
public final class CorpusReader {
    private final DataHub hub;

    public CorpusReader(DataHub hub) {
        this.hub = hub;
    }

    /**
     * @param dataset   a registry name or {@code file:<path>}
     * @param maxTokens keep only the first this many tokens ({@code <= 0}: all), d2l's {@code max_tokens}
     */
    public Corpus read(String dataset, Tokenizer tokenizer, int minFreq, int maxTokens) {
        if ("fra-eng".equals(dataset)) {
            throw new UserError("fra-eng is a translation corpus, not a language-model corpus; use 'mt-data'");
        }
        String raw = hub.readText(dataset);
        if ("jay-chou".equals(dataset)) {
            if (tokenizer != Tokenizer.CHAR) {
                throw new UserError("jay-chou is a character-level corpus (d2l-zh); use --token char");
            }
            return CorpusRecipes.jayChou(raw, maxTokens > 0 ? maxTokens : CorpusRecipes.JAY_CHOU_CHARS);
        }
        return CorpusRecipes.english(dataset, raw, tokenizer, minFreq, maxTokens);
    }
}
