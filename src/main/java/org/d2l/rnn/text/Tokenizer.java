package org.d2l.rnn.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** d2l's {@code tokenize(lines, token)}: a line becomes a list of words or a list of characters. */
public enum Tokenizer {
    /** Python's {@code line.split()}: runs of whitespace separate words, no empty tokens. */
    WORD {
        @Override
        public List<String> tokenize(String line) {
            String trimmed = line.strip();
            return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
        }
    },
    /** Python's {@code list(line)}: one token per character (code point, so CJK text stays whole). */
    CHAR {
        @Override
        public List<String> tokenize(String line) {
            List<String> chars = new ArrayList<>(line.length());
            line.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
            return chars;
        }
    };

    public abstract List<String> tokenize(String line);

    public List<List<String>> tokenize(List<String> lines) {
        List<List<String>> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            out.add(tokenize(line));
        }
        return out;
    }

    /** Parses {@code char} / {@code word} as the CLI spells them. */
    public static Tokenizer parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
