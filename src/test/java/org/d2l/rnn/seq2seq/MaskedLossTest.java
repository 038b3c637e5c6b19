package org.d2l.rnn.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.d2l.rnn.DoublePrecision;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J's RnnOutputLayer (softmax + MCXENT) with a label mask against d2l's MaskedSoftmaxCELoss, on logits fed
 * straight through (identity weights, zero bias).
 */
class MaskedLossTest extends DoublePrecision {
    private static final int BATCH = 2;
    private static final int VOCAB = 3;
    private static final int STEPS = 3;
    private static final int[] VALID = {2, 1};
    private static final double LN3 = Math.log(3);

    private final ComputationGraph identityOutput = identityOutputLayer();

    /** Uniform logits: every real token costs ln 3, so DL4J's score is 3 ln 3 / 2 and d2l's Σ loss_i is ln 3. */
    @Test
    void uniformPredictionsByHand() {
        double score = score(new double[BATCH][STEPS][VOCAB], new int[][]{{0, 1, 2}, {2, 2, 2}});
        assertEquals((2 + 1) * LN3 / BATCH, score, 1e-12);
        assertEquals((2 * LN3 / STEPS) + (LN3 / STEPS), MaskedLoss.d2lLossSum(score, BATCH, STEPS), 1e-12);
        assertEquals(LN3 / STEPS, MaskedLoss.d2lPrintedLoss(score, BATCH, STEPS, 3), 1e-12);
        assertEquals(LN3, MaskedLoss.perTokenLoss(score, BATCH, 3), 1e-12);
    }

    @Test
    void equalsD2lMaskedSoftmaxCeLossAndIgnoresPadding() {
        Random random = new Random(4);
        double[][][] logits = new double[BATCH][STEPS][VOCAB];
        int[][] labels = new int[BATCH][STEPS];
        for (int i = 0; i < BATCH; i++) {
            for (int t = 0; t < STEPS; t++) {
                labels[i][t] = random.nextInt(VOCAB);
                for (int v = 0; v < VOCAB; v++) {
                    logits[i][t][v] = 3 * random.nextGaussian();
                }
            }
        }
        double score = score(logits, labels);
        double[] d2l = d2lMaskedSoftmaxCeLoss(logits, labels, VALID);
        assertEquals(d2l[0] + d2l[1], MaskedLoss.d2lLossSum(score, BATCH, STEPS), 1e-12);

        logits[0][2][1] += 5; // padded steps: row 0 from t = 2, row 1 from t = 1
        logits[1][1][0] -= 7;
        labels[1][2] = (labels[1][2] + 1) % VOCAB;
        assertEquals(score, score(logits, labels), 1e-12);
    }

    /** d2l 9.7's example: sequence_mask([[1, 2, 3], [4, 5, 6]], [1, 2]) keeps row 0's first step, row 1's first two. */
    @Test
    void sequenceMaskIsD2ls() {
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}});
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[][] {{1, 0, 0}, {4, 5, 0}},
                MaskedLoss.sequenceMask(x, new int[] {1, 2}, 0).toDoubleMatrix());
        assertEquals(21, x.sumNumber().doubleValue(), "the input is left as it was");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MaskedLoss.sequenceMask(x, new int[] {1}, 0), "one valid length per row");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MaskedLoss.sequenceMask(x, new int[] {1, 4}, 0), "a valid length beyond the steps");
    }

    /** d2l's MaskedSoftmaxCELoss, transcribed: masked cross-entropy, mean over ALL steps, one value per row. */
    private static double[] d2lMaskedSoftmaxCeLoss(double[][][] logits, int[][] labels, int[] validLength) {
        double[] loss = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            for (int t = 0; t < validLength[i]; t++) {
                double logSumExp = 0;
                for (double logit : logits[i][t]) {
                    logSumExp += Math.exp(logit);
                }
                loss[i] += Math.log(logSumExp) - logits[i][t][labels[i][t]];
            }
            loss[i] /= logits[i].length;
        }
        return loss;
    }

    private double score(double[][][] logits, int[][] labels) {
        INDArray features = Nd4j.create(DataType.DOUBLE, BATCH, VOCAB, STEPS);
        INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, BATCH, VOCAB, STEPS);
        for (int i = 0; i < BATCH; i++) {
            for (int t = 0; t < STEPS; t++) {
                oneHot.putScalar(i, labels[i][t], t, 1);
                for (int v = 0; v < VOCAB; v++) {
                    features.putScalar(i, v, t, logits[i][t][v]);
                }
            }
        }
        INDArray mask = Tokens.mask(VALID, STEPS, DataType.DOUBLE);
        return identityOutput.score(new MultiDataSet(new INDArray[]{features}, new INDArray[]{oneHot},
                new INDArray[]{mask}, new INDArray[]{mask}));
    }

    private static ComputationGraph identityOutputLayer() {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).updater(new NoOp())
                .graphBuilder().addInputs("logits").setInputTypes(InputType.recurrent(VOCAB))
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(VOCAB).nOut(VOCAB).build(), "logits")
                .setOutputs("out").build());
        net.init();
        net.getLayer("out").setParam("W", Nd4j.eye(VOCAB).castTo(DataType.DOUBLE));
        net.getLayer("out").setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, VOCAB));
        return net;
    }
}
