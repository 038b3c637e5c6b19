package org.d2l.rnn.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax over the rows of a float host matrix with the JDK's vector API: exp(x − max) / Σ per row, with
 * {@link VectorStepMath}'s exp (the last columns, past a multiple of the vector length, with the same polynomial
 * in scalar float arithmetic), the row sums added in a fixed order, so a seed repeats its numbers in every JIT tier.
 * Only touched where {@link VectorSupport#AVAILABLE}.
 *
 * <p>Why: libnd4j's softmax op on the seq2seq output layer's [640, 201] logits took 8.7% of a d2l 9.7 run (JFR).
 */
final class VectorSoftmax {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();
    private static final int STEP = LANES * Float.BYTES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    private static final float ROUNDING = 12582912f; // 1.5 * 2^23
    private static final int ROUNDING_BITS = Float.floatToRawIntBits(ROUNDING);

    private VectorSoftmax() {
    }

    /** Whether {@link #inPlace} takes {@code m}: a float host matrix with unit column stride. */
    static boolean fits(INDArray m) {
        return VectorSupport.AVAILABLE && HostBuffers.CPU && m.dataType() == DataType.FLOAT && m.rank() == 2
                && (m.size(1) == 1 || m.stride(1) == 1) && m.size(1) > 0;
    }

    /** Row softmax of {@code m} in place ({@link #fits} it). */
    static void inPlace(INDArray m, HostBuffers host) {
        ByteBuffer bytes = host.bytes(m);
        int rows = (int) m.size(0);
        int cols = (int) m.size(1);
        int rowBytes = (int) ((rows > 1 ? m.stride(0) : cols) * Float.BYTES);
        rows(bytes, (int) (m.offset() * Float.BYTES), rows, cols, rowBytes, new float[LANES]);
    }

    /**
     * One small method per pass, as in {@link VectorStepMath}: C2 refused to inline the exp into one bigger body
     * and then boxed every vector (measured: 5 ns per element instead of well under 1).
     */
    private static void rows(ByteBuffer b, int from, int rows, int cols, int rowBytes, float[] lanes) {
        int vectorBytes = cols / LANES * STEP;
        int rowEnd = cols * Float.BYTES;
        for (int r = 0; r < rows; r++) {
            int row = from + r * rowBytes;
            float max = max(b, row, vectorBytes);
            for (int j = vectorBytes; j < rowEnd; j += Float.BYTES) {
                max = Math.max(max, b.getFloat(row + j));
            }
            float sum = expMinus(b, row, vectorBytes, max, lanes);
            for (int j = vectorBytes; j < rowEnd; j += Float.BYTES) {
                float e = exp(b.getFloat(row + j) - max);
                b.putFloat(row + j, e);
                sum += e;
            }
            divide(b, row, vectorBytes, sum);
            for (int j = vectorBytes; j < rowEnd; j += Float.BYTES) {
                b.putFloat(row + j, b.getFloat(row + j) / sum);
            }
        }
    }

    /** The largest of the floats at bytes [row, row + length) (−∞ for none); exact in any order. */
    private static float max(ByteBuffer b, int row, int length) {
        if (length == 0) {
            return Float.NEGATIVE_INFINITY;
        }
        FloatVector m = FloatVector.fromByteBuffer(S, b, row, NATIVE);
        for (int j = STEP; j < length; j += STEP) {
            m = m.max(FloatVector.fromByteBuffer(S, b, row + j, NATIVE));
        }
        return m.reduceLanes(VectorOperators.MAX);
    }

    /** x = exp(x − max) over bytes [row, row + length); returns their sum, lanes added in a fixed order. */
    private static float expMinus(ByteBuffer b, int row, int length, float max, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < length; j += STEP) {
            FloatVector x = FloatVector.fromByteBuffer(S, b, row + j, NATIVE).sub(max);
            // VectorStepMath.exp spelled out (see the class comment)
            FloatVector v = x.max(-87.3f).min(88.3f);
            FloatVector t = v.mul(LOG2E).add(ROUNDING);
            FloatVector k = t.sub(ROUNDING);
            FloatVector r = v.sub(k.mul(LN2_HIGH)).sub(k.mul(LN2_LOW));
            FloatVector p = r.mul(1.9875691500e-4f).add(1.3981999507e-3f).mul(r).add(8.3334519073e-3f).mul(r)
                    .add(4.1665795894e-2f).mul(r).add(1.6666665459e-1f).mul(r).add(5.0000001201e-1f);
            p = p.mul(r.mul(r)).add(r).add(1f);
            IntVector twoToK = ((IntVector) t.reinterpretAsInts()).add(127 - ROUNDING_BITS)
                    .lanewise(VectorOperators.LSHL, 23);
            FloatVector e = p.mul(twoToK.reinterpretAsFloats());
            e.intoByteBuffer(b, row + j, NATIVE);
            acc = acc.add(e);
        }
        acc.intoArray(lanes, 0);
        float sum = 0;
        for (float lane : lanes) {
            sum += lane;
        }
        return sum;
    }

    /** x = x / sum over bytes [row, row + length). */
    private static void divide(ByteBuffer b, int row, int length, float sum) {
        for (int j = 0; j < length; j += STEP) {
            FloatVector.fromByteBuffer(S, b, row + j, NATIVE).div(sum).intoByteBuffer(b, row + j, NATIVE);
        }
    }

    /**
     * The positions (from 0) of the non-zero floats among {@code count} floats at byte {@code from}, in order; a
     * one-hot label array is almost all zeros, so whole vectors of zeros are skipped with one comparison.
     */
    static int[] nonZeros(ByteBuffer b, int from, int count) {
        int[] found = new int[64];
        int n = 0;
        int vectorEnd = count / LANES * LANES;
        for (int i = 0; i < vectorEnd; i += LANES) {
            if (anyNonZero(b, from + i * Float.BYTES)) {
                for (int j = i; j < i + LANES; j++) {
                    if (b.getFloat(from + j * Float.BYTES) != 0) {
                        if (n == found.length) {
                            found = java.util.Arrays.copyOf(found, 2 * n);
                        }
                        found[n++] = j;
                    }
                }
            }
        }
        for (int j = vectorEnd; j < count; j++) {
            if (b.getFloat(from + j * Float.BYTES) != 0) {
                if (n == found.length) {
                    found = java.util.Arrays.copyOf(found, 2 * n);
                }
                found[n++] = j;
            }
        }
        return java.util.Arrays.copyOf(found, n);
    }

    private static boolean anyNonZero(ByteBuffer b, int at) {
        return FloatVector.fromByteBuffer(S, b, at, NATIVE).compare(VectorOperators.NE, 0f).anyTrue();
    }

    /** {@link VectorStepMath}'s exp on one float, operation for operation. */
    static float exp(float x) {
        float v = Math.min(Math.max(x, -87.3f), 88.3f);
        float t = v * LOG2E + ROUNDING;
        float k = t - ROUNDING;
        float r = v - k * LN2_HIGH - k * LN2_LOW;
        float p = ((((r * 1.9875691500e-4f + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r + 4.1665795894e-2f) * r
                + 1.6666665459e-1f) * r + 5.0000001201e-1f;
        p = p * (r * r) + r + 1f;
        float twoToK = Float.intBitsToFloat((Float.floatToRawIntBits(t) + (127 - ROUNDING_BITS)) << 23);
        return p * twoToK;
    }
}
