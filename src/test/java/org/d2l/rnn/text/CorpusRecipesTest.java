package org.d2l.rnn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import org.d2l.rnn.TestData;
import org.d2l.rnn.UserError;
import org.junit.jupiter.api.Test;

/** The figures d2l prints in 8.2-8.3, reproduced exactly on the real Time Machine text. */
class CorpusRecipesTest {
    private static final String TIME_MACHINE = TestData.text("time-machine");

    @Test
    void cleaningMatchesD2l() {
        assertEquals("the time machine by h g wells", CorpusRecipes.cleanEnglishLine("The Time Machine, by H. G. Wells [1898]"));
        assertEquals("", CorpusRecipes.cleanEnglishLine("  1898 -- \r"));
        assertEquals("it s", CorpusRecipes.cleanEnglishLine("It's"));
    }

    @Test
    void charCorpusHasD2lSizesAndIndices() {
        Corpus c = CorpusRecipes.english("time-machine", TIME_MACHINE, Tokenizer.CHAR, 0, -1);
        assertEquals(3221, c.lines().size());
        assertEquals(170_580, c.size());
        assertEquals(28, c.vocab().size());
        assertEquals(List.of("<unk>", " ", "e", "t", "a", "i", "n", "o", "s", "h", "r"), c.vocab().tokens().subList(0, 11));
        assertEquals(10_000, CorpusRecipes.english("tm", TIME_MACHINE, Tokenizer.CHAR, 0, 10_000).size());
    }

    @Test
    void wordCorpusHasD2lSizesAndIndices() {
        Corpus c = CorpusRecipes.english("time-machine", TIME_MACHINE, Tokenizer.WORD, 0, -1);
        assertEquals(32_775, c.size());
        assertEquals(4_580, c.vocab().size());
        assertEquals(List.of("<unk>", "the", "i", "and", "of", "a", "to", "was", "in", "that"), c.vocab().tokens().subList(0, 10));
        assertArrayEquals(new int[] {1, 19, 50, 40, 2183, 2184, 400}, c.lineIndices(0));
        assertArrayEquals(new int[] {2186, 3, 25, 1044, 362, 113, 7, 1421, 3, 1045, 1}, c.lineIndices(10));
        assertEquals(List.of("the", "time", "machine", "by", "h", "g", "wells"), c.tokens().get(0));
    }

    @Test
    void minFreqShrinksTheWordVocabulary() {
        int all = CorpusRecipes.english("tm", TIME_MACHINE, Tokenizer.WORD, 0, -1).vocab().size();
        int frequent = CorpusRecipes.english("tm", TIME_MACHINE, Tokenizer.WORD, 5, -1).vocab().size();
        assertEquals(4_580, all);
        assertEquals(true, frequent < all / 2, "min_freq 5 keeps " + frequent);
    }

    @Test
    void jayChouHas1027DistinctCharsInItsFirst10000() {
        String raw = TestData.text("jay-chou");
        Corpus c = CorpusRecipes.jayChou(raw, CorpusRecipes.JAY_CHOU_CHARS);
        assertEquals(10_000, c.size());
        assertEquals(1027, new HashSet<>(c.flatTokens()).size());
        assertEquals(1028, c.vocab().size(), "1027 characters plus <unk>");
        assertEquals(-1, String.join("", c.flatTokens()).indexOf('\n'));
    }

    @Test
    void textWithoutLettersIsAClearError() {
        UserError e = assertThrows(UserError.class, () -> CorpusRecipes.english("x", "1234 !!\n55", Tokenizer.CHAR, 0, -1));
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }
}
