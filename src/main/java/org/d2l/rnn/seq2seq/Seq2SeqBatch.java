package org.d2l.rnn.seq2seq;

import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One teacher-forcing minibatch for a {@link Seq2SeqGraph}, from sentences already in d2l's
 * {@code build_array_nmt} form ({@code <eos>} appended, right-padded with {@code <pad>}; see
 * {@code TranslationArrays}).
 *
 * <p>Features: the source and the decoder input = {@code <bos>} + the target shifted right by one (d2l's
 * {@code dec_input}); labels: the target, one-hot [B, V, T]. Feature masks: source and target valid lengths
 * (the decoder input has as many real steps as the target); label mask = target mask, so padding adds nothing
 * to the loss.
 */
public final class Seq2SeqBatch {
    private Seq2SeqBatch() {
    }

    public static MultiDataSet of(int[][] source, int[] sourceValidLength, int[][] target, int[] targetValidLength,
                                  int bos, int targetVocab, DataType dataType) {
        Preconditions.checkArgument(source.length == target.length && source.length == sourceValidLength.length
                && target.length == targetValidLength.length, "source, target and lengths need one row per pair");
        int steps = target[0].length;
        int[][] decoderInput = new int[target.length][steps];
        INDArray labels = Nd4j.zeros(dataType, target.length, targetVocab, steps);
        for (int i = 0; i < target.length; i++) {
            decoderInput[i][0] = bos;
            System.arraycopy(target[i], 0, decoderInput[i], 1, steps - 1);
            for (int t = 0; t < steps; t++) {
                labels.putScalar(i, target[i][t], t, 1.0);
            }
        }
        INDArray targetMask = Tokens.mask(targetValidLength, steps, dataType);
        return new MultiDataSet(
                new INDArray[]{Tokens.indexInput(source, dataType), Tokens.indexInput(decoderInput, dataType)},
                new INDArray[]{labels},
                new INDArray[]{Tokens.mask(sourceValidLength, source[0].length, dataType), targetMask},
                new INDArray[]{targetMask});
    }
}
