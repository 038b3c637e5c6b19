package org.d2l.rnn.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.base.Preconditions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.ExternalErrorsFunction;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime layer of {@link ScratchRecurrent}: DL4J's SameDiff layer runtime plus the three things it lacks for an
 * unrolled RNN.
 * <ul>
 *   <li>Sequence length: the unrolled graph bakes T in (DL4J builds it once, from the first input, and then
 *       silently returns the wrong number of steps or crashes), so one graph per T is built and the last few are
 *       kept.</li>
 *   <li>State: it is a {@link RecurrentLayer}, so {@code rnnTimeStep} and truncated BPTT carry the state like
 *       DL4J's LSTM. The start state is written into the graph's initial-state variables before every pass.</li>
 *   <li>Gradients: DL4J 1.0.0-M2.1's SameDiff layer runtime returns twice the true gradient, for the parameters
 *       and for dL/dInput (shared notes dl4j-m2.1.md §4a); {@link #backpropGradient} halves both.
 *       {@code ScratchRecurrentGradientTest} proves the factor.</li>
 * </ul>
 */
public class ScratchRecurrentLayer extends SameDiffLayer implements RecurrentLayer {
    /**
     * Measured factor by which M2.1's SameDiff runtimes (layer and graph vertex) overstate every gradient they
     * return; public for the SameDiff vertices of other packages.
     */
    public static final double SAMEDIFF_GRADIENT_FACTOR = 2.0;
    private static final int GRAPHS_KEPT = 4;

    private final Map<Long, UnrolledGraph> graphs = new LinkedHashMap<>(GRAPHS_KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, UnrolledGraph> eldest) {
            return size() > GRAPHS_KEPT;
        }
    };
    private final Map<String, INDArray> stateMap = new HashMap<>();
    private final Map<String, INDArray> tBpttStateMap = new HashMap<>();
    /** The states the last forward pass started from; the backward pass must start from the same ones. */
    private INDArray[] initialState;

    /** The per-graph fields of DL4J's SameDiff runtime, saved so that a graph can be swapped back in. */
    private record UnrolledGraph(SameDiff sameDiff, SDVariable outputVar, ExternalErrorsFunction fn,
                                 String outputKey) {
    }

    public ScratchRecurrentLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private ScratchRecurrent config() {
        return (ScratchRecurrent) layerConf();
    }

    private List<String> stateNames() {
        return config().equations().stateNames();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(null, training, workspaceMgr, null);
    }

    /**
     * Runs the graph for the input's length from the states in {@code startFrom} (zeros where absent) and, if
     * {@code storeEndIn} is given, stores the final states there.
     */
    private INDArray forward(Map<String, INDArray> startFrom, boolean training, LayerWorkspaceMgr workspaceMgr,
                             Map<String, INDArray> storeEndIn) {
        assertInputSet(false);
        long steps = input.size(2);
        initialState = RecurrentStates.initial(startFrom, stateNames(), input.size(0), config().getNOut(),
                dataType);
        useGraphFor(steps);
        INDArray outputAndStates = super.activate(training, workspaceMgr);
        int states = initialState.length;
        if (storeEndIn != null) {
            INDArray[] finalStates = new INDArray[states];
            for (int i = 0; i < states; i++) {
                finalStates[i] = outputAndStates.get(all(), all(), point(steps - 1 + i));
            }
            RecurrentStates.store(storeEndIn, stateNames(), finalStates);
        }
        return states == 1 ? outputAndStates
                : workspaceMgr.dup(ArrayType.ACTIVATIONS, outputAndStates.get(all(), all(), interval(0, steps)));
    }

    /** Swaps in the graph for this length with the current start states, or leaves it to {@link #doInit()}. */
    private void useGraphFor(long steps) {
        UnrolledGraph graph = graphs.get(steps);
        if (graph == null) {
            sameDiff = null;
            return;
        }
        sameDiff = graph.sameDiff();
        outputVar = graph.outputVar();
        fn = graph.fn();
        outputKey = graph.outputKey();
        bindInitialState();
    }

    /** Called by DL4J's runtime when {@code sameDiff} is null: builds the graph for the current input's length. */
    @Override
    protected void doInit() {
        super.doInit();
        graphs.put(input.size(2), new UnrolledGraph(sameDiff, outputVar, fn, outputKey));
        bindInitialState();
    }

    private void bindInitialState() {
        List<String> names = stateNames();
        for (int i = 0; i < names.size(); i++) {
            sameDiff.getVariable(ScratchRecurrent.initialStateVariable(names.get(i))).setArray(initialState[i]);
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Preconditions.checkState(initialState != null, "backpropGradient called before a forward pass");
        useGraphFor(input.size(2));
        INDArray paddedEpsilon = withStateColumns(epsilon);
        Pair<Gradient, INDArray> gradients = sameDiff.hasGradientFunction()
                ? super.backpropGradient(paddedEpsilon, workspaceMgr)
                : QuietStdout.call(() -> super.backpropGradient(paddedEpsilon, workspaceMgr));
        for (INDArray paramGradient : gradients.getFirst().gradientForVariable().values()) {
            paramGradient.divi(SAMEDIFF_GRADIENT_FACTOR);
        }
        gradients.getSecond().divi(SAMEDIFF_GRADIENT_FACTOR);
        return gradients;
    }

    /** The graph's output also holds the final extra states (LSTM: c); nothing downstream depends on them. */
    private INDArray withStateColumns(INDArray epsilon) {
        int extraStates = initialState.length - 1;
        if (extraStates == 0) {
            return epsilon;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            long steps = epsilon.size(2);
            INDArray padded = Nd4j.zeros(epsilon.dataType(), epsilon.size(0), epsilon.size(1), steps + extraStates);
            padded.get(all(), all(), interval(0, steps)).assign(epsilon);
            return padded;
        }
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return forward(stateMap, false, workspaceMgr, stateMap);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return forward(tBpttStateMap, training, workspaceMgr, storeLastForTBPTT ? tBpttStateMap : null);
    }

    /**
     * Backpropagates through the whole segment: an unrolled graph cannot stop the gradient part-way, so a
     * {@code tBPTTBackwardLength} shorter than the forward length is treated as equal to it.
     */
    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        return backpropGradient(epsilon, workspaceMgr);
    }

    @Override
    public Map<String, INDArray> rnnGetPreviousState() {
        return new HashMap<>(stateMap);
    }

    @Override
    public void rnnSetPreviousState(Map<String, INDArray> state) {
        stateMap.clear();
        stateMap.putAll(state);
    }

    @Override
    public void rnnClearPreviousState() {
        stateMap.clear();
        tBpttStateMap.clear();
    }

    @Override
    public Map<String, INDArray> rnnGetTBPTTState() {
        return new HashMap<>(tBpttStateMap);
    }

    @Override
    public void rnnSetTBPTTState(Map<String, INDArray> state) {
        tBpttStateMap.clear();
        tBpttStateMap.putAll(state);
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }
}
