package org.d2l.rnn.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Map;
import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward pass and backpropagation through time of d2l's GRU over whole sequences: per step two matmuls and two
 * fused elementwise passes each way ({@link Blas}, {@link StepMath}), instead of a SameDiff op dispatch
 * (~150 us) per op.
 *
 * <pre>
 * R = σ(X Wx_r + H Wh_r + b_r)   Z = σ(X Wx_z + H Wh_z + b_z)   H~ = tanh(X Wx_h + (R ⊙ H) Wh_h + b_h)
 * H' = Z ⊙ H + (1 − Z) ⊙ H~      (computed as H~ + Z ⊙ (H − H~))
 * </pre>
 *
 * The gates of a step sit side by side in one [B, 3H] row block in Wx's column order (R | Z | H~), so one matmul
 * adds the recurrent terms of R and Z, and the gate gradients of all steps are one [T*B, 3H] matrix.
 */
final class GruKernel extends SequenceKernel {
    private final INDArray gates = buffer(steps * batch, 3 * hidden); // R | Z | H~ activations
    private final INDArray resetHidden = stepBuffer();                               // R ⊙ h_{t-1}
    private final INDArray[] gateStep = rowBlocks(gates, steps);
    /** Each part's step views ({@link #forEachPart}). */
    private final PartViews<Rows> rows = new PartViews<>(Rows::new);
    private INDArray inputWeights;       // Wx of the last forward pass (its input rows only, with a context)
    private INDArray resetUpdateWeights; // Wh's R and Z blocks
    private INDArray candidateWeights;   // Wh's H~ block
    // the two recurrent blocks packed once per pass each way (PackedGemm)
    private final PackedGemm packedResetUpdate = new PackedGemm(host);
    private final PackedGemm packedCandidate = new PackedGemm(host);
    private final PackedGemm packedResetUpdateT = new PackedGemm(host);
    private final PackedGemm packedCandidateT = new PackedGemm(host);
    /** With a context: Wx's context rows, the context copy [B, C] and its gate terms C Wx_c + b [B, 3H]. */
    private INDArray contextWeights;
    private INDArray context;
    private INDArray contextGates;
    private Backward backward;

    private GruKernel(INDArray input, long hidden, DataType dataType) {
        super(input, hidden, dataType);
    }

    /** {@code previous} if it fits this input shape, otherwise a new kernel. */
    static GruKernel reuseOrCreate(GruKernel previous, INDArray input, long hidden, DataType dataType) {
        GruKernel kept = reusable(previous, input, hidden, dataType);
        return kept != null ? kept : new GruKernel(input, hidden, dataType);
    }

    /** One part's rows of every step of h, the gate blocks and R ⊙ h. */
    private final class Rows {
        final INDArray[] h;
        final INDArray[] reset;
        final INDArray[] update;
        final INDArray[] resetUpdate;
        final INDArray[] candidate;
        final INDArray[] rh;

        Rows(Part part) {
            h = part.steps(hiddenStates, steps + 1);
            reset = gateBlocks(part, gates, 0, 1);
            update = gateBlocks(part, gates, 1, 1);
            resetUpdate = gateBlocks(part, gates, 0, 2);
            candidate = gateBlocks(part, gates, 2, 1);
            rh = part.steps(resetHidden, steps);
        }
    }

    /** A part's step views of gate blocks {@code first} .. {@code first + count - 1} of a [T*B, 3H] buffer. */
    private INDArray[] gateBlocks(Part part, INDArray buffer, int first, int count) {
        return part.steps(buffer, steps, first * hidden, (first + count) * hidden);
    }

    /** Runs the GRU over {@code input} [B, nIn, T] from {@code h0} [B, H]. */
    void forward(INDArray input, INDArray h0, Map<String, INDArray> params) {
        forward(input, null, h0, params);
    }

