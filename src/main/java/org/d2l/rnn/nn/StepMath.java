package org.d2l.rnn.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The elementwise part of one time step of the recurrent kernels, fused: everything between two matmuls in one
 * call. Arguments are [B, n] row-major step views (gate buffers hold the gate blocks side by side in DL4J's order,
 * so a gate block is a column block of the step).
 *
 * <p>Why: with ND4J ops these were ~10 native calls per step each way at 10-20 us of dispatch each, and ND4J's
 * sigmoid and tanh run at 3.5 and 8.5 ns per element; together about as long as the step's matmul.
 * {@link VectorStepMath} does each in one pass over the data with SIMD (1 ns per sigmoid), {@link Nd4jStepMath}
 * with ND4J ops (double precision, GPU backends, and a JVM without the vector module).
 */
interface StepMath {

    /** The SIMD path for float host arrays whose hidden size is a multiple of the vector length, else ND4J ops. */
    static StepMath forType(DataType dataType, long hidden) {
        return dataType == DataType.FLOAT && HostBuffers.CPU && VectorSupport.AVAILABLE
                && hidden % VectorStepMath.LANES == 0 ? new VectorStepMath() : new Nd4jStepMath();
    }

    /**
     * LSTM step forward. {@code gates} [B, 4H] holds the pre-activations of A, F, O, G (DL4J's order: cell input,
     * forget, output, input gate) and gets their activations: A = tanh, F, O, G = σ. Then
     * c = F ⊙ cPrev + G ⊙ A, cTanh = tanh(c), h = O ⊙ cTanh.
     */
    void lstmForward(INDArray gates, INDArray cPrev, INDArray c, INDArray cTanh, INDArray h);

    /**
     * LSTM step backward: dh = dY + carry (dL/dh_t), {@code dc} comes in as dL/dc_t through c_{t+1} and leaves as
     * dL/dc_{t-1}; {@code dGates} [B, 4H] gets dL/d(pre-activations) of A, F, O, G.
     */
    void lstmBackward(INDArray gates, INDArray cPrev, INDArray cTanh, INDArray dY, INDArray carry, INDArray dc,
                      INDArray dGates);

    /** GRU step, gates: {@code resetUpdate} [B, 2H] pre-activations of R, Z → σ in place; rh = R ⊙ h. */
    void gruGates(INDArray resetUpdate, INDArray h, INDArray rh);

    /** GRU step, state: {@code candidate} → tanh in place (H~); next = H~ + Z ⊙ (h − H~). */
    void gruState(INDArray candidate, INDArray update, INDArray h, INDArray next);

    /**
     * GRU step backward, first half: dh = dY + carry; d(pre-act of H~) = dh (1−Z)(1−H~²) into {@code dCandidate},
     * d(pre-act of Z) = dh (h−H~) Z(1−Z) into {@code dUpdate}; carry = dh ⊙ Z.
     */
    void gruBackwardState(INDArray dY, INDArray carry, INDArray update, INDArray candidate, INDArray h,
                          INDArray dCandidate, INDArray dUpdate);

    /** GRU step backward, second half: from dRH = dL/d(R ⊙ h): dReset = dRH h R(1−R), carry += dRH ⊙ R. */
    void gruBackwardReset(INDArray dRH, INDArray reset, INDArray h, INDArray dReset, INDArray carry);

    /** h = tanh(z). */
    void tanh(INDArray z, INDArray h);

    /** dZ = (dY + carry) ⊙ (1 − h²): the step backward of h = tanh(z). */
    void tanhBackward(INDArray dY, INDArray carry, INDArray h, INDArray dZ);
}
