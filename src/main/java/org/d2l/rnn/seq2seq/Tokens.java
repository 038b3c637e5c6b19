package org.d2l.rnn.seq2seq;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Token-index arrays as the graph and the inference code want them. */
final class Tokens {
    private Tokens() {
    }

    /** Embedding rows of {@code tokens} [batch][T] as NCW [batch, E, T] (a copy). */
    static INDArray embed(INDArray table, int[][] tokens) {
        int batch = tokens.length;
        int steps = tokens[0].length;
        int[] timeMajor = new int[batch * steps];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < batch; i++) {
                timeMajor[t * batch + i] = tokens[i][t];
            }
        }
        return table.getRows(timeMajor).reshape(steps, batch, table.size(1)).permute(1, 2, 0);
    }

    /** The graph's index input [batch, 1, T]: EmbeddingSequenceLayer reads float indices. */
    static INDArray indexInput(int[][] tokens, DataType dataType) {
        int steps = tokens[0].length;
        INDArray input = Nd4j.create(dataType, tokens.length, 1, steps);
        for (int i = 0; i < tokens.length; i++) {
            for (int t = 0; t < steps; t++) {
                input.putScalar(i, 0, t, tokens[i][t]);
            }
        }
        return input;
    }

    /** Feature/label mask [batch, T]: 1 for the first {@code validLength[i]} steps of row i, 0 after. */
    static INDArray mask(int[] validLength, int steps, DataType dataType) {
        INDArray mask = Nd4j.zeros(dataType, validLength.length, steps);
        for (int i = 0; i < validLength.length; i++) {
            for (int t = 0; t < validLength[i]; t++) {
                mask.putScalar(i, t, 1.0);
            }
        }
        return mask;
    }
}
