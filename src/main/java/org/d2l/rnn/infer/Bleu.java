package org.d2l.rnn.infer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.UserError;

/**
 * d2l's BLEU (9.7.4): exp(min(0, 1 - len_label / len_pred)) * prod_{n=1..k} p_n^(1/2^n), where p_n is the
 * share of the prediction's n-grams found in the label, each label n-gram matched at most as often as it occurs.
 * Tokens are separated by single spaces, as d2l's {@code split(' ')}.
 *
 * <p>Where d2l's code is undefined we choose: an empty prediction scores 0; n-gram orders longer than the
 * prediction (d2l divides by zero there) are left out, the brevity penalty already punishing short predictions.
 */
public final class Bleu {
    private Bleu() {
    }

    public static double score(String prediction, String label, int k) {
        if (k < 1) {
            throw new UserError("--k must be at least 1, got " + k);
        }
        if (prediction.isEmpty()) {
            return 0;
        }
        List<String> pred = Arrays.asList(prediction.split(" ", -1));
        List<String> lab = Arrays.asList(label.split(" ", -1));
        double score = Math.exp(Math.min(0, 1 - (double) lab.size() / pred.size()));
        for (int n = 1; n <= Math.min(k, pred.size()); n++) {
            Map<String, Integer> labelGrams = new HashMap<>();
            for (int i = 0; i + n <= lab.size(); i++) {
                labelGrams.merge(String.join(" ", lab.subList(i, i + n)), 1, Integer::sum);
            }
            int matches = 0;
            for (int i = 0; i + n <= pred.size(); i++) {
                String gram = String.join(" ", pred.subList(i, i + n));
                if (labelGrams.getOrDefault(gram, 0) > 0) {
                    matches++;
                    labelGrams.merge(gram, -1, Integer::sum);
                }
            }
            score *= Math.pow((double) matches / (pred.size() - n + 1), Math.pow(0.5, n));
        }
        return score;
    }
}