    /**
     * Runs the GRU over the input {@code [input_t, context]} of every step t — {@code input} [B, nIn, T] and the same
     * {@code context} [B, C] at every step (d2l 9.7's decoder; null: none) — from {@code h0} [B, H]. Wx is then
     * [nIn + C, 3H]; the context's part of every step's gates, C Wx[nIn:] + b, is computed once and copied into the
     * steps, which is the concatenated input's product without repeating the context T times.
     */
    void forward(INDArray input, INDArray context, INDArray h0, Map<String, INDArray> params) {
        loadInput(input);
        INDArray wx = params.get(GateParams.INPUT_WEIGHTS);
        INDArray wh = params.get(GateParams.RECURRENT_WEIGHTS);
        resetUpdateWeights = wh.get(all(), interval(0, 2 * hidden));
        candidateWeights = gateBlock(wh, 2);
        // input projections of all steps first; the loop then adds the recurrent terms in place (beta = 1)
        if (context == null) {
            inputWeights = wx;
            contextWeights = null;
            inputProjection(inputWeights, params.get(GateParams.BIAS), gates);
        } else {
            long contextSize = context.size(1);
            Preconditions.checkArgument(wx.size(0) == nIn + contextSize && context.size(0) == batch,
                    "Wx %s does not take inputs of %s plus a context %s", wx.shape(), nIn, context.shape());
            inputWeights = wx.get(interval(0, nIn), all());
            contextWeights = wx.get(interval(nIn, nIn + contextSize), all());
            if (this.context == null || this.context.size(1) != contextSize) {
                this.context = buffer(batch, contextSize);
                contextGates = buffer(batch, 3 * hidden);
            }
            startFrom(this.context, context);
            blas.gemmPlusRow(this.context, false, contextWeights, false, params.get(GateParams.BIAS), contextGates);
            for (int t = 0; t < steps; t++) {
                host.copyRows(contextGates, gateStep[t], batch, false);
            }
            blas.gemm(x, false, inputWeights, false, gates, 1.0, 1.0);
        }
        startFrom(hStep[0], h0);
        PackedGemm resetUpdate = packedForSteps(packedResetUpdate, resetUpdateWeights, false, steps);
        PackedGemm candidate = packedForSteps(packedCandidate, candidateWeights, false, steps);
        forEachPart(parts(resetUpdate, candidate), rows, (part, r) -> {
            for (int t = 0; t < steps; t++) {
                stepProduct(part, resetUpdate, r.h[t], resetUpdateWeights, false, r.resetUpdate[t], true);
                part.math.gruGates(r.resetUpdate[t], r.h[t], r.rh[t]);
                stepProduct(part, candidate, r.rh[t], candidateWeights, false, r.candidate[t], true);
                part.math.gruState(r.candidate[t], r.update[t], r.h[t], r.h[t + 1]);
            }
        });
    }

    /**
     * BPTT from {@code epsilon} = dL/dh_t [B, H, T]. Writes the parameter gradients into {@code gradients}
     * (views keyed like {@link GateParams}) and returns dL/dX as a [B, nIn, T] view. {@code backLength} > 0
     * truncates backpropagation to the last {@code backLength} steps (DL4J's tBPTTBackwardLength); earlier steps
     * get zero gradient.
     */
    INDArray backward(INDArray epsilon, int backLength, Map<String, INDArray> gradients) {
        if (backward == null) {
            backward = new Backward();
        }
        return backward.run(epsilon, backLength, gradients);
    }

    /**
     * dL/dh_0 [B, H] of the last {@link #backward} call, which must have gone back to the first step (no
     * truncation): a layer whose initial state comes from elsewhere (a seq2seq decoder started from the encoder's
     * state) passes it on. View, overwritten by the next backward pass.
     */
    INDArray initialStateGradient() {
        Preconditions.checkState(backward != null && backward.reachedFirstStep,
                "dL/dh0 needs a backward pass through every step first");
        return backward.carry;
    }

    /** dL/dContext [B, C] of the last {@link #backward} call after a forward pass with a context. View. */
    INDArray contextGradient() {
        Preconditions.checkState(backward != null && backward.reachedFirstStep && contextWeights != null,
                "dL/dContext needs a forward pass with a context and a backward pass through every step first");
        return backward.contextGradient;
    }

    /** Buffers and steps of the backward pass; made on the first backward call (inference never needs them). */
    private final class Backward {
        private final INDArray dY = stepBuffer();
        private final INDArray dGates = buffer(steps * batch, 3 * hidden); // d(pre-activations)
        private final INDArray dX = buffer(steps * batch, nIn);
        private final INDArray dxView = dX.reshape(steps, batch, nIn).permute(1, 2, 0);
        private final INDArray carry = buffer(batch, hidden); // dL/dh_{t-1} through the recurrence
        private final INDArray dResetHidden = buffer(batch, hidden);
        private final PartViews<GradientRows> gradientRows = new PartViews<>(GradientRows::new);

        /** One part's rows of every step of the forward views, dY and the gate gradients, and of the carried rows. */
        private final class GradientRows {
            final Rows f;
            final INDArray[] dY;
            final INDArray[] dReset;
            final INDArray[] dUpdate;
            final INDArray[] dResetUpdate;
            final INDArray[] dCandidate;
            final INDArray carry;
            final INDArray dResetHidden;

