package org.d2l.rnn.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.d2l.rnn.UserError;
import org.junit.jupiter.api.Test;

/** Hand-computed cases of d2l's BLEU formula. */
class BleuTest {
    @Test
    void perfectMatchIsOne() {
        assertEquals(1.0, Bleu.score("va !", "va !", 2), 1e-12);
        assertEquals(1.0, Bleu.score("je suis chez moi .", "je suis chez moi .", 4), 1e-12);
    }

    @Test
    void handComputedPartialMatches() {
        // label "il est calme ." (4), pred "il est mouillé ." (4): p1 = 3/4, p2 = 1/3 ("il est"), bp = 1
        assertEquals(Math.pow(0.75, 0.5) * Math.pow(1.0 / 3, 0.25), Bleu.score("il est mouillé .", "il est calme .", 2), 1e-12);
        // d2l's printed value for that pair
        assertEquals(0.658, Bleu.score("il est mouillé .", "il est calme .", 2), 1e-3);
        // label "je suis chez moi ." (5), pred "je suis sérieux ." (4): bp = exp(1 - 5/4), p1 = 3/4, p2 = 1/3
        assertEquals(Math.exp(-0.25) * Math.pow(0.75, 0.5) * Math.pow(1.0 / 3, 0.25),
                Bleu.score("je suis sérieux .", "je suis chez moi .", 2), 1e-12);
    }

    @Test
    void matchesAreClippedToTheLabelCounts() {
        // pred "a a a a", label "a b": p1 = 1/4 (one "a" in the label), p2 = 0
        assertEquals(0.0, Bleu.score("a a a a", "a b", 2), 1e-12);
        assertEquals(Math.pow(0.25, 0.5), Bleu.score("a a a a", "a b", 1), 1e-12);
    }

    @Test
    void edges() {
        assertEquals(0.0, Bleu.score("", "va !", 2), "empty prediction");
        // longer than the label: no brevity penalty, precision falls: p1 = 2/3, p2 = 1/2
        assertEquals(Math.pow(2.0 / 3, 0.5) * Math.pow(0.5, 0.25), Bleu.score("va ! !", "va !", 2), 1e-12);
        // k larger than the prediction: orders beyond its length are left out; bp = exp(1 - 2/1)
        assertEquals(Math.exp(-1) * 1.0, Bleu.score("va", "va !", 4), 1e-12);
        assertEquals(1.0, Bleu.score("va !", "va !", 5), 1e-12);
        assertThrows(UserError.class, () -> Bleu.score("a", "a", 0));
    }
}
