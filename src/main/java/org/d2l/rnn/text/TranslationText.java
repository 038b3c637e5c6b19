package org.d2l.rnn.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** d2l 9.5's English-French preprocessing: {@code preprocess_nmt} and {@code tokenize_nmt}. */
public final class TranslationText {
    private TranslationText() {
    }

    /** Source and target sentences as tokens, pair i in position i of each list. */
    public record Pairs(List<List<String>> source, List<List<String>> target) {
        public int size() {
            return source.size();
        }
    }

    /**
     * Non-breaking spaces become spaces, everything is lower-cased, and a space goes before , . ! ? where
     * there was none (so punctuation becomes its own token).
     */
    public static String preprocess(String text) {
        String t = text.replace('\u202f', ' ').replace('\u00a0', ' ').toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(t.length() + t.length() / 8);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (i > 0 && ",.!?".indexOf(c) >= 0 && t.charAt(i - 1) != ' ') {
                out.append(' ');
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * d2l's {@code tokenize_nmt}: one pair per line ({@code source TAB target}), tokens split on single spaces;
     * reads lines 0..numExamples (d2l's {@code i > num_examples} check reads one more than asked: 601 for 600);
     * {@code numExamples <= 0} reads all. Lines without exactly one tab are skipped.
     */
    public static Pairs tokenize(String text, int numExamples) {
        List<List<String>> source = new ArrayList<>();
        List<List<String>> target = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (numExamples > 0 && i > numExamples) {
                break;
            }
            String[] parts = lines[i].split("\t", -1);
            if (parts.length == 2) {
                source.add(Arrays.asList(parts[0].split(" ", -1)));
                target.add(Arrays.asList(parts[1].split(" ", -1)));
            }
        }
        return new Pairs(source, target);
    }
}
