package org.d2l.rnn.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.d2l.rnn.DoublePrecision;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Greedy and beam search on small random models (weights scaled up so that the next-token distributions are far
 * from uniform), against each other and against exhaustive search.
 */
class Seq2SeqDecodingTest extends DoublePrecision {
    private static final int VOCAB = 4;
    private static final int[] SOURCE = {3, 0, 3, TinyModels.EOS};
    private static final double ALPHA = 0.75;
    private static final int MODELS = 6;

    private static EncoderDecoder<EncoderOutputs, DecoderState> randomModel(long seed, ContextMode mode) {
        ComputationGraph net = TinyModels.doubleNet(VOCAB, 0, DecoderVertex.Engine.FUSED, seed);
        net.params().muli(4);
        return Seq2SeqGraph.inferenceModel(net, mode);
    }

    private static Seq2SeqDecoding<EncoderOutputs, DecoderState> decoding(
            EncoderDecoder<EncoderOutputs, DecoderState> model, int maxLength) {
        return new Seq2SeqDecoding<>(model, TinyModels.BOS, TinyModels.EOS, maxLength);
    }

    @Test
    void beamSearchWithOneBeamIsGreedySearch() {
        for (ContextMode mode : ContextMode.values()) {
            for (long seed = 1; seed <= MODELS; seed++) {
                Seq2SeqDecoding<EncoderOutputs, DecoderState> decoding = decoding(randomModel(seed, mode), 6);
                Translation greedy = decoding.greedy(SOURCE);
                Translation beam = decoding.beamSearch(SOURCE, 1, ALPHA);
                assertArrayEquals(greedy.tokens(), beam.tokens(), mode + " " + seed);
                assertEquals(greedy.endedWithEos(), beam.endedWithEos());
                assertEquals(greedy.logProbability(), beam.logProbability(), 1e-12);
            }
        }
    }

    /**
     * A beam that never has to drop a hypothesis is exhaustive: up to 3 tokens, at most 3 × 4 = 12 extensions
     * are alive after step 2, so 16 beams keep all. (A beam of |V| = 4 need not: it keeps 4 of those 12.)
     */
    @Test
    void aBeamAsWideAsTheSearchSpaceFindsTheExhaustiveOptimum() {
        int better = 0;
        for (ContextMode mode : ContextMode.values()) {
            for (long seed = 1; seed <= MODELS; seed++) {
                EncoderDecoder<EncoderOutputs, DecoderState> model = randomModel(seed, mode);
                Seq2SeqDecoding<EncoderOutputs, DecoderState> decoding = decoding(model, 3);
                Translation exhaustive = exhaustiveSearch(model, 3);
                Translation beam = decoding.beamSearch(SOURCE, VOCAB * VOCAB, ALPHA);
                assertArrayEquals(exhaustive.tokens(), beam.tokens(), mode + " " + seed);
                assertEquals(exhaustive.endedWithEos(), beam.endedWithEos());
                assertEquals(exhaustive.score(ALPHA), beam.score(ALPHA), 1e-12);
                if (beam.score(ALPHA) > decoding.greedy(SOURCE).score(ALPHA) + 1e-9) {
                    better++;
                }
            }
        }
        assertTrue(better > 0, "greedy was optimal for every model: the comparison shows nothing");
    }

    /** Two tokens at most: step 1 keeps all |V| tokens and step 2 ranks equal lengths, so |V| beams suffice. */
    @Test
    void aBeamOfVocabularySizeIsExhaustiveForTwoTokens() {
        for (long seed = 1; seed <= MODELS; seed++) {
            EncoderDecoder<EncoderOutputs, DecoderState> model = randomModel(seed, ContextMode.ENCODER);
            Translation exhaustive = exhaustiveSearch(model, 2);
            Translation beam = decoding(model, 2).beamSearch(SOURCE, VOCAB, ALPHA);
            assertArrayEquals(exhaustive.tokens(), beam.tokens(), "seed " + seed);
            assertEquals(exhaustive.score(ALPHA), beam.score(ALPHA), 1e-12);
        }
    }

    /** Every sequence ending at {@code <eos>} or cut at {@code maxLength}, scored one step at a time. */
    private static Translation exhaustiveSearch(EncoderDecoder<EncoderOutputs, DecoderState> model,
                                                int maxLength) {
        List<Translation> all = new ArrayList<>();
        extend(model, model.start(new int[][]{SOURCE}, new int[]{SOURCE.length}), new int[0], 0, maxLength, all);
        return all.stream().max(Comparator.comparingDouble(t -> t.score(ALPHA))).orElseThrow();
    }

    private static void extend(EncoderDecoder<EncoderOutputs, DecoderState> model, DecoderState state,
                               int[] prefix, double logProbability, int maxLength, List<Translation> all) {
        int last = prefix.length == 0 ? TinyModels.BOS : prefix[prefix.length - 1];
        Decoder.Decoded<DecoderState> next = model.decoder().forward(new int[][]{{last}}, state);
        INDArray logProbabilities = next.logProbabilities();
        for (int token = 0; token < VOCAB; token++) {
            double extended = logProbability + logProbabilities.getDouble(0, token, 0);
            int[] longer = Arrays.copyOf(prefix, prefix.length + 1);
            longer[prefix.length] = token;
            if (token == TinyModels.EOS) {
                all.add(new Translation(prefix, true, extended));
            } else if (longer.length == maxLength) {
                all.add(new Translation(longer, false, extended));
            } else {
                extend(model, next.state(), longer, extended, maxLength, all);
            }
        }
    }
}
