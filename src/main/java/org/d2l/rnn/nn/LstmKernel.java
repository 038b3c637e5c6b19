package org.d2l.rnn.nn;

import java.util.Map;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward pass and backpropagation through time of DL4J's LSTM (its parameters, layout and equations: tanh
 * activation, sigmoid gates, no peepholes) over whole sequences — the way {@link GruKernel} runs the GRU.
 * DL4J's own implementation dispatches ~25 small ops per step and dups its gate blocks; here a step is one
 * [B, H] x [H, 4H] matmul and one fused elementwise pass each way, and the input projections of all steps, the
 * weight gradients and dL/dX are one matmul each.
 *
 * <pre>
 * DL4J's gate blocks of W [nIn, 4H], RW [H, 4H], b [4H], in order:
 *   A = tanh(X W_a + H RW_a + b_a)   (the cell input, d2l's C~)
 *   F = σ(…_f)   O = σ(…_o)   G = σ(…_g)   (forget, output, and input gate — d2l's F, O, I)
 *   C' = F ⊙ C + G ⊙ A        H' = O ⊙ tanh(C')
 * </pre>
 *
 * The gates of a step sit side by side in one [B, 4H] row block, in W's column order, so the step's matmul
 * writes all four at once and dL/d(gates) of all steps is one [T*B, 4H] matrix for the weight gradients. With two
 * threads the steps of a pass run in two halves of the batch at once ({@link #parts}).
 */
final class LstmKernel extends SequenceKernel {
    private static final int GATES = 4;
    private final INDArray cells = buffer((steps + 1) * batch, hidden); // c_0 .. c_T
    private final INDArray cellTanh = stepBuffer();                                    // tanh(c_t)
    private final INDArray gates = buffer(steps * batch, GATES * hidden); // A|F|O|G activations
    /** Each part's step views ({@link #forEachPart}). */
    private final PartViews<Rows> rows = new PartViews<>(Rows::new);
    private INDArray inputWeights;      // W of the last forward pass
    private INDArray recurrentWeights;  // RW of the last forward pass
    private final PackedGemm packedRw = new PackedGemm(host);   // RW, packed once per forward pass
    private final PackedGemm packedRwT = new PackedGemm(host);  // RWᵀ, packed once per backward pass
    private Backward backward;

    private LstmKernel(INDArray input, long hidden, DataType dataType) {
        super(input, hidden, dataType);
    }

    /** One part's rows of every step of the forward buffers. */
    private final class Rows {
        final INDArray[] h;
        final INDArray[] gate;
        final INDArray[] c;
        final INDArray[] cellTanh;

        Rows(Part part) {
            h = part.steps(hiddenStates, steps + 1);
            gate = part.steps(gates, steps);
            c = part.steps(cells, steps + 1);
            cellTanh = part.steps(LstmKernel.this.cellTanh, steps);
        }
    }

    static LstmKernel reuseOrCreate(LstmKernel previous, INDArray input, long hidden, DataType dataType) {
        LstmKernel kept = reusable(previous, input, hidden, dataType);
        return kept != null ? kept : new LstmKernel(input, hidden, dataType);
    }

    /** Runs the LSTM over {@code input} [B, nIn, T] from (h0, c0), each [B, H]. */
    void forward(INDArray input, INDArray h0, INDArray c0, Map<String, INDArray> params) {
        loadInput(input);
        inputWeights = params.get(LSTMParamInitializer.INPUT_WEIGHT_KEY);
        recurrentWeights = params.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY);
        // input projections of all steps first; each step then adds its recurrent term in place (beta = 1)
        inputProjection(inputWeights, params.get(LSTMParamInitializer.BIAS_KEY), gates);
        Rows all = rows.of(whole);
        startFrom(all.h[0], h0);
        startFrom(all.c[0], c0);
        PackedGemm rw = packedForSteps(packedRw, recurrentWeights, false, steps);
        forEachPart(parts(rw), rows, (part, r) -> {
            for (int t = 0; t < steps; t++) {
                stepProduct(part, rw, r.h[t], recurrentWeights, false, r.gate[t], true);
                part.math.lstmForward(r.gate[t], r.c[t], r.c[t + 1], r.cellTanh[t], r.h[t + 1]);
            }
        });
    }

    INDArray lastCell() {
        return rows.of(whole).c[(int) steps];
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
        private final INDArray dGates = buffer(steps * batch, GATES * hidden); // d(pre-activations)
        private final INDArray dX = buffer(steps * batch, nIn);
        private final INDArray dxView = dX.reshape(steps, batch, nIn).permute(1, 2, 0);
        private final INDArray dc = buffer(batch, hidden);     // dL/dc_t, carried to t-1 as dc ⊙ F
        private final INDArray carry = buffer(batch, hidden);  // dL/dh_t through the recurrence
        private final PartViews<GradientRows> gradientRows = new PartViews<>(GradientRows::new);

        /** One part's rows of every step of the forward and backward buffers, and of dc and carry. */
        private final class GradientRows {
            final Rows f;
            final INDArray[] dY;
            final INDArray[] dGate;
            final INDArray dc;
            final INDArray carry;

            GradientRows(Part part) {
                this.f = rows.of(part);
                this.dY = part.steps(Backward.this.dY, steps);
                this.dGate = part.steps(dGates, steps);
                this.dc = part.rows(Backward.this.dc);
                this.carry = part.rows(Backward.this.carry);
            }
        }

        INDArray run(INDArray epsilon, int backLength, Map<String, INDArray> gradients) {
            loadEpsilon(epsilon, dY);
            long stop = backLength > 0 ? Math.max(0, steps - backLength) : 0;
            if (stop > 0) {
                dGates.assign(0);
            }
            carry.assign(0);
            dc.assign(0);
            PackedGemm rwT = packedForSteps(packedRwT, recurrentWeights, true, steps - stop);
            forEachPart(parts(rwT), gradientRows, (part, g) -> {
                Rows f = g.f;
                for (int t = (int) steps - 1; t >= stop; t--) {
                    part.math.lstmBackward(f.gate[t], f.c[t], f.cellTanh[t], g.dY[t], g.carry, g.dc, g.dGate[t]);
                    stepProduct(part, rwT, g.dGate[t], recurrentWeights, true, g.carry, false);
                }
            });
            inputWeightGradient(dGates, gradients.get(LSTMParamInitializer.INPUT_WEIGHT_KEY));
            blas.gemm(previousHiddenStates(), true, dGates, false,
                    gradients.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY), 1.0, 0.0);
            sumRowsInto(dGates, gradients.get(LSTMParamInitializer.BIAS_KEY));
            if (!inputGradientNeeded) {
                return null;
            }
            blas.gemm(dGates, false, inputWeights, true, dX, 1.0, 0.0);
            return dxView;
        }
    }
}
