package org.d2l.rnn.nn;

import java.nio.ByteBuffer;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.embedding.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link FusedEmbeddingSequence}. For identity activation, no bias, NCW output and host float/double
 * arrays (d2l's {@code nn.Embedding}) the forward pass copies row {@code W[token]} of every (sample, step) into
 * time-major rows [T·B, E] (handed over as the [B, E, T] view {@link TimeMajor#sequence}, which the fused recurrent
 * kernels read without a copy), times the feature mask as DL4J does; the backward pass zeroes dL/dW and adds each
 * row of dL/dOutput (times the mask) into the row of its token, samples in DL4J's order (sample-major), so the sums
 * are DL4J's. Everything else is DL4J's {@link EmbeddingSequenceLayer}.
 */
public class FusedEmbeddingSequenceLayer extends EmbeddingSequenceLayer implements ReleasableBuffers {
    private final HostBuffers host = new HostBuffers();
    /** Time-major copy of dL/dOutput when it has no time-major view; kept across iterations. */
    private INDArray epsilonRows;

    public FusedEmbeddingSequenceLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean fusable() {
        org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer conf = layerConf();
        return input != null && !conf.hasBias() && conf.getOutputFormat() == RNNFormat.NCW
                && conf.getActivationFn() instanceof ActivationIdentity
                && (input.rank() == 2 || input.rank() == 3 && input.size(1) == 1)
                && HostBuffers.hostFloatOrDouble(getParam(DefaultParamInitializer.WEIGHT_KEY))
                && (maskArray == null || maskArray.rank() == 2 && maskArray.size(0) == input.size(0)
                        && maskArray.size(1) == steps());
    }

    private long steps() {
        return input.size(input.rank() - 1);
    }

    /** The token of sample b at step t, checked against the vocabulary. */
    private int[] tokens() {
        int batch = (int) input.size(0);
        int steps = (int) steps();
        long vocab = layerConf().getNIn();
        int stepStride = (int) input.stride(input.rank() - 1);
        int batchStride = (int) input.stride(0);
        int offset = (int) input.offset();
        int[] tokens = new int[batch * steps];
        boolean host = HostBuffers.hostFloatOrDouble(input);
        ByteBuffer bytes = host ? this.host.bytes(input) : null;
        boolean single = input.dataType() == DataType.FLOAT;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int at = offset + b * batchStride + t * stepStride;
                double value = host ? (single ? bytes.getFloat(at * 4) : bytes.getDouble(at * 8))
                        : (input.rank() == 2 ? input.getDouble(b, t) : input.getDouble(b, 0, t));
                if (value < 0 || value >= vocab || value != Math.rint(value)) {
                    throw new DL4JInvalidInputException("Invalid index for embedding layer " + layerId() + ": got "
                            + value + " for sample " + b + ", step " + t + "; indices must be integers in [0, "
                            + (vocab - 1) + "]");
                }
                tokens[b * steps + t] = (int) value;
            }
        }
        return tokens;
    }

    /** The feature mask of sample b at step t, sample-major, or null without a mask. */
    private double[] mask() {
        if (maskArray == null) {
            return null;
        }
        int batch = (int) maskArray.size(0);
        int steps = (int) maskArray.size(1);
        int m0 = (int) maskArray.stride(0);
        int m1 = (int) maskArray.stride(1);
        int offset = (int) maskArray.offset();
        double[] mask = new double[batch * steps];
        boolean host = HostBuffers.hostFloatOrDouble(maskArray);
        ByteBuffer bytes = host ? this.host.bytes(maskArray) : null;
        boolean single = maskArray.dataType() == DataType.FLOAT;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int at = offset + b * m0 + t * m1;
                mask[b * steps + t] = host ? (single ? bytes.getFloat(at * 4) : bytes.getDouble(at * 8))
                        : maskArray.getDouble(b, t);
            }
        }
        return mask;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (!fusable()) {
            return super.activate(training, workspaceMgr);
        }
        long batch = input.size(0);
        long steps = steps();
        int[] tokens = tokens();
        double[] mask = mask();
        INDArray weights = getParam(DefaultParamInitializer.WEIGHT_KEY);
        long size = weights.size(1);
        INDArray rows = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, weights.dataType(),
                new long[]{steps * batch, size}, 'c');
        ByteBuffer w = host.bytes(weights);
        ByteBuffer out = host.bytes(rows);
        // int indices throughout: C2 leaves loops over long counters unoptimised
        int ws0 = (int) weights.stride(0);
        int ws1 = size > 1 ? (int) weights.stride(1) : 1;
        int wOffset = (int) weights.offset();
        int rOffset = (int) rows.offset();
        int n = (int) size;
        int batchSize = (int) batch;
        int stepCount = (int) steps;
        boolean single = weights.dataType() == DataType.FLOAT;
        for (int t = 0; t < stepCount; t++) {
            for (int b = 0; b < batchSize; b++) {
                int i = b * stepCount + t;
                int from = wOffset + tokens[i] * ws0;
                int to = rOffset + (t * batchSize + b) * n;
                double m = mask == null ? 1 : mask[i];
                if (single) {
                    float fm = (float) m;
                    for (int e = 0; e < n; e++) {
                        float v = w.getFloat((from + e * ws1) * 4);
                        out.putFloat((to + e) * 4, m == 1 ? v : v * fm);
                    }
                } else {
                    for (int e = 0; e < n; e++) {
                        double v = w.getDouble((from + e * ws1) * 8);
                        out.putDouble((to + e) * 8, m == 1 ? v : v * m);
                    }
                }
            }
        }
        return TimeMajor.sequence(rows, batch);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!fusable() || !HostBuffers.hostFloatOrDouble(epsilon) || epsilon.dataType() != dataType) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        long batch = input.size(0);
        long steps = steps();
        int[] tokens = tokens();
        double[] mask = mask();
        INDArray eps = TimeMajor.rowsView(epsilon);
        if (eps == null) {
            if (epsilonRows == null || epsilonRows.length() != epsilon.length()
                    || epsilonRows.dataType() != epsilon.dataType()) {
                NativeArrays.free(epsilonRows);
                epsilonRows = TimeMajor.buffer(epsilon.dataType(), batch, epsilon.size(1), steps);
            }
            eps = TimeMajor.copy(epsilon, epsilonRows, false, host);
        }
        INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        long size = weightGradient.size(1);
        ByteBuffer g = host.bytes(weightGradient);
        ByteBuffer d = host.bytes(eps);
        boolean single = weightGradient.dataType() == DataType.FLOAT;
        int width = single ? 4 : 8;
        zero(weightGradient, g, width);
        int gs0 = (int) weightGradient.stride(0);
        int gs1 = size > 1 ? (int) weightGradient.stride(1) : 1;
        int es0 = (int) (eps.size(0) > 1 ? eps.stride(0) : size);
        int es1 = size > 1 ? (int) eps.stride(1) : 1;
        int gOffset = (int) weightGradient.offset();
        int eOffset = (int) eps.offset();
        int n = (int) size;
        int batchSize = (int) batch;
        int stepCount = (int) steps;
        for (int b = 0; b < batchSize; b++) { // DL4J's scatter order: sample by sample, steps in order
            for (int t = 0; t < stepCount; t++) {
                int i = b * stepCount + t;
                double m = mask == null ? 1 : mask[i];
                if (m == 0) {
                    continue;
                }
                int to = gOffset + tokens[i] * gs0;
                int from = eOffset + (t * batchSize + b) * es0;
                if (single) {
                    float fm = (float) m;
                    for (int e = 0; e < n; e++) {
                        int at = (to + e * gs1) * 4;
                        float v = d.getFloat((from + e * es1) * 4);
                        g.putFloat(at, g.getFloat(at) + (m == 1 ? v : v * fm));
                    }
                } else {
                    for (int e = 0; e < n; e++) {
                        int at = (to + e * gs1) * 8;
                        double v = d.getDouble((from + e * es1) * 8);
                        g.putDouble(at, g.getDouble(at) + (m == 1 ? v : v * m));
                    }
                }
            }
        }
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
        return new Pair<>(gradient, null);
    }

    /** Zeroes {@code array} in host memory when it is one contiguous block, else with ND4J's assign. */
    private static void zero(INDArray array, ByteBuffer bytes, int width) {
        long n = array.length();
        long rows = array.size(0);
        long columns = array.size(1);
        boolean contiguous = array.rank() == 2
                && ((rows == 1 || array.stride(0) == 1) && (columns == 1 || array.stride(1) == rows)
                || (columns == 1 || array.stride(1) == 1) && (rows == 1 || array.stride(0) == columns));
        if (!contiguous) {
            array.assign(0);
            return;
        }
        int from = (int) (array.offset() * width);
        int to = (int) ((array.offset() + n) * width);
        int at = from;
        for (; at + 8 <= to; at += 8) {
            bytes.putLong(at, 0L);
        }
        for (; at < to; at++) {
            bytes.put(at, (byte) 0);
        }
    }

    @Override
    public void releaseBuffers() {
        NativeArrays.free(epsilonRows);
        epsilonRows = null;
    }
}