            GradientRows(Part part) {
                f = rows.of(part);
                dY = part.steps(Backward.this.dY, steps);
                dReset = gateBlocks(part, dGates, 0, 1);
                dUpdate = gateBlocks(part, dGates, 1, 1);
                dResetUpdate = gateBlocks(part, dGates, 0, 2);
                dCandidate = gateBlocks(part, dGates, 2, 1);
                carry = part.rows(Backward.this.carry);
                dResetHidden = part.rows(Backward.this.dResetHidden);
            }
        }
        /** Whether the last run went back to step 0, so that {@link #carry} holds dL/dh_0. */
        private boolean reachedFirstStep;
        /** With a context: Σ_t dGates_t as [1, B*3H] and [B, 3H], dL/dContext [B, C], a [1, T] row of ones. */
        private INDArray dGatesSum;
        private INDArray stepSum;
        private INDArray contextGradient;
        private INDArray timeOnes;

        INDArray run(INDArray epsilon, int backLength, Map<String, INDArray> gradients) {
            loadEpsilon(epsilon, dY);
            long stop = backLength > 0 ? Math.max(0, steps - backLength) : 0;
            if (stop > 0) {
                dGates.assign(0);
            }
            carry.assign(0);
            PackedGemm candidate = packedForSteps(packedCandidateT, candidateWeights, true, steps - stop);
            PackedGemm resetUpdate = packedForSteps(packedResetUpdateT, resetUpdateWeights, true, steps - stop);
            forEachPart(parts(candidate, resetUpdate), gradientRows, (part, g) -> {
                Rows f = g.f;
                for (int t = (int) steps - 1; t >= stop; t--) {
                    part.math.gruBackwardState(g.dY[t], g.carry, f.update[t], f.candidate[t], f.h[t], g.dCandidate[t],
                            g.dUpdate[t]);
                    stepProduct(part, candidate, g.dCandidate[t], candidateWeights, true, g.dResetHidden, false);
                    part.math.gruBackwardReset(g.dResetHidden, f.reset[t], f.h[t], g.dReset[t], g.carry);
                    stepProduct(part, resetUpdate, g.dResetUpdate[t], resetUpdateWeights, true, g.carry, true);
                }
            });
            reachedFirstStep = stop == 0;
            writeParamGradients(gradients);
            if (!inputGradientNeeded) {
                return null;
            }
            blas.gemm(dGates, false, inputWeights, true, dX, 1.0, 0.0);
            return dxView;
        }

        /** Weight gradients as one matmul over all steps; bias gradients as column sums. */
        private void writeParamGradients(Map<String, INDArray> gradients) {
            INDArray dWh = gradients.get(GateParams.RECURRENT_WEIGHTS);
            INDArray dWx = gradients.get(GateParams.INPUT_WEIGHTS);
            if (contextWeights == null) {
                inputWeightGradient(dGates, dWx);
            } else {
                // the context enters every step through the same weights: its terms use Σ_t dGates_t
                long contextSize = context.size(1);
                if (dGatesSum == null || contextGradient.size(1) != contextSize) {
                    dGatesSum = buffer(1, batch * 3 * hidden);
                    stepSum = dGatesSum.reshape(batch, 3 * hidden);
                    contextGradient = buffer(batch, contextSize);
                    timeOnes = buffer(1, steps).assign(1);
                }
                // the steps' [B, 3H] blocks are consecutive in memory: their sum is a ones row times [T, B*3H]
                blas.gemm(timeOnes, false, dGates.reshape(steps, batch * 3 * hidden), false, dGatesSum, 1.0, 0.0);
                blas.gemm(x, true, dGates, false, dWx.get(interval(0, nIn), all()), 1.0, 0.0);
                blas.gemm(context, true, stepSum, false, dWx.get(interval(nIn, nIn + contextSize), all()), 1.0, 0.0);
                blas.gemm(stepSum, false, contextWeights, true, contextGradient, 1.0, 0.0);
            }
            blas.gemm(previousHiddenStates(), true, dGates.get(all(), interval(0, 2 * hidden)), false,
                    dWh.get(all(), interval(0, 2 * hidden)), 1.0, 0.0);
            blas.gemm(resetHidden, true, gateBlock(dGates, 2), false, gateBlock(dWh, 2), 1.0, 0.0);
            sumRowsInto(dGates, gradients.get(GateParams.BIAS));
        }
    }
}
