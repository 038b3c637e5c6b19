package org.d2l.rnn.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

/** FLOAT training end to end: the graph memorises four padded toy pairs and then translates them. */
class Seq2SeqTrainingTest {
    private static final int VOCAB = 11;
    private static final int STEPS = 5;
    private static final int PAD = 0;
    private static final int BOS = 1;
    private static final int EOS = 2;
    private static final int[][] SOURCES = {{3, 4, EOS}, {4, 3, EOS}, {8, EOS}, {8, 9, 10, EOS}};
    private static final int[][] TARGETS = {{5, 6, 7, EOS}, {7, 6, EOS}, {9, EOS}, {10, 3, EOS}};

    @Test
    void memorisesToyPairsAndTranslatesThemGreedilyAndWithBeams() {
        ComputationGraph net = Seq2SeqGraph.build(new Seq2SeqGraph.Settings(VOCAB, VOCAB, 16, 16, 2, 0.1, 3,
                DataType.FLOAT, new Adam(0.03), DecoderVertex.Engine.FUSED));
        MultiDataSet batch = Seq2SeqBatch.of(padded(SOURCES), lengths(SOURCES), padded(TARGETS), lengths(TARGETS),
                BOS, VOCAB, DataType.FLOAT);
        double initial = net.score(batch);
        for (int i = 0; i < 60; i++) {
            net.fit(batch);
        }
        double trained = net.score(batch);
        assertTrue(trained < initial / 100, "score " + initial + " -> " + trained);

        Seq2SeqDecoding<EncoderOutputs, DecoderState> decoding = new Seq2SeqDecoding<>(
                Seq2SeqGraph.inferenceModel(net, ContextMode.ENCODER), BOS, EOS, STEPS);
        for (int i = 0; i < SOURCES.length; i++) {
            int[] expected = Arrays.copyOf(TARGETS[i], TARGETS[i].length - 1);
            Translation greedy = decoding.greedy(SOURCES[i]);
            assertArrayEquals(expected, greedy.tokens(), "pair " + i);
            assertTrue(greedy.endedWithEos());
            assertArrayEquals(expected, decoding.beamSearch(SOURCES[i], 3, 0.75).tokens(), "pair " + i);
        }
    }

    private static int[][] padded(int[][] sentences) {
        int[][] rows = new int[sentences.length][STEPS];
        for (int i = 0; i < sentences.length; i++) {
            Arrays.fill(rows[i], PAD);
            System.arraycopy(sentences[i], 0, rows[i], 0, sentences[i].length);
        }
        return rows;
    }

    private static int[] lengths(int[][] sentences) {
        return Arrays.stream(sentences).mapToInt(s -> s.length).toArray();
    }
}
