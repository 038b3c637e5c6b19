package org.d2l.rnn.nn;

import java.util.Map;
import org.deeplearning4j.nn.params.SimpleRnnParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward pass and backpropagation through time of DL4J's SimpleRnn, h_t = act(x_t W + h_{t-1} RW + b), over
 * whole sequences — the way {@link GruKernel} runs the GRU: the input projection of all steps, the weight
 * gradients and dL/dX are one matmul each, and a step is one matmul plus one fused elementwise pass each way
 * for tanh ({@link StepMath}); other activations (d2l's ReLU exercise) use DL4J's activation function.
 */
final class RnnKernel extends SequenceKernel {
    private final INDArray preActivations = stepBuffer(); // [T*B, H] z_t
    /** Each part's step views ({@link #forEachPart}). */
    private final PartViews<Rows> rows = new PartViews<>(Rows::new);
    private Backward backward;
    private final PackedGemm packedRw = new PackedGemm(host);   // RW, packed once per forward pass
    private final PackedGemm packedRwT = new PackedGemm(host);  // RWᵀ, packed once per backward pass
    private IActivation activation;
    private boolean tanh;

    private RnnKernel(INDArray input, long hidden, DataType dataType) {
        super(input, hidden, dataType);
    }

    /** One part's rows of every step of h and z. */
    private final class Rows {
        final INDArray[] h;
        final INDArray[] z;

        Rows(Part part) {
            h = part.steps(hiddenStates, steps + 1);
            z = part.steps(preActivations, steps);
        }
    }

    /** The parts of a pass: other activations than tanh run DL4J's ops, which make arrays, so the whole batch. */
    private Part[] partsFor(PackedGemm packed, boolean tanh) {
        return tanh ? parts(packed) : new Part[]{whole};
    }


    static RnnKernel reuseOrCreate(RnnKernel previous, INDArray input, long hidden, DataType dataType) {
        RnnKernel kept = reusable(previous, input, hidden, dataType);
        return kept != null ? kept : new RnnKernel(input, hidden, dataType);
    }

    /** Runs the RNN over {@code input} [B, nIn, T] from {@code h0} [B, H]. */
    void forward(INDArray input, INDArray h0, Map<String, INDArray> params, IActivation act, boolean training) {
        loadInput(input);
        activation = act;
        tanh = act instanceof ActivationTanH;
        INDArray rw = params.get(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY);
        inputProjection(params.get(SimpleRnnParamInitializer.WEIGHT_KEY),
                params.get(SimpleRnnParamInitializer.BIAS_KEY), preActivations);
        startFrom(hStep[0], h0);
        PackedGemm packed = packedForSteps(packedRw, rw, false, steps);
        forEachPart(partsFor(packed, tanh), rows, (part, r) -> {
            for (int t = 0; t < steps; t++) {
                stepProduct(part, packed, r.h[t], rw, false, r.z[t], true);
                if (tanh) {
                    part.math.tanh(r.z[t], r.h[t + 1]);
                } else {
                    act.getActivation(r.h[t + 1].assign(r.z[t]), training);
                }
            }
        });
    }


    /** BPTT from dL/dh_t [B, H, T] into {@code gradients} (keys W, RW, b); returns dL/dX [B, nIn, T] (view). */
    INDArray backward(INDArray epsilon, int backLength, Map<String, INDArray> params, Map<String, INDArray> gradients) {
        if (backward == null) {
            backward = new Backward();
        }
        return backward.run(epsilon, backLength, params, gradients);
    }

    private final class Backward {
        private final INDArray dZ = stepBuffer();
        private final INDArray derivative = stepBuffer(); // act'(z_t), all steps
        private final INDArray dY = stepBuffer();
        private final INDArray carry = buffer(batch, hidden);
        private final PartViews<GradientRows> gradientRows = new PartViews<>(GradientRows::new);

        /** One part's rows of every step of h, dZ, act'(z) and dY, and of carry. */
        private final class GradientRows {
            final INDArray[] h;
            final INDArray[] dZ;
            final INDArray[] derivative;
            final INDArray[] dY;
            final INDArray carry;

            GradientRows(Part part) {
                h = rows.of(part).h;
                dZ = part.steps(Backward.this.dZ, steps);
                derivative = part.steps(Backward.this.derivative, steps);
                dY = part.steps(Backward.this.dY, steps);
                carry = part.rows(Backward.this.carry);
            }
        }
        private final INDArray dX = buffer(steps * batch, nIn);
        private final INDArray dxView = dX.reshape(steps, batch, nIn).permute(1, 2, 0);

        INDArray run(INDArray epsilon, int backLength, Map<String, INDArray> params, Map<String, INDArray> gradients) {
            INDArray rw = params.get(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY);
            loadEpsilon(epsilon, dY);
            if (!tanh) { // act'(z) of every step in one op: backprop of a ones epsilon
                // two [T*B, H] temporaries per step, outside any workspace: freed here, not whenever GC runs
                INDArray z = preActivations.dup();
                INDArray ones = Nd4j.onesLike(preActivations);
                derivative.assign(activation.backprop(z, ones).getFirst());
                NativeArrays.free(z, ones);
            }
            long stop = backLength > 0 ? Math.max(0, steps - backLength) : 0;
            if (stop > 0) {
                dZ.assign(0);
            }
            carry.assign(0);
            PackedGemm packed = packedForSteps(packedRwT, rw, true, steps - stop);
            forEachPart(partsFor(packed, tanh), gradientRows, (part, g) -> {
                for (int t = (int) steps - 1; t >= stop; t--) {
                    if (tanh) {
                        part.math.tanhBackward(g.dY[t], g.carry, g.h[t + 1], g.dZ[t]);
                    } else {
                        g.dY[t].add(g.carry, g.dZ[t]).muli(g.derivative[t]);
                    }
                    stepProduct(part, packed, g.dZ[t], rw, true, g.carry, false);
                }
            });
            inputWeightGradient(dZ, gradients.get(SimpleRnnParamInitializer.WEIGHT_KEY));
            blas.gemm(previousHiddenStates(), true, dZ, false,
                    gradients.get(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY), 1.0, 0.0);
            sumRowsInto(dZ, gradients.get(SimpleRnnParamInitializer.BIAS_KEY));
            if (!inputGradientNeeded) {
                return null;
            }
            blas.gemm(dZ, false, params.get(SimpleRnnParamInitializer.WEIGHT_KEY), true, dX, 1.0, 0.0);
            return dxView;
        }
    }
}
