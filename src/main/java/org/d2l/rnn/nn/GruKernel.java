package org.d2l.rnn.nn;

import java.util.Map;
import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Forward pass and backpropagation through time of d2l's GRU over whole sequences, with plain ND4J ops: each op
 * is one native call (~10 us at [32, 256]) instead of a SameDiff op dispatch (~150 us).
 *
 * <pre>
 * R = σ(X Wx_r + H Wh_r + b_r)   Z = σ(X Wx_z + H Wh_z + b_z)   H~ = tanh(X Wx_h + (R ⊙ H) Wh_h + b_h)
 * H' = Z ⊙ H + (1 − Z) ⊙ H~      (computed as H~ + Z ⊙ (H − H~))
 * </pre>
 *
 * Buffers and step views as {@link SequenceKernel}. R, Z and H~ live in separate arrays because elementwise ops
 * on column views were slow.
 */
final class GruKernel extends SequenceKernel {
    private final INDArray reset = stepBuffer();       // R
    private final INDArray update = stepBuffer();      // Z
    private final INDArray candidate = stepBuffer();   // H~
    private final INDArray resetHidden = stepBuffer(); // R ⊙ H_{t-1}
    private final INDArray[] rStep = rowBlocks(reset, steps);
    private final INDArray[] zStep = rowBlocks(update, steps);
    private final INDArray[] cStep = rowBlocks(candidate, steps);
    private final INDArray[] rhStep = rowBlocks(resetHidden, steps);
    /** Contiguous copies of the gate blocks of Wx and Wh, refreshed by every forward pass. */
    private final INDArray wxR = Nd4j.create(dataType, nIn, hidden);
    private final INDArray wxZ = Nd4j.create(dataType, nIn, hidden);
    private final INDArray wxC = Nd4j.create(dataType, nIn, hidden);
    private final INDArray whR = Nd4j.create(dataType, hidden, hidden);
    private final INDArray whZ = Nd4j.create(dataType, hidden, hidden);
    private final INDArray whC = Nd4j.create(dataType, hidden, hidden);
    private Backward backward;

    private GruKernel(INDArray input, long hidden, DataType dataType) {
        super(input, hidden, dataType);
    }

    /** {@code previous} if it fits this input shape, otherwise a new kernel. */
    static GruKernel reuseOrCreate(GruKernel previous, INDArray input, long hidden, DataType dataType) {
        return previous != null && previous.fits(input, hidden, dataType) ? previous : new GruKernel(input, hidden, dataType);
    }

