package org.d2l.rnn.seq2seq;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.nn.GruStack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * d2l 9.7's {@code Seq2SeqEncoder} (embedding, then a GRU stack from zero states) on the parameters of a
 * {@link Seq2SeqGraph}, for inference: no dropout, and each layer's final state read at each row's true length,
 * as the graph's {@code LastTimeStepVertex} reads it.
 */
final class Seq2SeqEncoder implements Encoder<EncoderOutputs> {
    private final INDArray embedding;
    private final List<Map<String, INDArray>> gruParams;
    private final long hidden;
    private final DataType dataType;
    private final GruStack stack;

    Seq2SeqEncoder(INDArray embedding, List<Map<String, INDArray>> gruParams, long hidden, DataType dataType) {
        this.embedding = embedding;
        this.gruParams = gruParams;
        this.hidden = hidden;
        this.dataType = dataType;
        this.stack = new GruStack(gruParams.size(), hidden, 0, dataType);
    }

    @Override
    public EncoderOutputs encode(int[][] source, int[] validLength) {
        INDArray[] zeros = new INDArray[stack.layers()];
        for (int l = 0; l < zeros.length; l++) {
            zeros[l] = Nd4j.zeros(dataType, source.length, hidden);
        }
        INDArray outputs = stack.forward(Tokens.embed(embedding, source), zeros, gruParams, false).dup();
        INDArray[] finalStates = new INDArray[stack.layers()];
        for (int l = 0; l < finalStates.length; l++) {
            finalStates[l] = statesAtLength(stack.layerOutput(l), validLength);
        }
        return new EncoderOutputs(outputs, finalStates);
    }

    /** Row i of {@code states} [B, H, T] at step validLength[i] - 1, as [B, H]. */
    private INDArray statesAtLength(INDArray states, int[] validLength) {
        INDArray last = Nd4j.create(dataType, validLength.length, hidden);
        for (int i = 0; i < validLength.length; i++) {
            last.getRow(i).assign(states.get(point(i), all(), point(validLength[i] - 1)));
        }
        return last;
    }
}
