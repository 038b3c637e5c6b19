package org.d2l.rnn.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link FusedBidirectional}. When both halves are {@link TimeReversible} and run on their kernels
 * (no masks), the backward half reads the input in reversed time itself and hands back its output and
 * dL/dInput in the input's order; the two outputs are copied side by side into one time-major [T·B, 2H] matrix
 * (what {@link FusedRnnOutputLayer} and the next kernel read without copying), and the incoming gradient is
 * split by column views. DL4J's wrapper instead reverses the input, the backward half's output, its epsilon and
 * its dL/dInput by copying each twice, and concatenates — 6% of a bidirectional LSTM's training step in the
 * profile. Everything else, and any other case, is DL4J's {@link BidirectionalLayer}.
 */
public class FusedBidirectionalLayer extends BidirectionalLayer implements ReleasableBuffers, InputGradientOptional {
    private final Layer forward;
    private final Layer backward;
    private boolean inputGradientNeeded = true;
    private final HostBuffers host = new HostBuffers();
    /** The input of the current fused passes; null when DL4J's wrapper code runs them. */
    private INDArray fusedInput;
    private boolean lastInputFused;

    public FusedBidirectionalLayer(NeuralNetConfiguration conf, Layer forward, Layer backward, INDArray paramsView) {
        super(conf, forward, backward, paramsView);
        this.forward = forward;
        this.backward = backward;
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr mgr) {
        fusedInput = null;
        boolean concat = ((Bidirectional) conf().getLayer()).getMode() == Bidirectional.Mode.CONCAT;
        if (concat && input.rank() == 3 && forward instanceof TimeReversible f && backward instanceof TimeReversible b
                && forward.getMaskArray() == null) {
            b.setTimeReversed(true);
            forward.setInput(input, mgr);
            backward.setInput(input, mgr);
            if (f.runsOnKernel() && b.runsOnKernel()) {
                fusedInput = input;
                lastInputFused = true;
                return;
            }
        }
        if (backward instanceof TimeReversible b) {
            b.setTimeReversed(false);
        }
        lastInputFused = false;
        super.setInput(input, mgr);
    }

    @Override
    public INDArray input() {
        return fusedInput != null ? fusedInput : super.input();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        if (fusedInput == null) {
            return super.activate(training, mgr);
        }
        INDArray forwardRows = TimeMajor.rowsView(forward.activate(training, mgr));
        INDArray backwardRows = TimeMajor.rowsView(backward.activate(training, mgr));
        long hidden = forwardRows.size(1);
        INDArray both = mgr.createUninitialized(ArrayType.ACTIVATIONS, forwardRows.dataType(),
                new long[]{forwardRows.size(0), 2 * hidden}, 'c');
        host.copyRows(forwardRows, both.get(all(), interval(0, hidden)), 1, false);
        host.copyRows(backwardRows, both.get(all(), interval(hidden, 2 * hidden)), 1, false);
        return TimeMajor.sequence(both, fusedInput.size(0));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        if (fusedInput == null) {
            halvesNeedInputGradient(true); // DL4J's wrapper adds both halves' epsilons
            return super.backpropGradient(epsilon, mgr);
        }
        halvesNeedInputGradient(inputGradientNeeded);
        long batch = epsilon.size(0);
        long hidden = epsilon.size(1) / 2;
        INDArray rows = TimeMajor.rowsView(epsilon);
        if (rows == null) {
            rows = TimeMajor.copy(epsilon, mgr.createUninitialized(ArrayType.BP_WORKING_MEM, epsilon.dataType(),
                    new long[]{epsilon.size(2) * batch, 2 * hidden}, 'c'), false, host);
        }
        Pair<Gradient, INDArray> f = forward.backpropGradient(
                TimeMajor.sequence(rows.get(all(), interval(0, hidden)), batch), mgr);
        Pair<Gradient, INDArray> b = backward.backpropGradient(
                TimeMajor.sequence(rows.get(all(), interval(hidden, 2 * hidden)), batch), mgr);
        Gradient gradient = new DefaultGradient(getGradientsViewArray());
        prefixed(gradient, BidirectionalParamInitializer.FORWARD_PREFIX, f.getFirst());
        prefixed(gradient, BidirectionalParamInitializer.BACKWARD_PREFIX, b.getFirst());
        if (!inputGradientNeeded) {
            return new Pair<>(gradient, null);
        }
        INDArray inputGradient = f.getSecond();
        INDArray forwardRows = TimeMajor.rowsView(inputGradient);
        INDArray backwardRows = TimeMajor.rowsView(b.getSecond());
        if (forwardRows != null && backwardRows != null) {
            forwardRows.addi(backwardRows); // plain matrices: ND4J's fast path
        } else {
            inputGradient.addi(b.getSecond());
        }
        return new Pair<>(gradient, inputGradient);
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    private void halvesNeedInputGradient(boolean needed) {
        for (Layer half : new Layer[]{forward, backward}) {
            if (half instanceof InputGradientOptional optional) {
                optional.setInputGradientNeeded(needed);
            }
        }
    }

    private static void prefixed(Gradient into, String prefix, Gradient from) {
        for (Map.Entry<String, INDArray> e : from.gradientForVariable().entrySet()) {
            into.gradientForVariable().put(prefix + e.getKey(), e.getValue());
        }
    }

    @Override
    public void allowInputModification(boolean allow) {
        super.allowInputModification(allow);
        backward.allowInputModification(allow); // DL4J's wrapper allows it because the backward half gets a copy
    }

    /** Whether the passes on the last input ran fused (for tests). */
    boolean fused() {
        return lastInputFused;
    }

    @Override
    public void clear() {
        super.clear();
        fusedInput = null;
    }

    @Override
    public void releaseBuffers() {
        for (Layer half : new Layer[]{forward, backward}) {
            if (half instanceof ReleasableBuffers r) {
                r.releaseBuffers();
            }
        }
    }
}
