package org.d2l.rnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.d2l.rnn.DoublePrecision;
import org.d2l.rnn.seq2seq.DecoderVertex;
import org.d2l.rnn.seq2seq.MaskedLoss;
import org.d2l.rnn.seq2seq.Seq2SeqBatch;
import org.d2l.rnn.seq2seq.Seq2SeqGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Sgd;

/** The seq2seq update is d2l's: the gradient of Σ_i loss_i (masked CE summed over steps / T), by finite differences. */
class ObjectiveTest extends DoublePrecision {
    private static final int STEPS = 4;

    @Test
    void seq2seqUpdateIsTheGradientOfD2lsLossSum() {
        int[][] source = {{3, 4, 2, 0}, {5, 2, 0, 0}, {4, 4, 3, 2}};
        int[][] target = {{5, 2, 0, 0}, {3, 4, 5, 2}, {4, 2, 0, 0}};
        MultiDataSet batch = Seq2SeqBatch.of(source, new int[] {3, 2, 4}, target, new int[] {2, 4, 2}, 1, 6,
                DataType.DOUBLE);
        ComputationGraph net = Seq2SeqGraph.build(new Seq2SeqGraph.Settings(6, 6, 3, 3, 2, 0, 5, DataType.DOUBLE,
                new Sgd(1.0), DecoderVertex.Engine.FUSED));
        INDArray params = net.params().dup();
        double[] numeric = new double[(int) params.length()];
        double eps = 1e-6;
        for (int i = 0; i < numeric.length; i += 7) { // every 7th parameter: all kinds are covered
            double original = params.getDouble(i);
            net.params().putScalar(i, original + eps);
            double plus = MaskedLoss.d2lLossSum(net.score(batch), 3, STEPS);
            net.params().putScalar(i, original - eps);
            double minus = MaskedLoss.d2lLossSum(net.score(batch), 3, STEPS);
            net.params().putScalar(i, original);
            numeric[i] = (plus - minus) / (2 * eps);
        }
        net.addListeners(new GradientNormalizer(Objective.SEQUENCE_SUM, STEPS, 0));
        net.fit(batch);
        INDArray applied = params.sub(net.params()); // SGD lr 1: the update is the gradient
        for (int i = 0; i < numeric.length; i += 7) {
            assertEquals(numeric[i], applied.getDouble(i), 1e-6 + 1e-5 * Math.abs(numeric[i]), "parameter " + i);
        }
    }
}