    /** Runs the GRU over {@code input} [B, nIn, T] from {@code h0} [B, H]. */
    void forward(INDArray input, INDArray h0, Map<String, INDArray> params) {
        loadInput(input);
        INDArray wx = params.get(GateParams.INPUT_WEIGHTS);
        INDArray wh = params.get(GateParams.RECURRENT_WEIGHTS);
        INDArray bias = params.get(GateParams.BIAS).reshape(1, 3 * hidden);
        wxR.assign(gateBlock(wx, 0));
        wxZ.assign(gateBlock(wx, 1));
        wxC.assign(gateBlock(wx, 2));
        whR.assign(gateBlock(wh, 0));
        whZ.assign(gateBlock(wh, 1));
        whC.assign(gateBlock(wh, 2));
        // input projections of all steps first; the loop then adds the recurrent terms in place (beta = 1)
        Nd4j.gemm(x, wxR, reset, false, false, 1.0, 0.0).addiRowVector(gateBlock(bias, 0));
        Nd4j.gemm(x, wxZ, update, false, false, 1.0, 0.0).addiRowVector(gateBlock(bias, 1));
        Nd4j.gemm(x, wxC, candidate, false, false, 1.0, 0.0).addiRowVector(gateBlock(bias, 2));
        hStep[0].assign(h0);
        for (int t = 0; t < steps; t++) {
            INDArray h = hStep[t];
            INDArray next = hStep[t + 1];
            INDArray r = rStep[t];
            INDArray z = zStep[t];
            INDArray c = cStep[t];
            Nd4j.gemm(h, whR, r, false, false, 1.0, 1.0);
            Nd4j.gemm(h, whZ, z, false, false, 1.0, 1.0);
            Transforms.sigmoid(r, false);
            Transforms.sigmoid(z, false);
            r.mul(h, rhStep[t]);
            Nd4j.gemm(rhStep[t], whC, c, false, false, 1.0, 1.0);
            Transforms.tanh(c, false);
            h.sub(c, next).muli(z).addi(c);
        }
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

    /** Buffers and steps of the backward pass; made on the first backward call (inference never needs them). */
    private final class Backward {
        private final INDArray dY = stepBuffer();
        private final INDArray candidateFactor = stepBuffer(); // (1-Z)(1-H~²): dH -> d(pre-activation of H~)
        private final INDArray updateFactor = stepBuffer();    // (H-H~) Z(1-Z): dH -> d(pre-activation of Z)
        private final INDArray resetFactor = stepBuffer();     // H R(1-R): d(R⊙H) -> d(pre-activation of R)
        private final INDArray dR = stepBuffer();
        private final INDArray dZ = stepBuffer();
        private final INDArray dC = stepBuffer();
        private final INDArray dX = Nd4j.create(dataType, steps * batch, nIn);
        private final INDArray dxView = dX.reshape(steps, batch, nIn).permute(1, 2, 0);
        private final INDArray[] dYStep = rowBlocks(dY, steps);
        private final INDArray[] candidateFactorStep = rowBlocks(candidateFactor, steps);
        private final INDArray[] updateFactorStep = rowBlocks(updateFactor, steps);
        private final INDArray[] resetFactorStep = rowBlocks(resetFactor, steps);
        private final INDArray[] dRStep = rowBlocks(dR, steps);
        private final INDArray[] dZStep = rowBlocks(dZ, steps);
        private final INDArray[] dCStep = rowBlocks(dC, steps);
        private final INDArray carry = Nd4j.create(dataType, batch, hidden); // dL/dh_{t-1} through the recurrence
        private final INDArray dh = Nd4j.create(dataType, batch, hidden);
        private final INDArray dResetHidden = Nd4j.create(dataType, batch, hidden);
        /** Whether the last run went back to step 0, so that {@link #carry} holds dL/dh_0. */
        private boolean reachedFirstStep;

        INDArray run(INDArray epsilon, int backLength, Map<String, INDArray> gradients) {
            INDArray previous = previousHiddenStates(); // h_{t-1} for every t
            dY.reshape(steps, batch, hidden).assign(epsilon.permute(2, 0, 1));
            precomputeFactors(previous);
            long stop = backLength > 0 ? Math.max(0, steps - backLength) : 0;
            if (stop > 0) {
                dR.assign(0);
                dZ.assign(0);
                dC.assign(0);
            }
            carry.assign(0);
            for (int t = (int) steps - 1; t >= stop; t--) {
                dYStep[t].add(carry, dh);
                dh.mul(candidateFactorStep[t], dCStep[t]);
                dh.mul(updateFactorStep[t], dZStep[t]);
                dh.mul(zStep[t], carry);
                Nd4j.gemm(dCStep[t], whC, dResetHidden, false, true, 1.0, 0.0);
                dResetHidden.mul(resetFactorStep[t], dRStep[t]);
                carry.addi(dResetHidden.muli(rStep[t]));
                Nd4j.gemm(dRStep[t], whR, carry, false, true, 1.0, 1.0);
                Nd4j.gemm(dZStep[t], whZ, carry, false, true, 1.0, 1.0);
            }
            reachedFirstStep = stop == 0;
            writeParamGradients(previous, gradients);
            Nd4j.gemm(dR, wxR, dX, false, true, 1.0, 0.0);
            Nd4j.gemm(dZ, wxZ, dX, false, true, 1.0, 1.0);
            Nd4j.gemm(dC, wxC, dX, false, true, 1.0, 1.0);
            return dxView;
        }

        /** The elementwise derivative factors of all steps, as a few ops on whole buffers instead of per step. */
        private void precomputeFactors(INDArray previous) {
            INDArray oneMinusZ = update.rsub(1.0);
            candidateFactor.assign(candidate).muli(candidate).rsubi(1.0).muli(oneMinusZ);
            updateFactor.assign(previous).subi(candidate).muli(update).muli(oneMinusZ);
            resetFactor.assign(reset).rsubi(1.0).muli(reset).muli(previous);
        }

        /** Weight gradients as one matmul over all steps per gate block; bias gradients as column sums. */
        private void writeParamGradients(INDArray previous, Map<String, INDArray> gradients) {
            INDArray dWx = gradients.get(GateParams.INPUT_WEIGHTS);
            INDArray dWh = gradients.get(GateParams.RECURRENT_WEIGHTS);
            INDArray db = gradients.get(GateParams.BIAS).reshape(1, 3 * hidden);
            gateBlock(dWx, 0).assign(Nd4j.gemm(x, dR, true, false));
            gateBlock(dWx, 1).assign(Nd4j.gemm(x, dZ, true, false));
            gateBlock(dWx, 2).assign(Nd4j.gemm(x, dC, true, false));
            gateBlock(dWh, 0).assign(Nd4j.gemm(previous, dR, true, false));
            gateBlock(dWh, 1).assign(Nd4j.gemm(previous, dZ, true, false));
            gateBlock(dWh, 2).assign(Nd4j.gemm(resetHidden, dC, true, false));
            gateBlock(db, 0).assign(dR.sum(true, 0));
            gateBlock(db, 1).assign(dZ.sum(true, 0));
            gateBlock(db, 2).assign(dC.sum(true, 0));
        }
    }
}
