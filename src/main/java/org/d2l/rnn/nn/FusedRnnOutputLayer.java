package org.d2l.rnn.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime of {@link FusedRnnOutput}: for softmax + multi-class cross-entropy without dropout, weight noise or
 * per-output masks (every language model here; seq2seq with its per-step label mask) the training pass works on the time-major rows [T·B, H] of the input
 * ({@link TimeMajor}: a view of what the fused recurrent kernels hand over), with three BLAS calls — logits,
 * weight gradient, dL/dInput — and hands back dL/dInput as a time-major view; the loss computed on the way is
 * reused by the score DL4J asks for right after the backward pass. Anything else is DL4J's {@link RnnOutputLayer}.
 *
 * <p>The numbers are DL4J's: logits X W + b, DL4J's softmax op (on float host rows {@link VectorSoftmax}, the same
 * function to float rounding), gradient softmax − labels (unclipped, as
 * {@link LossMCXENT#computeGradient}), score −Σ labels · log(p clipped to [ε, 1 − ε]) / minibatch
 * (as {@link LossMCXENT#computeScore}). {@code FusedRnnOutputTest} compares both runtimes.
 */
public class FusedRnnOutputLayer extends RnnOutputLayer implements ReleasableBuffers {
    private final HostBuffers host = new HostBuffers();
    private final Blas blas = new Blas(host);
    private INDArray inputRows;
    private INDArray probabilities; // [T·B, V]: softmax, then softmax − labels
    private INDArray labelRows;
    private INDArray ones;     // [1, T·B] and [1, V]: bias gradient as a BLAS call
    private byte[] zeros = new byte[0];
    private INDArray biasSums;
    /** The input's rows view, made once per input array. */
    private final TimeMajor.RowsViewCache inputView = new TimeMajor.RowsViewCache();
    /** The output rows of {@link #activate} in an {@link InferenceSession}, and their [B, V, T] view. */
    private INDArray sessionOut;
    private INDArray sessionOutView;
    /** The loss of the last backward pass, for the score of the same input and labels (used once). */
    private ScoreOf lastLoss;
    private boolean lastBackwardFused;

    private record ScoreOf(INDArray input, INDArray labels, double lossSum) {
    }

    public FusedRnnOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean fused() {
        return labels != null && labels.rank() == 3 && rowsFusable() && (maskArray == null || perStepMask())
                && layerConf().getLossFn() instanceof LossMCXENT loss && loss.getWeights() == null;
    }

    /**
     * A label mask per time step: DL4J's {@code RnnOutputLayer.setMaskArray} holds it as a [B·T, 1] column in
     * time-major order ('f' reshape of [B, T]) — the order of our rows — and the loss multiplies each row's gradient
     * and score by it ({@code LossUtil.applyMask}). Per-output masks (rank 3) stay DL4J's.
     */
    private boolean perStepMask() {
        return maskArray.isColumnVectorOrScalar() && maskArray.length() == input.size(0) * input.size(2);
    }

    /** Whether the forward pass (softmax(X W + b), no mask, dropout or noise) can run on time-major rows. */
    private boolean forwardFused() {
        return maskArray == null && rowsFusable();
    }

    /** softmax(X W + b) without dropout or noise, host float/double input of the layer's type. */
    private boolean rowsFusable() {
        org.deeplearning4j.nn.conf.layers.RnnOutputLayer conf = layerConf();
        return input != null && input.rank() == 3 && conf.getRnnDataFormat() == RNNFormat.NCW
                && conf.getIDropout() == null && conf.getWeightNoise() == null
                && conf.getActivationFn() instanceof ActivationSoftmax && input.dataType() == dataType
                && HostBuffers.hostFloatOrDouble(input);
    }

    /**
     * The output's probabilities, [B, V, T] as a view of time-major rows: one BLAS call (the bias included) and DL4J's
     * softmax op. DL4J's own pass adds a reshape copy of the input and one of the result, three ops more; at generation (one
     * step of one row) those made the output layer a third of the time per character. In an {@link InferenceSession}
     * the probabilities go into a buffer of this layer, handed back through a view made once: the caller reads them
     * before the next call overwrites them, and a generation step makes no array here (ND4J makes every array, views
     * included, with native shape information, ~10 us each).
     */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!forwardFused()) {
            return super.activate(training, workspaceMgr);
        }
        long batch = input.size(0);
        long steps = input.size(2);
        long classes = layerConf().getNOut();
        INDArray x = inputView.of(input);
        if (x == null) {
            ensureBuffers(batch, input.size(1), classes, steps);
            x = TimeMajor.copy(input, inputRows, false, host);
        }
        boolean session = InferenceSession.currentId() != 0;
        INDArray rows = session ? sessionRows(batch, steps, classes)
                : workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[]{steps * batch, classes}, 'c');
        blas.gemmPlusRow(x, false, getParam(DefaultParamInitializer.WEIGHT_KEY), false,
                getParam(DefaultParamInitializer.BIAS_KEY), rows);
        softmax(rows, training);
        return session ? sessionOutView : TimeMajor.sequence(rows, batch);
    }

    /** The session's output rows [T·B, V] (and {@link #sessionOutView}), made again where the shape changed. */
    private INDArray sessionRows(long batch, long steps, long classes) {
        if (sessionOut == null || sessionOut.size(0) != batch * steps || sessionOut.size(1) != classes
                || sessionOut.dataType() != dataType) {
            NativeArrays.free(sessionOut);
            sessionOut = TimeMajor.buffer(dataType, batch, classes, steps);
            sessionOutView = TimeMajor.sequence(sessionOut, batch);
        }
        return sessionOut;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        lastLoss = null;
        lastBackwardFused = fused();
        if (!lastBackwardFused) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        long batch = input.size(0);
        long steps = input.size(2);
        long classes = layerConf().getNOut();
        ensureBuffers(batch, input.size(1), classes, steps);
        INDArray x = TimeMajor.rows(input, inputRows, host);
        INDArray weights = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray p = probabilities;
        blas.gemmPlusRow(x, false, weights, false, getParam(DefaultParamInitializer.BIAS_KEY), p);
        softmax(p, true);
        INDArray delta;
        if (labelsOnHost()) {
            lastLoss = new ScoreOf(input, labels, subtractLabelsOnHost(p));
            delta = p;
        } else {
            INDArray castLabels = labels.castTo(dataType);
            INDArray y = TimeMajor.rows(castLabels, labelRows, host);
            INDArray mask = maskArray == null ? null : maskArray.castTo(dataType);
            lastLoss = new ScoreOf(input, labels, crossEntropySum(p, y, mask));
            if (castLabels != labels && y != castLabels) { // a cast copy, already copied into labelRows
                NativeArrays.free(castLabels);
            }
            delta = p.subi(y);
            if (mask != null) {
                delta.muliColumnVector(mask);
            }
        }
        Gradient gradient = new DefaultGradient();
        INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        blas.gemm(x, true, delta, false, weightGradient, 1.0, 0.0);
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
        if (hasBias()) {
            INDArray biasGradient = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
            if (ones == null || ones.length() != delta.size(0)) {
                NativeArrays.free(ones, biasSums);
                ones = TimeMajor.buffer(dataType, 1, delta.size(0), 1).reshape(1, delta.size(0)).assign(1);
                biasSums = TimeMajor.buffer(dataType, 1, classes, 1);
            }
            // column sums as one BLAS call with a ones row (ND4J's sum along dimension 0 is an op of its own)
            biasGradient.assign(blas.gemm(ones, false, delta, false, biasSums, 1.0, 0.0).reshape(biasGradient.shape()));
            gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGradient);
        }
        INDArray epsilonRows = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                new long[]{steps * batch, input.size(1)}, 'c');
        blas.gemm(delta, false, weights, true, epsilonRows, 1.0, 0.0);
        weightNoiseParams.clear();
        return new Pair<>(gradient, TimeMajor.sequence(epsilonRows, batch));
    }

    /** Labels [B, V, T] and the per-step mask (if any) in host memory, of the layer's type: {@link #subtractLabelsOnHost}. */
    private boolean labelsOnHost() {
        return labels.dataType() == dataType && HostBuffers.hostFloatOrDouble(labels)
                && (maskArray == null || HostBuffers.hostFloatOrDouble(maskArray) && maskArray.rank() == 2
                && maskArray.size(1) == 1);
    }

    /**
     * The loss sum and the gradient in one pass over the labels [B, V, T] in memory order, without a time-major copy
     * of them: for every non-zero label y at row r = t·B + b, class v, the row's loss gets y · log(p clipped), then
     * p[r, v] −= y; rows whose mask m is not 1 are then multiplied by m. The same numbers, in the same order, as
     * {@link #crossEntropySum} with p − labels times the mask. Returns the loss sum −Σ m · Σ y log p.
     */
    private double subtractLabelsOnHost(INDArray p) {
        double eps = ((LossMCXENT) layerConf().getLossFn()).getSoftmaxClipEps();
        boolean single = dataType == DataType.FLOAT;
        int width = single ? 4 : 8;
        int batch = (int) labels.size(0);
        int classes = (int) labels.size(1);
        int steps = (int) labels.size(2);
        java.nio.ByteBuffer yb = host.bytes(labels);
        java.nio.ByteBuffer pb = host.bytes(p);
        long pOffset = p.offset();
        long pRow = p.size(0) > 1 ? p.stride(0) : p.size(1);
        long pCol = p.size(1) > 1 ? p.stride(1) : 1;
        long yOffset = labels.offset();
        long s0 = labels.stride(0);
        long s1 = labels.stride(1);
        long s2 = labels.stride(2);
        // the non-zero labels: with a dense layout (DL4J's iterators make 'f' order labels) one vectorised scan of the
        // memory (positions in the block), else every element by its strides (positions as (b·V + v)·T + t)
        int[] nonZeros;
        boolean scanned = single && VectorSupport.AVAILABLE && dense(labels);
        if (scanned) {
            nonZeros = VectorSoftmax.nonZeros(yb, (int) (yOffset * width), batch * classes * steps);
        } else {
            int[] found = new int[16];
            int n = 0;
            for (int b = 0; b < batch; b++) {
                for (int v = 0; v < classes; v++) {
                    for (int t = 0; t < steps; t++) {
                        long at = b * s0 + v * s1 + t * s2;
                        if ((single ? yb.getFloat((int) ((yOffset + at) * width))
                                : yb.getDouble((int) ((yOffset + at) * width))) != 0) {
                            if (n == found.length) {
                                found = java.util.Arrays.copyOf(found, 2 * n);
                            }
                            found[n++] = (b * classes + v) * steps + t;
                        }
                    }
                }
            }
            nonZeros = java.util.Arrays.copyOf(found, n);
        }
        double[] rowLoss = new double[batch * steps];
        // for one row (b, t) the classes come in ascending order either way: the row sums are those of crossEntropySum
        for (int i : nonZeros) {
            int b = (int) (scanned ? i / s0 % batch : i / (steps * classes));
            int v = (int) (scanned ? i / s1 % classes : i / steps % classes);
            int t = (int) (scanned ? i / s2 % steps : i % steps);
            long yAt = (yOffset + b * s0 + v * s1 + t * s2) * width;
            double label = single ? yb.getFloat((int) yAt) : yb.getDouble((int) yAt);
            int r = t * batch + b;
            int pAt = (int) ((pOffset + r * pRow + v * pCol) * width);
            double prob = single ? pb.getFloat(pAt) : pb.getDouble(pAt);
            double clipped = prob;
            if (eps > 0) {
                clipped = Math.min(Math.max(prob, single ? (float) eps : eps), single ? (float) (1.0 - eps) : 1.0 - eps);
            }
            rowLoss[r] += label * (single ? (float) Math.log((float) clipped) : Math.log(clipped));
            if (single) {
                pb.putFloat(pAt, (float) prob - (float) label);
            } else {
                pb.putDouble(pAt, prob - label);
            }
        }
        java.nio.ByteBuffer mb = maskArray == null ? null : host.bytes(maskArray);
        boolean singleMask = maskArray != null && maskArray.dataType() == DataType.FLOAT;
        long mOffset = maskArray == null ? 0 : maskArray.offset();
        long mStride = maskArray == null || maskArray.size(0) == 1 ? 1 : maskArray.stride(0);
        long cols = p.size(1);
        double sum = 0;
        for (int r = 0; r < rowLoss.length; r++) {
            double m = 1;
            if (mb != null) {
                long at = mOffset + r * mStride;
                m = singleMask ? mb.getFloat((int) (at * 4)) : mb.getDouble((int) (at * 8));
            }
            if (m != 0) {
                sum += m * rowLoss[r];
            }
            if (m == 0 && pCol == 1) { // a padding step: its row of the gradient is zeros
                int from = (int) ((pOffset + r * pRow) * width);
                int bytes = (int) (cols * width);
                if (zeros.length < bytes) {
                    zeros = new byte[bytes];
                }
                pb.put(from, zeros, 0, bytes);
            } else if (m != 1) {
                for (long c = 0; c < cols; c++) {
                    int pAt = (int) ((pOffset + r * pRow + c * pCol) * width);
                    if (single) {
                        pb.putFloat(pAt, pb.getFloat(pAt) * (float) m);
                    } else {
                        pb.putDouble(pAt, pb.getDouble(pAt) * m);
                    }
                }
            }
        }
        return -sum;
    }

    /**
     * Whether {@code a}'s elements fill one block of memory without gaps (any order of the dimensions), so that the
     * element at position i of the block has coordinate (i / stride_d) mod size_d along every dimension d.
     */
    private static boolean dense(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        Integer[] dims = new Integer[shape.length];
        for (int d = 0; d < dims.length; d++) {
            dims[d] = d;
        }
        java.util.Arrays.sort(dims, java.util.Comparator.comparingLong(d -> stride[d]));
        long expected = 1;
        for (int d : dims) {
            if (shape[d] == 1) {
                continue;
            }
            if (stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return a.length() < Integer.MAX_VALUE;
    }

    /** Softmax over the rows of {@code logits} in place: {@link VectorSoftmax} on float host rows, else DL4J's op. */
    private void softmax(INDArray logits, boolean training) {
        if (VectorSoftmax.fits(logits)) {
            VectorSoftmax.inPlace(logits, host);
        } else {
            layerConf().getActivationFn().getActivation(logits, training);
        }
    }

    /**
     * −Σ y · log(p clipped to [ε, 1 − ε]) (· the row's mask), DL4J's MCXENT score before dividing by the minibatch.
     * On host rows it is one loop over the labels' non-zero entries (a one-hot row has one), not six ND4J ops over
     * [T·B, V] (a copy, two clips, log, product, sum): those were a tenth of a d2l 9.7 seq2seq run.
     */
    private double crossEntropySum(INDArray p, INDArray y, INDArray mask) {
        double eps = ((LossMCXENT) layerConf().getLossFn()).getSoftmaxClipEps();
        if (rowMajorHost(p) && rowMajorHost(y) && (mask == null || mask.length() == p.size(0) && mask.elementWiseStride() == 1
                && HostBuffers.hostFloatOrDouble(mask))) {
            return crossEntropySumOnHost(p, y, mask, eps);
        }
        INDArray clipped = p.dup();
        try {
            if (eps > 0) {
                BooleanIndexing.replaceWhere(clipped, eps, Conditions.lessThan(eps));
                BooleanIndexing.replaceWhere(clipped, 1.0 - eps, Conditions.greaterThan(1.0 - eps));
            }
            INDArray score = Transforms.log(clipped, false).muli(y);
            if (mask != null) {
                score.muliColumnVector(mask);
            }
            return -score.sumNumber().doubleValue();
        } finally {
            NativeArrays.free(clipped); // a [T·B, V] temporary per step: in DL4J's workspace when it has one open, else ours
        }
    }

    private static boolean rowMajorHost(INDArray m) {
        return m.rank() == 2 && m.stride(1) == 1 && m.stride(0) == m.size(1) && HostBuffers.hostFloatOrDouble(m);
    }

    /** The same sum read straight from host memory; the log is taken in the arrays' precision, as ND4J's op does. */
    private double crossEntropySumOnHost(INDArray p, INDArray y, INDArray mask, double eps) {
        java.nio.ByteBuffer pb = host.bytes(p);
        java.nio.ByteBuffer yb = host.bytes(y);
        java.nio.ByteBuffer mb = mask == null ? null : host.bytes(mask);
        boolean single = p.dataType() == DataType.FLOAT;
        long rows = p.size(0);
        long cols = p.size(1);
        double sum = 0;
        for (long r = 0; r < rows; r++) {
            double m = mb == null ? 1 : read(mb, mask, r, mask.dataType() == DataType.FLOAT);
            if (m == 0) {
                continue;
            }
            double row = 0;
            for (long c = 0; c < cols; c++) {
                double label = read(yb, y, r * cols + c, single);
                if (label != 0) {
                    double prob = read(pb, p, r * cols + c, single);
                    if (eps > 0) {
                        prob = Math.min(Math.max(prob, single ? (float) eps : eps), single ? (float) (1.0 - eps) : 1.0 - eps);
                    }
                    row += label * (single ? (float) Math.log((float) prob) : Math.log(prob));
                }
            }
            sum += m * row;
        }
        return -sum;
    }

    private static double read(java.nio.ByteBuffer bytes, INDArray array, long index, boolean single) {
        long at = array.offset() + index;
        return single ? bytes.getFloat((int) (at * 4)) : bytes.getDouble((int) (at * 8));
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        ScoreOf loss = lastLoss;
        lastLoss = null;
        if (loss == null || loss.input() != input || loss.labels() != labels || !training) {
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        double score = loss.lossSum();
        if (conf().isMiniBatch()) {
            score /= getInputMiniBatchSize();
        }
        this.score = score + fullNetRegTerm;
        return this.score;
    }

    /** (Re)makes the row buffers for this shape: kept across iterations, outside DL4J's workspaces. */
    private void ensureBuffers(long batch, long channels, long classes, long steps) {
        if (probabilities == null || probabilities.size(0) != batch * steps || probabilities.size(1) != classes
                || inputRows.size(1) != channels || probabilities.dataType() != dataType) {
            releaseBuffers(); // the old shape's: now, not when the garbage collector gets to them
            inputRows = TimeMajor.buffer(dataType, batch, channels, steps);
            labelRows = TimeMajor.buffer(dataType, batch, classes, steps);
            probabilities = TimeMajor.buffer(dataType, batch, classes, steps);
        }
    }

    /** Whether the last backward pass took the fused path (for tests). */
    boolean lastBackwardFused() {
        return lastBackwardFused;
    }

    @Override
    public void clear() {
        super.clear();
        lastLoss = null;
    }

    @Override
    public void releaseBuffers() {
        for (INDArray b : new INDArray[]{inputRows, labelRows, probabilities, ones, biasSums, sessionOut}) {
            if (b != null) {
                NativeArrays.free(b);
            }
        }
        sessionOut = null;
        sessionOutView = null;
        inputView.clear();
        inputRows = null;
        labelRows = null;
        probabilities = null;
        ones = null;
        biasSums = null;
    }
}
