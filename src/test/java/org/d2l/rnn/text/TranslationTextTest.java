package org.d2l.rnn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.d2l.rnn.datavec.TranslationArrays;
import org.junit.jupiter.api.Test;

class TranslationTextTest {
    @Test
    void preprocessingAsD2l() {
        assertEquals("go .\tva !", TranslationText.preprocess("Go.\tVa !"));
        assertEquals("hi , tom ! ok ?", TranslationText.preprocess("Hi, Tom! Ok?"));
        assertEquals("j'ai froid .", TranslationText.preprocess("J'ai froid\u202f."));
        assertEquals("a b", TranslationText.preprocess("A\u00a0B"));
    }

    @Test
    void tokenizeReadsOneMoreLineThanAskedAsD2lDoes() {
        String text = "go .\tva !\nhi .\tsalut !\nrun !\tcours !\nbad line\n";
        TranslationText.Pairs all = TranslationText.tokenize(text, 0);
        assertEquals(3, all.size());
        assertEquals(List.of("va", "!"), all.target().get(0));
        assertEquals(2, TranslationText.tokenize(text, 1).size(), "d2l's i > num_examples reads lines 0 and 1");
    }

    @Test
    void arraysPadCutAndCountValidTokens() {
        Vocab v = Vocab.build(List.of("a", "b", "a", "b"), 2, TranslationArrays.RESERVED);
        TranslationArrays arr = TranslationArrays.of(List.of(List.of("a"), List.of("a", "b", "x", "a")), v, 3);
        int pad = v.indexOf("<pad>");
        int eos = v.indexOf("<eos>");
        assertArrayEquals(new int[] {v.indexOf("a"), eos, pad}, arr.tokens()[0]);
        assertArrayEquals(new int[] {v.indexOf("a"), v.indexOf("b"), 0}, arr.tokens()[1], "cut; unknown x is <unk>");
        assertArrayEquals(new int[] {2, 3}, arr.validLength());
    }
}
