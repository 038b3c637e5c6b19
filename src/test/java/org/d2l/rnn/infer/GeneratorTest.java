package org.d2l.rnn.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.d2l.rnn.UserError;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.models.StatefulGraph;
import org.d2l.rnn.text.Tokenizer;
import org.d2l.rnn.text.Vocab;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

class GeneratorTest {
    private final Vocab vocab = Vocab.build(List.of("a", "b", "c", "d", " "));

    private StatefulGraph net(ModelKind kind, int embedding) {
        return LanguageModels.build(new ModelSpec(kind, vocab.size(), 8, 1, embedding, "tanh"), new Adam(0.01), 5, 3);
    }

    @Test
    void steppingTheStateEqualsRereadingTheWholeText() {
        for (int embedding : new int[] {0, 4}) {
            StatefulGraph net = net(ModelKind.LSTM, embedding);
            String stepped = new Generator(net, vocab, Tokenizer.CHAR, embedding == 0, true).greedy("abca", 30);
            String reread = new Generator(net, vocab, Tokenizer.CHAR, embedding == 0, false).greedy("abca", 30);
            assertEquals(reread, stepped);
            assertTrue(stepped.startsWith("abca"));
        }
    }

    @Test
    void bidirectionalModelsGenerateByRereading() {
        StatefulGraph net = net(ModelKind.BI_LSTM, 0);
        assertTrue(new Generator(net, vocab, Tokenizer.CHAR, true, false).greedy("ab", 12).startsWith("ab"));
    }

    @Test
    void samplingIsSeededAndUnknownCharactersBecomeUnk() {
        StatefulGraph net = net(ModelKind.LSTM, 0);
        Generator g = new Generator(net, vocab, Tokenizer.CHAR, true, true);
        assertEquals(g.sample("ab", 40, 3.0, new Random(1)), g.sample("ab", 40, 3.0, new Random(1)));
        assertNotEquals(g.sample("ab", 40, 3.0, new Random(1)), g.sample("ab", 40, 3.0, new Random(2)));
        assertTrue(g.greedy("aZ", 3).startsWith("a<unk>"));
        assertThrows(UserError.class, () -> g.sample("ab", 3, 0, new Random(1)));
        assertThrows(UserError.class, () -> g.greedy("", 3));
    }
}
