package org.d2l.rnn.nn;

import static org.d2l.rnn.nn.TestNets.oneHot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.d2l.rnn.DoublePrecision;
import org.d2l.rnn.models.Networks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The scratch layer builds a SameDiff graph per sequence length and a plan (native arrays for every op) per length
 * and batch size; a run that meets many shapes (training, the last short minibatch, generation from prefixes of
 * several lengths, one character at a time) must hold at most a few of each, and none once the run is released.
 */
class ScratchPlansBoundTest extends DoublePrecision {

    @Test
    void plansAndGraphsStayBoundedAcrossShapesAndAreReleased() {
        ComputationGraph net = TestNets.doubleNet(TestNets.Kind.SCRATCH_RNN_TANH);
        ScratchRecurrentLayer layer = scratchLayer(net);
        for (int length = 1; length <= 9; length++) {
            for (int batch : new int[]{1, 3}) {
                net.outputSingle(oneHot(batch, length, DataType.DOUBLE, 31L * length + batch));
                int[] cached = layer.cached();
                assertTrue(cached[0] <= 4 && cached[1] <= 4, "plans " + cached[0] + ", graphs " + cached[1]
                        + " after T = " + length + ", batch " + batch);
            }
        }
        net.fit(new DataSet(oneHot(3, 5, DataType.DOUBLE, 1), oneHot(3, 5, DataType.DOUBLE, 2)));
        int[] cached = layer.cached();
        assertTrue(cached[0] <= 4 && cached[1] <= 4, "plans " + cached[0] + ", graphs " + cached[1] + " after fit");
        Networks.release(net);
        assertArrayEquals(new int[]{0, 0}, layer.cached(), "a released network holds no plan and no graph");
    }

    private static ScratchRecurrentLayer scratchLayer(ComputationGraph net) {
        for (var layer : net.getLayers()) {
            if (layer instanceof ScratchRecurrentLayer s) {
                return s;
            }
        }
        throw new AssertionError("no scratch layer in " + net.getConfiguration().getVertices().keySet());
    }
}
