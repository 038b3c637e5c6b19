package org.d2l.rnn.seq2seq;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** Tiny DOUBLE seq2seq graphs and padded minibatches for the checks of this package. */
final class TinyModels {
    static final int VOCAB = 6;
    static final int STEPS = 4;
    static final int PAD = 0;
    static final int BOS = 1;
    static final int EOS = 2;
    /** Real lengths of the three rows: every row but one is padded, each by a different amount. */
    static final int[] SOURCE_LENGTHS = {4, 2, 1};
    static final int[] TARGET_LENGTHS = {2, 4, 3};

    private TinyModels() {
    }

    /** Vocabulary 6, embedding 3, hidden 3, two layers: big enough to mix everything, small for gradient checks. */
    static ComputationGraph doubleNet(double dropout, DecoderVertex.Engine engine) {
        return doubleNet(VOCAB, dropout, engine, 7);
    }

    static ComputationGraph doubleNet(int vocab, double dropout, DecoderVertex.Engine engine, long seed) {
        return Seq2SeqGraph.build(new Seq2SeqGraph.Settings(vocab, vocab, 3, 3, 2, dropout, seed, DataType.DOUBLE,
                new NoOp(), engine));
    }

    /** Sentence pairs as token rows, right-padded with {@link #PAD}. */
    record Pairs(int[][] source, int[] sourceLengths, int[][] target, int[] targetLengths) {
        /** Random tokens (never PAD) in the real positions. */
        static Pairs random(long seed, int steps, int[] sourceLengths, int[] targetLengths) {
            Random random = new Random(seed);
            return new Pairs(padded(sourceLengths, steps, random), sourceLengths,
                    padded(targetLengths, steps, random), targetLengths);
        }

        static Pairs random(long seed) {
            return random(seed, STEPS, SOURCE_LENGTHS, TARGET_LENGTHS);
        }

        private static int[][] padded(int[] lengths, int steps, Random random) {
            int[][] tokens = new int[lengths.length][steps];
            for (int i = 0; i < lengths.length; i++) {
                for (int t = 0; t < steps; t++) {
                    tokens[i][t] = t < lengths[i] ? 1 + random.nextInt(VOCAB - 1) : PAD;
                }
            }
            return tokens;
        }

        MultiDataSet batch(DataType dataType) {
            return Seq2SeqBatch.of(source, sourceLengths, target, targetLengths, BOS, VOCAB, dataType);
        }

        /** d2l's dec_input: {@code <bos>} + the target shifted right. */
        int[][] decoderInput() {
            int[][] input = new int[target.length][];
            for (int i = 0; i < target.length; i++) {
                input[i] = new int[target[i].length];
                input[i][0] = BOS;
                System.arraycopy(target[i], 0, input[i], 1, target[i].length - 1);
            }
            return input;
        }
    }

    static MultiDataSet batch(long seed) {
        return Pairs.random(seed).batch(DataType.DOUBLE);
    }

    static INDArray output(ComputationGraph net, MultiDataSet batch) {
        return net.output(false, batch.getFeatures(), batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays())[0];
    }

    /** Gradient check of every parameter; the RNG is reset before each pass so that dropout masks repeat. */
    static boolean gradientsMatchFiniteDifferences(ComputationGraph net, MultiDataSet batch) {
        return GradientCheckUtil.checkGradients(check(net, batch));
    }

    static GradientCheckUtil.GraphConfig check(ComputationGraph net, MultiDataSet batch) {
        return new GradientCheckUtil.GraphConfig().net(net)
                .inputs(batch.getFeatures()).labels(batch.getLabels())
                .inputMask(batch.getFeaturesMaskArrays()).labelMask(batch.getLabelsMaskArrays())
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .callEachIter(graph -> Nd4j.getRandom().setSeed(123))
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY);
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
