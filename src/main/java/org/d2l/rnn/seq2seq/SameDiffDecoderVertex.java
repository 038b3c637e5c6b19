package org.d2l.rnn.seq2seq;

import java.util.Arrays;
import org.d2l.rnn.nn.ScratchRecurrentLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link DecoderVertex} with {@link DecoderVertex.Engine#SAMEDIFF}: DL4J's SameDiff vertex runtime
 * running {@link DecoderVertex#defineVertex}, fixed in two ways.
 * <ul>
 *   <li>M2.1's SameDiff runtimes return twice the true gradient, for parameters and inputs (shared notes
 *       dl4j-m2.1.md §4a, §5); both are halved.</li>
 *   <li>DL4J builds the graph once, for the first input's shape, but the unrolled graph bakes in the batch size
 *       and the number of steps; it is rebuilt whenever the embedded input's shape changes.</li>
 * </ul>
 */
final class SameDiffDecoderVertex extends SameDiffGraphVertex {
    private long[] builtFor;

    SameDiffDecoderVertex(DecoderVertex config, ComputationGraph graph, String name, int index, INDArray paramsView,
                          boolean initializeParams, DataType dataType) {
        super(config, graph, name, index, paramsView, initializeParams, dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!Arrays.equals(builtFor, inputs[0].shape())) {
            sameDiff = null; // makes the runtime call doInit() for the current inputs
            builtFor = inputs[0].shape();
        }
        return super.doForward(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray[]> gradients = sameDiff != null && sameDiff.hasGradientFunction()
                ? super.doBackward(tbptt, workspaceMgr)
                : org.d2l.rnn.nn.QuietStdout.call(() -> super.doBackward(tbptt, workspaceMgr));
        for (INDArray parameterGradient : gradients.getFirst().gradientForVariable().values()) {
            parameterGradient.divi(ScratchRecurrentLayer.SAMEDIFF_GRADIENT_FACTOR);
        }
        for (INDArray inputGradient : gradients.getSecond()) {
            inputGradient.divi(ScratchRecurrentLayer.SAMEDIFF_GRADIENT_FACTOR);
        }
        return gradients;
    }
}
