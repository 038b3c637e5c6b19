package org.d2l.rnn.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Map;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Forward pass and backpropagation through time of DL4J's LSTM (its parameters, layout and equations: tanh
 * activation, sigmoid gates, no peepholes) over whole sequences with plain ND4J ops — the way {@link GruKernel}
 * runs the GRU. DL4J's own implementation dispatches ~25 small ops per step and dups its gate blocks; here the
 * input projections of all steps, the weight gradients and dL/dX are one matmul per gate block each.
 *
 * <pre>
 * DL4J's gate blocks of W [nIn, 4H], RW [H, 4H], b [4H], in order:
 *   A = tanh(X W_a + H RW_a + b_a)   (the cell input, d2l's C~)
 *   F = σ(…_f)   O = σ(…_o)   G = σ(…_g)   (forget, output, and input gate — d2l's F, O, I)
 *   C' = F ⊙ C + G ⊙ A        H' = O ⊙ tanh(C')
 * </pre>
 *
 */
final class LstmKernel extends SequenceKernel {
    private static final int GATES = 4;
    private final INDArray cells = Nd4j.create(dataType, (steps + 1) * batch, hidden); // c_0 .. c_T
    private final INDArray cellTanh = stepBuffer();                                    // tanh(c_t)
    private final INDArray[] gates = new INDArray[GATES];     // [T*B, H] each: A, F, O, G (activations)
    private final INDArray[][] gateStep = new INDArray[GATES][];
    private final INDArray[] cStep = rowBlocks(cells, steps + 1);
    private final INDArray[] cellTanhStep = rowBlocks(cellTanh, steps);
    private final INDArray scratch = Nd4j.create(dataType, batch, hidden);
    /**
     * The gate blocks of W and RW: views when the parameters are 'f'-ordered (DL4J's are: a block of columns is
     * then one contiguous 'f' matrix, and copying ~290k floats per call was most of a generation step), else
     * contiguous copies refreshed by every forward pass.
     */
    private final INDArray[] w = new INDArray[GATES];
    private final INDArray[] rw = new INDArray[GATES];
    private Backward backward;

    private LstmKernel(INDArray input, long hidden, DataType dataType) {
        super(input, hidden, dataType);
        for (int k = 0; k < GATES; k++) {
            gates[k] = stepBuffer();
            gateStep[k] = rowBlocks(gates[k], steps);
        }
    }

    static LstmKernel reuseOrCreate(LstmKernel previous, INDArray input, long hidden, DataType dataType) {
        return previous != null && previous.fits(input, hidden, dataType) ? previous : new LstmKernel(input, hidden, dataType);
    }

    /** Runs the LSTM over {@code input} [B, nIn, T] from (h0, c0), each [B, H]. */
    void forward(INDArray input, INDArray h0, INDArray c0, Map<String, INDArray> params) {
        loadInput(input);
        INDArray bias = params.get(LSTMParamInitializer.BIAS_KEY).reshape(1, GATES * hidden);
        for (int k = 0; k < GATES; k++) {
            w[k] = contiguous(gateBlock(params.get(LSTMParamInitializer.INPUT_WEIGHT_KEY), k), w[k]);
            rw[k] = contiguous(gateBlock(params.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY), k), rw[k]);
            // input projections of all steps first; the loop then adds the recurrent terms in place (beta = 1)
            Nd4j.gemm(x, w[k], gates[k], false, false, 1.0, 0.0).addiRowVector(gateBlock(bias, k));
        }
        hStep[0].assign(h0);
        cStep[0].assign(c0);
        for (int t = 0; t < steps; t++) {
            INDArray h = hStep[t];
            for (int k = 0; k < GATES; k++) {
                Nd4j.gemm(h, rw[k], gateStep[k][t], false, false, 1.0, 1.0);
            }
            INDArray a = Transforms.tanh(gateStep[0][t], false);
            INDArray f = Transforms.sigmoid(gateStep[1][t], false);
            INDArray o = Transforms.sigmoid(gateStep[2][t], false);
            INDArray g = Transforms.sigmoid(gateStep[3][t], false);
            INDArray c = cStep[t + 1];
            f.mul(cStep[t], c);
            c.addi(g.mul(a, scratch));
            Transforms.tanh(cellTanhStep[t].assign(c), false);
            o.mul(cellTanhStep[t], hStep[t + 1]);
        }
    }


    /** {@code block} itself if it is one contiguous 'f' matrix, else its values in {@code copy} (made if null). */
    private static INDArray contiguous(INDArray block, INDArray copy) {
        if (block.ordering() == 'f' && block.stride(0) == 1 && block.stride(1) == block.size(0)) {
            return block;
        }
        INDArray target = copy == null || copy == block ? Nd4j.create(block.dataType(), block.shape()) : copy;
        return target.assign(block);
    }

    INDArray lastCell() {
        return cStep[(int) steps];
    }

    /**
     * BPTT from {@code epsilon} = dL/dh_t [B, H, T]: writes the parameter gradients into {@code gradients} (DL4J's
     * gradient views, keys W, RW, b) and returns dL/dX as a [B, nIn, T] view. {@code backLength} > 0 truncates to
     * the last {@code backLength} steps.
     */
    INDArray backward(INDArray epsilon, int backLength, Map<String, INDArray> gradients) {
        if (backward == null) {
            backward = new Backward();
        }
        return backward.run(epsilon, backLength, gradients);
    }

    private final class Backward {
        private final INDArray dY = stepBuffer();
        private final INDArray[] dGate = new INDArray[GATES];     // d(pre-activation) per gate, all steps
        private final INDArray[][] dGateStep = new INDArray[GATES][];
        private final INDArray[] dYStep = rowBlocks(dY, steps);
        private final INDArray dX = Nd4j.create(dataType, steps * batch, nIn);
        private final INDArray dxView = dX.reshape(steps, batch, nIn).permute(1, 2, 0);
        private final INDArray dh = Nd4j.create(dataType, batch, hidden);
        private final INDArray dc = Nd4j.create(dataType, batch, hidden);     // dL/dc_t, carried to t-1 as dc ⊙ F
        private final INDArray carryH = Nd4j.create(dataType, batch, hidden); // dL/dh_t through the recurrence
        // elementwise derivative factors of all steps, a few whole-buffer ops instead of many per step
        private final INDArray oFactor = stepBuffer();   // tanh(c) ⊙ O(1-O):  dh -> dO
        private final INDArray cFactor = stepBuffer();   // O ⊙ (1 - tanh²(c)): dh -> dc
        private final INDArray fFactor = stepBuffer();   // c_{t-1} ⊙ F(1-F):   dc -> dF
        private final INDArray gFactor = stepBuffer();   // A ⊙ G(1-G):         dc -> dG
        private final INDArray aFactor = stepBuffer();   // G ⊙ (1 - A²):       dc -> dA
        private final INDArray[] oFactorStep = rowBlocks(oFactor, steps);
        private final INDArray[] cFactorStep = rowBlocks(cFactor, steps);
        private final INDArray[] fFactorStep = rowBlocks(fFactor, steps);
        private final INDArray[] gFactorStep = rowBlocks(gFactor, steps);
        private final INDArray[] aFactorStep = rowBlocks(aFactor, steps);

        Backward() {
            for (int k = 0; k < GATES; k++) {
                dGate[k] = stepBuffer();
                dGateStep[k] = rowBlocks(dGate[k], steps);
            }
        }

        INDArray run(INDArray epsilon, int backLength, Map<String, INDArray> gradients) {
            dY.reshape(steps, batch, hidden).assign(epsilon.permute(2, 0, 1));
            long stop = backLength > 0 ? Math.max(0, steps - backLength) : 0;
            if (stop > 0) {
                for (INDArray d : dGate) {
                    d.assign(0);
                }
            }
            precomputeFactors();
            carryH.assign(0);
            dc.assign(0);
            for (int t = (int) steps - 1; t >= stop; t--) {
                dYStep[t].add(carryH, dh);
                dh.mul(oFactorStep[t], dGateStep[2][t]);           // dO
                dc.addi(dh.muli(cFactorStep[t]));                 // dL/dc_t
                dc.mul(fFactorStep[t], dGateStep[1][t]);           // dF
                dc.mul(gFactorStep[t], dGateStep[3][t]);           // dG
                dc.mul(aFactorStep[t], dGateStep[0][t]);           // dA
                dc.muli(gateStep[1][t]);                           // dL/dc_{t-1} = dc ⊙ F
                Nd4j.gemm(dGateStep[0][t], rw[0], carryH, false, true, 1.0, 0.0);
                for (int k = 1; k < GATES; k++) {
                    Nd4j.gemm(dGateStep[k][t], rw[k], carryH, false, true, 1.0, 1.0);
                }
            }
            writeParamGradients(gradients);
            Nd4j.gemm(dGate[0], w[0], dX, false, true, 1.0, 0.0);
            for (int k = 1; k < GATES; k++) {
                Nd4j.gemm(dGate[k], w[k], dX, false, true, 1.0, 1.0);
            }
            return dxView;
        }

        private void precomputeFactors() {
            INDArray a = gates[0];
            INDArray f = gates[1];
            INDArray o = gates[2];
            INDArray g = gates[3];
            INDArray previousCells = cells.get(interval(0, steps * batch), all());
            oFactor.assign(o).rsubi(1.0).muli(o).muli(cellTanh);
            cFactor.assign(cellTanh).muli(cellTanh).rsubi(1.0).muli(o);
            fFactor.assign(f).rsubi(1.0).muli(f).muli(previousCells);
            gFactor.assign(g).rsubi(1.0).muli(g).muli(a);
            aFactor.assign(a).muli(a).rsubi(1.0).muli(g);
        }

        private void writeParamGradients(Map<String, INDArray> gradients) {
            INDArray previous = previousHiddenStates();
            INDArray dW = gradients.get(LSTMParamInitializer.INPUT_WEIGHT_KEY);
            INDArray dRW = gradients.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY);
            INDArray db = gradients.get(LSTMParamInitializer.BIAS_KEY).reshape(1, GATES * hidden);
            for (int k = 0; k < GATES; k++) {
                gateBlock(dW, k).assign(Nd4j.gemm(x, dGate[k], true, false));
                gateBlock(dRW, k).assign(Nd4j.gemm(previous, dGate[k], true, false));
                gateBlock(db, k).assign(dGate[k].sum(true, 0));
            }
        }
    }
}
