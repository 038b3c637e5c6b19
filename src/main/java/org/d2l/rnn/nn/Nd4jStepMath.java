package org.d2l.rnn.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@link StepMath} with ND4J ops: any data type and backend; the reference the SIMD path is tested against. */
final class Nd4jStepMath implements StepMath {

    private static INDArray block(INDArray gates, int k, long hidden) {
        return gates.get(all(), interval(k * hidden, (k + 1) * hidden));
    }

    private static INDArray sigmoidDerivative(INDArray s) {
        return s.rsub(1.0).muli(s);
    }

    private static INDArray tanhDerivative(INDArray t) {
        return t.mul(t).rsubi(1.0);
    }

    @Override
    public void lstmForward(INDArray gates, INDArray cPrev, INDArray c, INDArray cTanh, INDArray h) {
        long hidden = c.size(1);
        INDArray a = Transforms.tanh(block(gates, 0, hidden), false);
        Transforms.sigmoid(gates.get(all(), interval(hidden, 4 * hidden)), false);
        block(gates, 1, hidden).mul(cPrev, c).addi(block(gates, 3, hidden).mul(a));
        Transforms.tanh(cTanh.assign(c), false);
        block(gates, 2, hidden).mul(cTanh, h);
    }

    @Override
    public void lstmBackward(INDArray gates, INDArray cPrev, INDArray cTanh, INDArray dY, INDArray carry, INDArray dc,
                             INDArray dGates) {
        long hidden = cPrev.size(1);
        INDArray a = block(gates, 0, hidden);
        INDArray f = block(gates, 1, hidden);
        INDArray o = block(gates, 2, hidden);
        INDArray g = block(gates, 3, hidden);
        INDArray dh = dY.add(carry);
        block(dGates, 2, hidden).assign(dh.mul(cTanh).muli(sigmoidDerivative(o)));
        dc.addi(dh.muli(o).muli(tanhDerivative(cTanh)));
        block(dGates, 1, hidden).assign(dc.mul(cPrev).muli(sigmoidDerivative(f)));
        block(dGates, 3, hidden).assign(dc.mul(a).muli(sigmoidDerivative(g)));
        block(dGates, 0, hidden).assign(dc.mul(g).muli(tanhDerivative(a)));
        dc.muli(f);
    }

    @Override
    public void gruGates(INDArray resetUpdate, INDArray h, INDArray rh) {
        Transforms.sigmoid(resetUpdate, false);
        block(resetUpdate, 0, h.size(1)).mul(h, rh);
    }

    @Override
    public void gruState(INDArray candidate, INDArray update, INDArray h, INDArray next) {
        Transforms.tanh(candidate, false);
        h.sub(candidate, next).muli(update).addi(candidate);
    }

    @Override
    public void gruBackwardState(INDArray dY, INDArray carry, INDArray update, INDArray candidate, INDArray h,
                                 INDArray dCandidate, INDArray dUpdate) {
        INDArray dh = dY.add(carry);
        dCandidate.assign(dh.mul(update.rsub(1.0)).muli(tanhDerivative(candidate)));
        dUpdate.assign(dh.mul(h.sub(candidate)).muli(sigmoidDerivative(update)));
        carry.assign(dh.muli(update));
    }

    @Override
    public void gruBackwardReset(INDArray dRH, INDArray reset, INDArray h, INDArray dReset, INDArray carry) {
        dReset.assign(dRH.mul(h).muli(sigmoidDerivative(reset)));
        carry.addi(dRH.mul(reset));
    }

    @Override
    public void tanh(INDArray z, INDArray h) {
        Transforms.tanh(h.assign(z), false);
    }

    @Override
    public void tanhBackward(INDArray dY, INDArray carry, INDArray h, INDArray dZ) {
        dZ.assign(dY.add(carry).muli(tanhDerivative(h)));
    }
}
