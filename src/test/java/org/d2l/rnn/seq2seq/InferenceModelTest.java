package org.d2l.rnn.seq2seq;

import static org.d2l.rnn.seq2seq.TinyModels.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.d2l.rnn.DoublePrecision;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The step-by-step ND4J model on a graph's parameters against the graph itself. */
class InferenceModelTest extends DoublePrecision {
    private final TinyModels.Pairs pairs = TinyModels.Pairs.random(5);
    /** Trained with dropout, which inference must leave out, as the graph's output() does. */
    private final ComputationGraph net = TinyModels.doubleNet(0.1, DecoderVertex.Engine.FUSED);

    /** At the target's real steps: the graph's output layer zeroes the masked ones. */
    @Test
    void teacherForcingGivesTheGraphsOutput() {
        EncoderDecoder<EncoderOutputs, DecoderState> model = Seq2SeqGraph.inferenceModel(net, ContextMode.ENCODER);
        INDArray probabilities = Transforms.exp(model.forward(pairs.source(), pairs.sourceLengths(),
                pairs.decoderInput()).logProbabilities());
        INDArray graphProbabilities = TinyModels.output(net, pairs.batch(DataType.DOUBLE));
        for (int i = 0; i < pairs.target().length; i++) {
            INDArrayIndex[] realSteps = {point(i), all(), interval(0, pairs.targetLengths()[i])};
            assertEquals(0, maxAbsDiff(probabilities.get(realSteps), graphProbabilities.get(realSteps)), 1e-12);
        }
    }

    @Test
    void oneStepAtATimeGivesWhatTeacherForcingGives() {
        EncoderDecoder<EncoderOutputs, DecoderState> model = Seq2SeqGraph.inferenceModel(net, ContextMode.ENCODER);
        INDArray whole = model.forward(pairs.source(), pairs.sourceLengths(), pairs.decoderInput())
                .logProbabilities();
        DecoderState state = model.start(pairs.source(), pairs.sourceLengths());
        for (int t = 0; t < TinyModels.STEPS; t++) {
            Decoder.Decoded<DecoderState> step = model.decoder().forward(column(pairs.decoderInput(), t), state);
            assertEquals(0, maxAbsDiff(step.logProbabilities().get(all(), all(), point(0)),
                    whole.get(all(), all(), point(t))), 1e-12, "step " + t);
            state = step.state();
        }
    }

    /** d2l's prediction: the first step sees the encoder's context, later ones the decoder's own top state. */
    @Test
    void driftingContextFollowsTheDecodersTopState() {
        EncoderDecoder<EncoderOutputs, DecoderState> fixed = Seq2SeqGraph.inferenceModel(net, ContextMode.ENCODER);
        EncoderDecoder<EncoderOutputs, DecoderState> drifting =
                Seq2SeqGraph.inferenceModel(net, ContextMode.DRIFTING);
        DecoderState fixedState = fixed.start(pairs.source(), pairs.sourceLengths());
        DecoderState driftingState = drifting.start(pairs.source(), pairs.sourceLengths());
        INDArray[] fixedSteps = new INDArray[2];
        INDArray[] driftingSteps = new INDArray[2];
        for (int t = 0; t < 2; t++) {
            Decoder.Decoded<DecoderState> f = fixed.decoder().forward(column(pairs.decoderInput(), t), fixedState);
            Decoder.Decoded<DecoderState> d = drifting.decoder().forward(column(pairs.decoderInput(), t),
                    driftingState);
            fixedSteps[t] = f.logProbabilities();
            driftingSteps[t] = d.logProbabilities();
            fixedState = f.state();
            driftingState = d.state();
            assertSame(driftingState.hidden()[1], driftingState.context());
        }
        assertEquals(0, maxAbsDiff(fixedSteps[0], driftingSteps[0]), 1e-12);
        assertTrue(maxAbsDiff(fixedSteps[1], driftingSteps[1]) > 1e-6);
    }

    private static int[][] column(int[][] tokens, int t) {
        int[][] column = new int[tokens.length][1];
        for (int i = 0; i < tokens.length; i++) {
            column[i][0] = tokens[i][t];
        }
        return column;
    }
}
