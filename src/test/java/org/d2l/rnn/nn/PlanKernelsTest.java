package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The own kernels of {@link SameDiffPlan} ({@link PlanKernels}, float only) against libnd4j's ops, the
 * reference: the same scratch cell, the same parameters and data, outputs and gradients compared. Sizes make
 * every elementwise array a whole number of vectors, so that the own kernels actually run (asserted).
 */
class PlanKernelsTest {
    private static final int HIDDEN = 32;
    private static final int BATCH = 4;
    private static final int STEPS = 6;

    @ParameterizedTest
    @EnumSource(value = TestNets.Kind.class, names = {"SCRATCH_RNN_TANH", "SCRATCH_RNN_RELU", "SCRATCH_GRU",
            "SCRATCH_LSTM"})
    void ownKernelsGiveLibnd4jsResults(TestNets.Kind cell) {
        compare(cell, TestNets.oneHot(BATCH, STEPS, DataType.FLOAT, 3));
    }

    /**
     * The input matmuls' row-by-row path (one non-zero per row) with entries other than 1 and with empty rows,
     * and their sgemm fallback on dense input.
     */
    @ParameterizedTest
    @EnumSource(value = TestNets.Kind.class, names = {"SCRATCH_GRU", "SCRATCH_LSTM"})
    void sparseAndDenseInputGiveLibnd4jsResults(TestNets.Kind cell) {
        INDArray scaled = TestNets.oneHot(BATCH, STEPS, DataType.FLOAT, 5).muli(-0.75);
        scaled.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).assign(0); // sample 1: every step an empty row
        compare(cell, scaled);
        compare(cell, org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, scaled.shape()).subi(0.5));
    }

    /**
     * The float layer (own kernels, and the output gradient copied into the plan by the layer's own loop) against
     * the same network in double precision, where the plan runs libnd4j's ops and the layer ND4J's copy: the
     * reference for what both float sides of {@link #compare} share.
     */
    @ParameterizedTest
    @EnumSource(value = TestNets.Kind.class, names = {"SCRATCH_GRU", "SCRATCH_LSTM"})
    void floatGradientsMatchDoublePrecision(TestNets.Kind cell) {
        INDArray features = TestNets.oneHot(BATCH, STEPS, DataType.FLOAT, 3);
        INDArray labels = TestNets.oneHot(BATCH, STEPS, DataType.FLOAT, 4);
        ComputationGraph single = TestNets.net(DataType.FLOAT, new NoOp(), 0, HIDDEN, cell);
        ComputationGraph reference = TestNets.net(DataType.DOUBLE, new NoOp(), 0, HIDDEN, cell);
        reference.setParams(single.params().castTo(DataType.DOUBLE));
        INDArray floatGradient = gradient(single, features, labels, SameDiffPlan.Kernels.OWN);
        INDArray doubleGradient = gradient(reference, features.castTo(DataType.DOUBLE), labels.castTo(DataType.DOUBLE),
                SameDiffPlan.Kernels.OWN);
        double scale = doubleGradient.amaxNumber().doubleValue();
        assertTrue(scale > 1e-3);
        assertEquals(0, TestNets.maxAbsDiff(floatGradient.castTo(DataType.DOUBLE), doubleGradient), 1e-4 * scale);
    }

    /**
     * Enough steps and rows for the recurrent weights to be packed once per pass and shared by the step products
     * forward and backward ({@link PackedGemm}): still libnd4j's results, and the packings really happened.
     */
    @ParameterizedTest
    @EnumSource(value = TestNets.Kind.class, names = {"SCRATCH_RNN_TANH", "SCRATCH_GRU", "SCRATCH_LSTM"})
    void packedStepProductsGiveLibnd4jsResults(TestNets.Kind cell) {
        org.junit.jupiter.api.Assumptions.assumeTrue(PackedGemm.available(), "the packed loop needs AVX-512");
        long before = PackedGemm.PACKINGS.get();
        compare(cell, TestNets.oneHot(32, 9, DataType.FLOAT, 3), 128);
        assertTrue(PackedGemm.PACKINGS.get() - before >= 4, "packings: " + (PackedGemm.PACKINGS.get() - before));
    }

    private static void compare(TestNets.Kind cell, INDArray features) {
        compare(cell, features, HIDDEN);
    }

    private static void compare(TestNets.Kind cell, INDArray features, int hidden) {
        INDArray labels = TestNets.oneHot((int) features.size(0), (int) features.size(2), DataType.FLOAT, 4);
        ComputationGraph own = TestNets.net(DataType.FLOAT, new NoOp(), 0, hidden, cell);
        ComputationGraph reference = TestNets.net(DataType.FLOAT, new NoOp(), 0, hidden, cell);
        reference.setParams(own.params());

        // the plan reuses its arrays and makes some sums in place: a first pass on other data, so that anything
        // left over from it shows; then the compared pass, and a third that must repeat it exactly
        gradient(own, org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, features.shape()), labels,
                SameDiffPlan.Kernels.OWN);
        INDArray ownGradient = gradient(own, features, labels, SameDiffPlan.Kernels.OWN);
        assertEquals(0, TestNets.maxAbsDiff(ownGradient, gradient(own, features, labels, SameDiffPlan.Kernels.OWN)),
                0);
        INDArray referenceGradient = gradient(reference, features, labels, SameDiffPlan.Kernels.LIBND4J);

        int[] ownUse = ((ScratchRecurrentLayer) own.getLayer("l0")).kernelUse();
        int[] referenceUse = ((ScratchRecurrentLayer) reference.getLayer("l0")).kernelUse();
        assertEquals(0, referenceUse[0]);
        assertTrue(ownUse[0] > ownUse[1] / 2, "own kernels ran " + ownUse[0] + " of " + ownUse[1] + " ops");
        assertEquals(reference.score(), own.score(), 1e-5);
        double scale = referenceGradient.amaxNumber().doubleValue();
        assertTrue(scale > 1e-3);
        assertEquals(0, TestNets.maxAbsDiff(ownGradient, referenceGradient), 1e-5 * scale);
        assertEquals(0, TestNets.maxAbsDiff(own.outputSingle(features), reference.outputSingle(features)), 1e-6);
    }

    private static INDArray gradient(ComputationGraph net, INDArray features, INDArray labels,
                                     SameDiffPlan.Kernels kernels) {
        SameDiffPlan.Kernels before = ScratchRecurrentLayer.kernels;
        ScratchRecurrentLayer.kernels = kernels; // read when the layer builds its plan, at the first pass
        try {
            net.setInputs(features);
            net.setLabels(labels);
            net.computeGradientAndScore();
            return net.getGradientsViewArray().dup();
        } finally {
            ScratchRecurrentLayer.kernels = before;
        }
    }
}
