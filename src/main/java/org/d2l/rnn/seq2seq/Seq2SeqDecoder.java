package org.d2l.rnn.seq2seq;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.nn.GruStack;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * d2l 9.7's {@code Seq2SeqDecoder} (embedding, context concatenation, GRU stack, dense layer) on the parameters
 * of a {@link Seq2SeqGraph}, for inference: no dropout, log-probabilities instead of the graph's probabilities,
 * and any number of steps per call, from any state. Which context each call uses is set by {@link ContextMode}.
 */
final class Seq2SeqDecoder implements Decoder<EncoderOutputs, DecoderState> {
    private final INDArray embedding;
    private final List<Map<String, INDArray>> gruParams;
    private final INDArray denseWeights;
    private final INDArray denseBias;
    private final ContextMode contextMode;
    private final GruStack stack;

    Seq2SeqDecoder(INDArray embedding, List<Map<String, INDArray>> gruParams, INDArray denseWeights,
                   INDArray denseBias, ContextMode contextMode) {
        this.embedding = embedding;
        this.gruParams = gruParams;
        this.denseWeights = denseWeights;
        this.denseBias = denseBias;
        this.contextMode = contextMode;
        this.stack = new GruStack(gruParams.size(), denseWeights.size(0), 0, denseWeights.dataType());
    }

    /** d2l's {@code init_state}: the encoder's final states; the context is the top layer's. */
    @Override
    public DecoderState initState(EncoderOutputs encoderOutputs, int[] sourceValidLength) {
        INDArray[] states = encoderOutputs.finalStates();
        return new DecoderState(states, states[states.length - 1]);
    }

    @Override
    public Decoded<DecoderState> forward(int[][] input, DecoderState state) {
        INDArray embedded = Tokens.embed(embedding, input);
        INDArray top = stack.forward(embedded, state.context(), state.hidden(), gruParams, false);
        INDArray[] hidden = new INDArray[stack.layers()];
        for (int l = 0; l < hidden.length; l++) {
            hidden[l] = stack.finalState(l).dup();
        }
        INDArray context = contextMode == ContextMode.DRIFTING ? hidden[hidden.length - 1] : state.context();
        return new Decoded<>(logProbabilities(top), new DecoderState(hidden, context));
    }

    /** Dense layer and log-softmax over the vocabulary at every step: [B, H, T] to [B, V, T]. */
    private INDArray logProbabilities(INDArray top) {
        long batch = top.size(0);
        long steps = top.size(2);
        INDArray rows = top.permute(0, 2, 1).dup('c').reshape(batch * steps, top.size(1)); // row i*T + t
        INDArray logits = rows.mmul(denseWeights).addiRowVector(denseBias);
        INDArray logProbabilities = Nd4j.exec(new LogSoftMax(logits, 1))[0];
        return logProbabilities.reshape(batch, steps, denseWeights.size(1)).permute(0, 2, 1);
    }

    @Override
    public DecoderState selectRows(DecoderState state, int[] rows) {
        INDArray[] hidden = new INDArray[state.hidden().length];
        for (int l = 0; l < hidden.length; l++) {
            hidden[l] = state.hidden()[l].getRows(rows);
        }
        return new DecoderState(hidden, state.context().getRows(rows));
    }
}
