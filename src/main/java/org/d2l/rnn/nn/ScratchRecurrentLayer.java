package org.d2l.rnn.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.base.Preconditions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime layer of {@link ScratchRecurrent}: the graph is SameDiff's (DL4J's SameDiff layer runtime builds it from
 * {@link ScratchRecurrent#defineLayer}, SameDiff's autodiff adds the backward ops), but it is executed by a
 * {@link SameDiffPlan} instead of SameDiff's session, for four reasons.
 * <ul>
 *   <li>Speed: SameDiff's session spent more time on per-op bookkeeping than on arithmetic, and DL4J's runtime
 *       recomputed the forward graph inside {@code calculateGradients}. A plan runs each op once per pass with
 *       arrays allocated once, and the backward pass reuses the forward pass's arrays.</li>
 *   <li>Sequence length: the unrolled graph bakes T in (DL4J builds it once, from the first input, and then
 *       silently returns the wrong number of steps or crashes), so one graph per T is built, one plan per T and
 *       batch size, and the last few are kept.</li>
 *   <li>State: it is a {@link RecurrentLayer}, so {@code rnnTimeStep} and truncated BPTT carry the state like
 *       DL4J's LSTM. The start state is copied into the graph's initial-state placeholders before every pass.</li>
 *   <li>Gradients: in M2.1 the gradient graph SameDiff builds for a DL4J SameDiff layer adds the layer's external
 *       gradient to itself ({@code add(out-grad, out-grad)}, the first backward op), so every gradient it returns,
 *       for the parameters and for dL/dInput, is twice the true one (shared notes dl4j-m2.1.md §4a). The plan
 *       runs that graph unchanged, so the layer feeds it epsilon / {@link #SAMEDIFF_GRADIENT_FACTOR}.
 *       {@code ScratchRecurrentGradientTest} proves the factor and the correction.</li>
 * </ul>
 */
public class ScratchRecurrentLayer extends SameDiffLayer implements RecurrentLayer, ReleasableBuffers,
        TbpttStateCarrier {
    /**
     * Factor by which the gradient graph of M2.1's SameDiff layers and vertices overstates every gradient (it
     * adds the external gradient to itself); public for the SameDiff vertices of other packages.
     */
    public static final double SAMEDIFF_GRADIENT_FACTOR = 2.0;
    private static final int KEPT = 4;
    /** Which code runs the plans' ops; tests switch to libnd4j's to compare ({@code PlanKernelsTest}). */
    static volatile SameDiffPlan.Kernels kernels = SameDiffPlan.Kernels.OWN;

    /** SameDiff graph (with its gradient function) per sequence length. */
    private final Map<Long, SameDiff> graphs = new RecentPlans<>(KEPT);
    /** Execution plan per sequence length and batch size ("T x B"). */
    private final Map<String, Unrolled> plans = new RecentPlans<>(KEPT);
    private final Map<String, INDArray> stateMap = new HashMap<>();
    private final Map<String, INDArray> tBpttStateMap = new HashMap<>();
    /** The end states of truncated BPTT, stored without a new array per minibatch. */
    private final RecurrentStates.TbpttStore tbpttStore = new RecurrentStates.TbpttStore();
    /** Host access for {@link #scaledRowCopy}. */
    private final HostBuffers host = new HostBuffers();
    /** {@link #scaledRowCopy}'s Java copies of epsilon and the placeholder, kept between passes. */
    private final float[][] stages = {new float[0], new float[0]};
    /** The plan whose arrays hold the last training forward pass, and that pass's input. */
    private Unrolled forwardPlan;
    private INDArray forwardInput;

    /**
     * A plan with the names of what it computes: the output (h of every step, then the final extra states), the
     * placeholder for dL/dOutput, dL/dInput, and the gradient variable of each parameter.
     */
    private record Unrolled(SameDiffPlan plan, String output, String outputGradient, String inputGradient,
                            Map<String, String> paramGradients) implements AutoCloseable {
        @Override
        public void close() {
            plan.close();
        }
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
        List<String> names = stateNames();
        INDArray[] start = RecurrentStates.stored(startFrom, names, input.size(0));
        Unrolled unrolled = planFor(steps, input.size(0));
        SameDiffPlan plan = unrolled.plan();
        plan.set(INPUT_KEY, input);
        for (int i = 0; i < start.length; i++) {
            String placeholder = ScratchRecurrent.initialStateVariable(names.get(i));
            if (start[i] == null) {
                plan.get(placeholder).assign(0);
            } else {
                plan.set(placeholder, start[i]);
            }
        }
        plan.forward();
        forwardPlan = training ? unrolled : null;
        forwardInput = training ? input : null;
        INDArray outputAndStates = plan.get(unrolled.output());
        if (storeEndIn != null) {
            INDArray[] finalStates = new INDArray[start.length];
            for (int i = 0; i < start.length; i++) {
                finalStates[i] = outputAndStates.get(all(), all(), point(steps - 1 + i));
            }
            if (storeEndIn == tBpttStateMap) {
                tbpttStore.store(storeEndIn, names, finalStates);
            } else {
                RecurrentStates.store(storeEndIn, names, finalStates);
            }
        }
        INDArray output = start.length == 1 ? outputAndStates : outputAndStates.get(all(), all(), interval(0, steps));
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, output);
    }

    /** The plan for this length and batch size, building the graph and plan on first use. */
    private Unrolled planFor(long steps, long batch) {
        String key = steps + "x" + batch;
        Unrolled plan = plans.get(key);
        if (plan == null) {
            // outside DL4J's workspaces: the graph's arrays (ops' scalars included) and the plan's outlive the call
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                plan = newPlan(steps, batch);
            }
            plans.put(key, plan);
        }
        return plan;
    }

    private Unrolled newPlan(long steps, long batch) {
        SameDiff graph = graphs.get(steps);
        if (graph == null) {
            sameDiff = null;
            QuietStdout.call(() -> { // createGradFunction prints a line per op it differentiates
                doInit();
                sameDiff.createGradFunction(INPUT_KEY);
                return null;
            });
            graph = sameDiff;
            graphs.put(steps, graph);
        }
        sameDiff = graph;
        String gradientPlaceholder = fn.getGradPlaceholderName();
        Map<String, INDArray> placeholders = new LinkedHashMap<>();
        placeholders.put(INPUT_KEY, input);
        INDArray state = Nd4j.zeros(dataType, batch, config().getNOut());
        for (String name : stateNames()) {
            placeholders.put(ScratchRecurrent.initialStateVariable(name), state);
        }
        long columns = steps + stateNames().size() - 1;
        placeholders.put(gradientPlaceholder, Nd4j.zeros(dataType, batch, config().getNOut(), columns));
        String inputGradient = graph.getVariable(INPUT_KEY).getGradient().name();
        Map<String, String> paramGradients = new LinkedHashMap<>();
        for (String param : paramTable().keySet()) {
            paramGradients.put(param, graph.getVariable(param).getGradient().name());
        }
        List<String> gradients = new ArrayList<>(paramGradients.values());
        if (config().isInputGradient()) {
            gradients.add(inputGradient);
        }
        SameDiffPlan plan = new SameDiffPlan(graph.getFunction("grad"), paramTable(), placeholders,
                List.of(outputKey), gradients, kernels);
        NativeArrays.free(state);
        if (Boolean.getBoolean("d2l.plan.debug")) {
            System.err.println(plan.summary());
            System.err.println(plan.listing());
        }
        return new Unrolled(plan, outputKey, gradientPlaceholder, inputGradient, paramGradients);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Preconditions.checkState(forwardPlan != null && forwardInput == input,
                "backpropGradient needs a training forward pass on the same input first");
        SameDiffPlan plan = forwardPlan.plan();
        INDArray placeholder = plan.get(forwardPlan.outputGradient());
        long steps = epsilon.size(2);
        double scale = 1 / SAMEDIFF_GRADIENT_FACTOR;
        if (!scaledRowCopy(epsilon, placeholder, scale, host, stages)) { // off the CPU or not float: through ND4J
            if (placeholder.size(2) == steps) {
                epsilon.mul(scale, placeholder);
            } else {
                // the graph's output also holds the final extra states (LSTM: c); nothing downstream depends on them
                placeholder.get(all(), all(), interval(0, steps)).assign(epsilon).muli(scale);
                placeholder.get(all(), all(), interval(steps, placeholder.size(2))).assign(0);
            }
        }
        plan.backward();
        Gradient gradient = new DefaultGradient();
        for (Map.Entry<String, INDArray> param : gradTable.entrySet()) {
            INDArray target = param.getValue();
            target.assign(plan.get(forwardPlan.paramGradients().get(param.getKey())));
            gradient.gradientForVariable().put(param.getKey(), target);
        }
        if (!config().isInputGradient()) {
            return new Pair<>(gradient, null);
        }
        INDArray inputGradient = plan.get(forwardPlan.inputGradient());
        return new Pair<>(gradient, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, inputGradient));
    }

    /**
     * placeholder[:, :, :T] = scale · epsilon and the extra state columns zero, for float host arrays, epsilon in any
     * layout; false (nothing written) otherwise. DL4J hands epsilon over time-major ([B, H, T] with strides [H, 1,
     * B·H] from the fused output layer), the placeholder is 'c' [B, H, T(+extra)]: a transpose per sample. Why: ND4J's
     * scalar multiply between the two layouts took 2.8-3.3 ms for the GRU-256's [32, 256, 35] (element-wise stride 0,
     * its generic path) and reading the ByteBuffers element by element 1.1 ms; this takes ~0.8 ms, and the GRU-256's
     * training step 48.5 ms against 50.7 through ND4J (one JVM, alternating, PROFILE.md round 14). Here epsilon's
     * span is read in one bulk copy, transposed between Java arrays (t, then h, per sample: DL4J's time-major epsilon
     * is then read contiguously, and one sample's placeholder block, 35 KB here, stays in L1), and written back in one bulk copy.
     * The product of two floats is the one ND4J's float op computes. {@code stages} holds the two Java arrays, grown
     * here as needed and kept by the caller.
     */
    static boolean scaledRowCopy(INDArray epsilon, INDArray placeholder, double scale, HostBuffers host,
                                 float[][] stages) {
        if (!HostBuffers.CPU || epsilon.dataType() != DataType.FLOAT || placeholder.dataType() != DataType.FLOAT
                || epsilon.rank() != 3 || placeholder.ordering() != 'c' || placeholder.elementWiseStride() != 1
                || epsilon.size(0) != placeholder.size(0) || epsilon.size(1) != placeholder.size(1)
                || epsilon.size(2) > placeholder.size(2) || epsilon.length() == 0) {
            return false;
        }
        int batch = Math.toIntExact(epsilon.size(0));
        int hidden = Math.toIntExact(epsilon.size(1));
        int steps = Math.toIntExact(epsilon.size(2));
        int columns = Math.toIntExact(placeholder.size(2));
        long[] strides = epsilon.stride();
        long span = 1;
        for (int d = 0; d < 3; d++) {
            if (strides[d] < 0) {
                return false;
            }
            span += (epsilon.size(d) - 1) * strides[d];
        }
        int s0 = Math.toIntExact(strides[0]);
        int s1 = Math.toIntExact(strides[1]);
        int s2 = Math.toIntExact(strides[2]);
        int total = Math.toIntExact(placeholder.length());
        if (stages[0].length < span) {
            stages[0] = new float[Math.toIntExact(span)];
        }
        if (stages[1].length < total) {
            stages[1] = new float[total];
        }
        float[] from = stages[0];
        float[] to = stages[1];
        host.bytes(epsilon).asFloatBuffer().get(Math.toIntExact(epsilon.offset()), from, 0, (int) span);
        float factor = (float) scale;
        int block = hidden * columns;
        for (int b = 0; b < batch; b++) {
            int out = b * block;
            for (int t = 0; t < steps; t++) {
                int in = b * s0 + t * s2;
                for (int h = 0; h < hidden; h++) {
                    to[out + h * columns + t] = factor * from[in + h * s1];
                }
            }
            for (int h = 0; h < hidden; h++) {
                java.util.Arrays.fill(to, out + h * columns + steps, out + (h + 1) * columns, 0f);
            }
        }
        host.bytes(placeholder).asFloatBuffer().put(Math.toIntExact(placeholder.offset()), to, 0, total);
        return true;
    }

    /** Ops of this layer's plans run by {@link PlanKernels}, and all their ops: (own, total). */
    int[] kernelUse() {
        int own = 0;
        int total = 0;
        for (Unrolled unrolled : plans.values()) {
            own += unrolled.plan().ownKernelCount();
            total += unrolled.plan().opCount();
        }
        return new int[]{own, total};
    }

    /** Plans and graphs held now: each at most {@code KEPT} whatever shapes have run ({@code ScratchPlansBoundTest}). */
    int[] cached() {
        return new int[]{plans.size(), graphs.size()};
    }

    /** Frees every plan's arrays and drops the graphs; the next pass builds a new graph and plan. */
    @Override
    public void releaseBuffers() {
        for (Unrolled plan : plans.values()) {
            plan.close();
        }
        plans.clear();
        graphs.clear();
        sameDiff = null;
        forwardPlan = null;
        forwardInput = null;
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

    /** Copies: the stored arrays are reused by later minibatches ({@link TbpttStateCarrier}). */
    @Override
    public Map<String, INDArray> rnnGetTBPTTState() {
        return RecurrentStates.copies(tBpttStateMap);
    }

    @Override
    public void previousStateFromTbptt() {
        rnnSetPreviousState(tBpttStateMap);
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
