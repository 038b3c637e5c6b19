package org.d2l.rnn.nn;

import java.nio.ByteBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weighted sums over the steps of a sequence and their gradient, as Java loops over host memory: with a one-hot
 * weight per row (a seq2seq encoder's state at each sentence's true end) that is a row copy per sample where ND4J
 * needed five ops on the whole [B, C, T] sequence each way (7.6% of a d2l 9.7 run, JFR). Zero weights are
 * skipped, so a one-hot selection copies the values exactly, as their weighted sum does.
 */
public final class StepSelection {
    private final HostBuffers host = new HostBuffers();

    /** Whether the loops take these arrays: host float/double, all of one type, rank 3 and 2. */
    public static boolean fits(INDArray sequence, INDArray target) {
        return HostBuffers.hostFloatOrDouble(sequence) && sequence.rank() == 3 && target.rank() == 2
                && target.dataType() == sequence.dataType() && HostBuffers.hostFloatOrDouble(target);
    }

    /** {@code out}[b, c] = Σ_t weights[b·T + t] · {@code sequence}[b, c, t] for a sequence [B, C, T]. */
    public void weightedSum(INDArray sequence, double[] weights, INDArray out) {
        // int indices and strides read once: C2 leaves loops over long counters unoptimised
        int batch = (int) sequence.size(0);
        int channels = (int) sequence.size(1);
        int steps = (int) sequence.size(2);
        int s0 = (int) sequence.stride(0);
        int s1 = (int) sequence.stride(1);
        int s2 = (int) sequence.stride(2);
        int o0 = (int) out.stride(0);
        int o1 = channels > 1 ? (int) out.stride(1) : 1;
        int inOffset = (int) sequence.offset();
        int outOffset = (int) out.offset();
        boolean single = sequence.dataType() == DataType.FLOAT;
        int width = single ? 4 : 8;
        ByteBuffer in = host.bytes(sequence);
        ByteBuffer to = host.bytes(out);
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                double sum = 0;
                float floatSum = 0;
                int from = inOffset + b * s0 + c * s1;
                for (int t = 0; t < steps; t++) {
                    double w = weights[b * steps + t];
                    if (w == 0) {
                        continue;
                    }
                    int at = (from + t * s2) * width;
                    if (single) {
                        floatSum += in.getFloat(at) * (float) w;
                    } else {
                        sum += in.getDouble(at) * w;
                    }
                }
                int at = (outOffset + b * o0 + c * o1) * width;
                if (single) {
                    to.putFloat(at, floatSum);
                } else {
                    to.putDouble(at, sum);
                }
            }
        }
    }

    /**
     * The gradient of {@link #weightedSum}: {@code out}[b, c, t] = weights[b·T + t] · {@code gradient}[b, c] for the
     * gradient [B, C] into {@code out} [B, C, T] (zeros where the weight is 0).
     */
    public void spread(INDArray gradient, double[] weights, INDArray out) {
        int batch = (int) out.size(0);
        int channels = (int) out.size(1);
        int steps = (int) out.size(2);
        int s0 = (int) out.stride(0);
        int s1 = (int) out.stride(1);
        int s2 = (int) out.stride(2);
        int g0 = (int) gradient.stride(0);
        int g1 = channels > 1 ? (int) gradient.stride(1) : 1;
        int gOffset = (int) gradient.offset();
        int outOffset = (int) out.offset();
        boolean single = out.dataType() == DataType.FLOAT;
        int width = single ? 4 : 8;
        ByteBuffer from = host.bytes(gradient);
        ByteBuffer to = host.bytes(out);
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                int g = (gOffset + b * g0 + c * g1) * width;
                double value = single ? from.getFloat(g) : from.getDouble(g);
                int base = outOffset + b * s0 + c * s1;
                for (int t = 0; t < steps; t++) {
                    double w = weights[b * steps + t];
                    int at = (base + t * s2) * width;
                    if (single) {
                        to.putFloat(at, w == 0 ? 0f : (float) value * (float) w);
                    } else {
                        to.putDouble(at, w == 0 ? 0 : value * w);
                    }
                }
            }
        }
    }

    /** The values of the rank-2 {@code matrix}, row after row; read from host memory where it lives there. */
    public double[] values(INDArray matrix) {
        long rows = matrix.size(0);
        long columns = matrix.size(1);
        double[] values = new double[Math.toIntExact(rows * columns)];
        if (!HostBuffers.hostFloatOrDouble(matrix)) {
            double[][] all = matrix.toDoubleMatrix();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(all[r], 0, values, (int) (r * columns), (int) columns);
            }
            return values;
        }
        boolean single = matrix.dataType() == DataType.FLOAT;
        ByteBuffer bytes = host.bytes(matrix);
        for (long r = 0; r < rows; r++) {
            for (long c = 0; c < columns; c++) {
                long at = matrix.offset() + r * matrix.stride(0) + c * matrix.stride(1);
                values[(int) (r * columns + c)] = single ? bytes.getFloat((int) (at * 4)) : bytes.getDouble((int) (at * 8));
            }
        }
        return values;
    }
}
