package org.d2l.rnn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.d2l.rnn.UserError;
import org.junit.jupiter.api.Test;

class VocabTest {
    @Test
    void equalCountsKeepFirstAppearanceOrder() {
        Vocab v = Vocab.build(List.of("b", "a", "a", "b", "c", "d", "c"));
        assertEquals(List.of("<unk>", "b", "a", "c", "d"), v.tokens());
    }

    @Test
    void minFreqAndReservedTokens() {
        Vocab v = Vocab.build(List.of("x", "y", "y", "z", "z", "z"), 2, List.of("<pad>", "<bos>"));
        assertEquals(List.of("<unk>", "<pad>", "<bos>", "z", "y"), v.tokens());
        assertEquals(0, v.indexOf("x"), "rare tokens are <unk>");
        assertArrayEquals(new int[] {3, 4, 0}, v.indicesOf(List.of("z", "y", "never")));
        assertEquals("y", v.token(4));
    }

    @Test
    void jsonRoundTrip() {
        Vocab v = Vocab.build(List.of("é", "\"q\"", "a", "a"), 0, List.of("<eos>"));
        Vocab back = Vocab.fromJson(v.toJson());
        assertEquals(v, back);
        assertEquals(v.reservedTokens(), back.reservedTokens());
    }

    @Test
    void badJsonIsAUserError() {
        assertThrows(UserError.class, () -> Vocab.fromJson("{not json"));
        assertThrows(UserError.class, () -> Vocab.fromJson("{\"tokens\":[\"a\"]}"));
    }

    @Test
    void tokenizers() {
        assertEquals(List.of("a", "b"), Tokenizer.WORD.tokenize("  a   b "));
        assertEquals(List.of(), Tokenizer.WORD.tokenize("   "));
        assertEquals(List.of("a", " ", "分"), Tokenizer.CHAR.tokenize("a 分"));
        assertEquals(Tokenizer.CHAR, Tokenizer.parse("char"));
    }
}
