package org.d2l.rnn.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link StepMath} for float arrays in host memory with the JDK's vector API: each step's elementwise work is one
 * or two passes over each row, SIMD across the hidden units, with exp from the JIT's vector math library.
 * σ(x) = 1 / (1 + e^−x); tanh(x) = 2σ(2x) − 1 (one exp; absolute error below 3e-7, tested).
 *
 * <p>Written for C2: loads and stores are spelled out in the loop bodies instead of going through helper
 * methods, because C2 refused to inline such helpers into the larger bodies ("callee uses too much stack") and
 * then boxed every vector: 200-500 KB of garbage and 3-4x the time per call, measured. For the same reason there
 * are no masked tails: only hidden sizes that are a multiple of {@link #LANES} take this path
 * ({@link StepMath#forType}).
 */
final class VectorStepMath implements StepMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: 8 with AVX2, 16 with AVX-512. */
    static final int LANES = S.length();
    private static final int STEP = LANES * Float.BYTES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private final HostBuffers host = new HostBuffers();

    /** Byte position of row {@code row} of a row-major [B, n] array in its root buffer. */
    private static int rowAt(INDArray array, int row) {
        long stride = array.size(0) > 1 ? array.stride(0) : array.size(1);
        return (int) ((array.offset() + row * stride) * Float.BYTES);
    }

    private static int bytes(INDArray rowMajor) {
        return (int) rowMajor.size(1) * Float.BYTES;
    }

    @Override
    public void lstmForward(INDArray gates, INDArray cPrev, INDArray c, INDArray cTanh, INDArray h) {
        ByteBuffer g = host.bytes(gates);
        ByteBuffer cp = host.bytes(cPrev);
        ByteBuffer cn = host.bytes(c);
        ByteBuffer ct = host.bytes(cTanh);
        ByteBuffer hn = host.bytes(h);
        int block = bytes(c);
        for (int b = 0; b < c.size(0); b++) {
            int gi = rowAt(gates, b);
            for (int j = 0; j < block; j += STEP) { // A = tanh
                FloatVector x = FloatVector.fromByteBuffer(S, g, gi + j, NATIVE);
                ONE.div(x.mul(-2f).lanewise(VectorOperators.EXP).add(1f)).mul(2f).sub(1f)
                        .intoByteBuffer(g, gi + j, NATIVE);
            }
            for (int j = block; j < 4 * block; j += STEP) { // F, O, G = σ, side by side
                FloatVector x = FloatVector.fromByteBuffer(S, g, gi + j, NATIVE);
                ONE.div(x.neg().lanewise(VectorOperators.EXP).add(1f)).intoByteBuffer(g, gi + j, NATIVE);
            }
            int cpi = rowAt(cPrev, b);
            int ci = rowAt(c, b);
            int ti = rowAt(cTanh, b);
            int hi = rowAt(h, b);
            for (int j = 0; j < block; j += STEP) {
                FloatVector a = FloatVector.fromByteBuffer(S, g, gi + j, NATIVE);
                FloatVector f = FloatVector.fromByteBuffer(S, g, gi + block + j, NATIVE);
                FloatVector i = FloatVector.fromByteBuffer(S, g, gi + 3 * block + j, NATIVE);
                FloatVector cell = f.mul(FloatVector.fromByteBuffer(S, cp, cpi + j, NATIVE)).add(i.mul(a));
                cell.intoByteBuffer(cn, ci + j, NATIVE);
                FloatVector t = ONE.div(cell.mul(-2f).lanewise(VectorOperators.EXP).add(1f)).mul(2f).sub(1f);
                t.intoByteBuffer(ct, ti + j, NATIVE);
                FloatVector.fromByteBuffer(S, g, gi + 2 * block + j, NATIVE).mul(t).intoByteBuffer(hn, hi + j, NATIVE);
            }
        }
    }

    @Override
    public void lstmBackward(INDArray gates, INDArray cPrev, INDArray cTanh, INDArray dY, INDArray carry, INDArray dc,
                             INDArray dGates) {
        ByteBuffer g = host.bytes(gates);
        ByteBuffer cp = host.bytes(cPrev);
        ByteBuffer ct = host.bytes(cTanh);
        ByteBuffer dy = host.bytes(dY);
        ByteBuffer cr = host.bytes(carry);
        ByteBuffer dcr = host.bytes(dc);
        ByteBuffer dg = host.bytes(dGates);
        int block = bytes(cPrev);
        for (int b = 0; b < cPrev.size(0); b++) {
            int gi = rowAt(gates, b);
            int di = rowAt(dGates, b);
            int cpi = rowAt(cPrev, b);
            int ti = rowAt(cTanh, b);
            int yi = rowAt(dY, b);
            int ri = rowAt(carry, b);
            int dci = rowAt(dc, b);
            for (int j = 0; j < block; j += STEP) {
                FloatVector a = FloatVector.fromByteBuffer(S, g, gi + j, NATIVE);
                FloatVector f = FloatVector.fromByteBuffer(S, g, gi + block + j, NATIVE);
                FloatVector o = FloatVector.fromByteBuffer(S, g, gi + 2 * block + j, NATIVE);
                FloatVector i = FloatVector.fromByteBuffer(S, g, gi + 3 * block + j, NATIVE);
                FloatVector t = FloatVector.fromByteBuffer(S, ct, ti + j, NATIVE);
                FloatVector dh = FloatVector.fromByteBuffer(S, dy, yi + j, NATIVE)
                        .add(FloatVector.fromByteBuffer(S, cr, ri + j, NATIVE));
                FloatVector dcell = dh.mul(o).mul(ONE.sub(t.mul(t)))
                        .add(FloatVector.fromByteBuffer(S, dcr, dci + j, NATIVE));
                dh.mul(t).mul(o.sub(o.mul(o))).intoByteBuffer(dg, di + 2 * block + j, NATIVE);
                dcell.mul(FloatVector.fromByteBuffer(S, cp, cpi + j, NATIVE)).mul(f.sub(f.mul(f)))
                        .intoByteBuffer(dg, di + block + j, NATIVE);
                dcell.mul(a).mul(i.sub(i.mul(i))).intoByteBuffer(dg, di + 3 * block + j, NATIVE);
                dcell.mul(i).mul(ONE.sub(a.mul(a))).intoByteBuffer(dg, di + j, NATIVE);
                dcell.mul(f).intoByteBuffer(dcr, dci + j, NATIVE);
            }
        }
    }

    @Override
    public void gruGates(INDArray resetUpdate, INDArray h, INDArray rh) {
        ByteBuffer g = host.bytes(resetUpdate);
        ByteBuffer hs = host.bytes(h);
        ByteBuffer out = host.bytes(rh);
        int block = bytes(h);
        for (int b = 0; b < h.size(0); b++) {
            int gi = rowAt(resetUpdate, b);
            for (int j = 0; j < 2 * block; j += STEP) { // R, Z = σ, side by side
                FloatVector x = FloatVector.fromByteBuffer(S, g, gi + j, NATIVE);
                ONE.div(x.neg().lanewise(VectorOperators.EXP).add(1f)).intoByteBuffer(g, gi + j, NATIVE);
            }
            int hi = rowAt(h, b);
            int oi = rowAt(rh, b);
            for (int j = 0; j < block; j += STEP) {
                FloatVector.fromByteBuffer(S, g, gi + j, NATIVE).mul(FloatVector.fromByteBuffer(S, hs, hi + j, NATIVE))
                        .intoByteBuffer(out, oi + j, NATIVE);
            }
        }
    }

    @Override
    public void gruState(INDArray candidate, INDArray update, INDArray h, INDArray next) {
        ByteBuffer cs = host.bytes(candidate);
        ByteBuffer zs = host.bytes(update);
        ByteBuffer hs = host.bytes(h);
        ByteBuffer out = host.bytes(next);
        int block = bytes(h);
        for (int b = 0; b < h.size(0); b++) {
            int ci = rowAt(candidate, b);
            int zi = rowAt(update, b);
            int hi = rowAt(h, b);
            int oi = rowAt(next, b);
            for (int j = 0; j < block; j += STEP) {
                FloatVector x = FloatVector.fromByteBuffer(S, cs, ci + j, NATIVE);
                FloatVector c = ONE.div(x.mul(-2f).lanewise(VectorOperators.EXP).add(1f)).mul(2f).sub(1f);
                c.intoByteBuffer(cs, ci + j, NATIVE);
                FloatVector z = FloatVector.fromByteBuffer(S, zs, zi + j, NATIVE);
                FloatVector.fromByteBuffer(S, hs, hi + j, NATIVE).sub(c).mul(z).add(c).intoByteBuffer(out, oi + j, NATIVE);
            }
        }
    }

    @Override
    public void gruBackwardState(INDArray dY, INDArray carry, INDArray update, INDArray candidate, INDArray h,
                                 INDArray dCandidate, INDArray dUpdate) {
        ByteBuffer dy = host.bytes(dY);
        ByteBuffer cr = host.bytes(carry);
        ByteBuffer zs = host.bytes(update);
        ByteBuffer cs = host.bytes(candidate);
        ByteBuffer hs = host.bytes(h);
        ByteBuffer dcs = host.bytes(dCandidate);
        ByteBuffer dzs = host.bytes(dUpdate);
        int block = bytes(h);
        for (int b = 0; b < h.size(0); b++) {
            int yi = rowAt(dY, b);
            int ri = rowAt(carry, b);
            int zi = rowAt(update, b);
            int ci = rowAt(candidate, b);
            int hi = rowAt(h, b);
            int dci = rowAt(dCandidate, b);
            int dzi = rowAt(dUpdate, b);
            for (int j = 0; j < block; j += STEP) {
                FloatVector dh = FloatVector.fromByteBuffer(S, dy, yi + j, NATIVE)
                        .add(FloatVector.fromByteBuffer(S, cr, ri + j, NATIVE));
                FloatVector z = FloatVector.fromByteBuffer(S, zs, zi + j, NATIVE);
                FloatVector c = FloatVector.fromByteBuffer(S, cs, ci + j, NATIVE);
                dh.sub(dh.mul(z)).mul(ONE.sub(c.mul(c))).intoByteBuffer(dcs, dci + j, NATIVE);
                dh.mul(FloatVector.fromByteBuffer(S, hs, hi + j, NATIVE).sub(c)).mul(z.sub(z.mul(z)))
                        .intoByteBuffer(dzs, dzi + j, NATIVE);
                dh.mul(z).intoByteBuffer(cr, ri + j, NATIVE);
            }
        }
    }

    @Override
    public void gruBackwardReset(INDArray dRH, INDArray reset, INDArray h, INDArray dReset, INDArray carry) {
        ByteBuffer drh = host.bytes(dRH);
        ByteBuffer rs = host.bytes(reset);
        ByteBuffer hs = host.bytes(h);
        ByteBuffer drs = host.bytes(dReset);
        ByteBuffer cr = host.bytes(carry);
        int block = bytes(h);
        for (int b = 0; b < h.size(0); b++) {
            int di = rowAt(dRH, b);
            int ri = rowAt(reset, b);
            int hi = rowAt(h, b);
            int oi = rowAt(dReset, b);
            int ci = rowAt(carry, b);
            for (int j = 0; j < block; j += STEP) {
                FloatVector d = FloatVector.fromByteBuffer(S, drh, di + j, NATIVE);
                FloatVector r = FloatVector.fromByteBuffer(S, rs, ri + j, NATIVE);
                d.mul(FloatVector.fromByteBuffer(S, hs, hi + j, NATIVE)).mul(r.sub(r.mul(r)))
                        .intoByteBuffer(drs, oi + j, NATIVE);
                d.mul(r).add(FloatVector.fromByteBuffer(S, cr, ci + j, NATIVE)).intoByteBuffer(cr, ci + j, NATIVE);
            }
        }
    }

    @Override
    public void tanh(INDArray z, INDArray h) {
        ByteBuffer zs = host.bytes(z);
        ByteBuffer hs = host.bytes(h);
        int block = bytes(h);
        for (int b = 0; b < h.size(0); b++) {
            int zi = rowAt(z, b);
            int hi = rowAt(h, b);
            for (int j = 0; j < block; j += STEP) {
                FloatVector x = FloatVector.fromByteBuffer(S, zs, zi + j, NATIVE);
                ONE.div(x.mul(-2f).lanewise(VectorOperators.EXP).add(1f)).mul(2f).sub(1f)
                        .intoByteBuffer(hs, hi + j, NATIVE);
            }
        }
    }

    @Override
    public void tanhBackward(INDArray dY, INDArray carry, INDArray h, INDArray dZ) {
        ByteBuffer dy = host.bytes(dY);
        ByteBuffer cr = host.bytes(carry);
        ByteBuffer hs = host.bytes(h);
        ByteBuffer dz = host.bytes(dZ);
        int block = bytes(h);
        for (int b = 0; b < h.size(0); b++) {
            int yi = rowAt(dY, b);
            int ri = rowAt(carry, b);
            int hi = rowAt(h, b);
            int zi = rowAt(dZ, b);
            for (int j = 0; j < block; j += STEP) {
                FloatVector y = FloatVector.fromByteBuffer(S, hs, hi + j, NATIVE);
                FloatVector.fromByteBuffer(S, dy, yi + j, NATIVE).add(FloatVector.fromByteBuffer(S, cr, ri + j, NATIVE))
                        .mul(ONE.sub(y.mul(y))).intoByteBuffer(dz, zi + j, NATIVE);
            }
        }
    }
}
