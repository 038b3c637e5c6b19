package org.d2l.rnn.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.impl.layers.ExternalErrorsFunction;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SameDiff's gradient graph of one fixed input shape, executed as a fixed list of libnd4j ops.
 *
 * <p>Why: SameDiff's own session re-derives everything per op and per call (dependency tracking, output shape
 * calculation, array allocation through a memory manager, reference counting to close arrays) and DL4J's
 * SameDiff layer runtime runs the forward graph a second time inside {@code calculateGradients}. For an unrolled
 * RNN that bookkeeping, not arithmetic, dominated the iteration. Here the ops are those SameDiff's autodiff
 * created ({@link SameDiff#createGradFunction}); only their execution differs: they run in one topological order
 * fixed at construction, each with an {@link OpContext} whose input and output arrays are allocated on the first
 * run (output shapes from libnd4j, with the variable's data type, as SameDiff's session does) and reused after.
 * The forward ops run once per training iteration: {@link #backward()} reuses what {@link #forward()} left in the
 * arrays.
 *
 * <p>Inputs are bound once: parameters by reference (updated in place by DL4J), placeholders as arrays of this
 * plan that {@link #set} copies into. Valid for the shapes of the first run only; build one plan per shape.
 * Graphs with control flow or value-dependent shapes are not supported (the unrolled cells have neither).
 */
public final class SameDiffPlan implements AutoCloseable {
    private final Map<String, INDArray> arrays = new HashMap<>();
    private final List<Step> forward;
    private final List<Step> backward;
    private final List<OpContext> contexts = new ArrayList<>();
    private final List<INDArray> owned = new ArrayList<>();
    /** The variables bound by reference (parameters): their slices become views (see sliceView). */
    private final Set<String> parameters;
    /** Our own kernels for the ops that dominate ({@link PlanKernels}); null: libnd4j runs every op. */
    private final PlanKernels kernels;
    /** Variables that a matmul_bp adds into in place (see fuseAccumulations): never views of another. */
    private final Set<String> accumulators = new HashSet<>();

    /** Which code runs the ops. */
    public enum Kernels {
        /** {@link PlanKernels} where it covers the op, libnd4j elsewhere (the default). */
        OWN,
        /** libnd4j for every op: the reference the own kernels are tested against. */
        LIBND4J
    }

    /**
     * @param graph        the gradient function ({@code sameDiff.getFunction("grad")})
     * @param variables    arrays bound by reference, by variable name (the parameters)
     * @param placeholders placeholder names with an example array of the shape every run will have
     * @param outputs      the forward results wanted from {@link #forward()}
     * @param gradients    the gradient variables wanted from {@link #backward()}
     */
    public SameDiffPlan(SameDiff graph, Map<String, INDArray> variables, Map<String, INDArray> placeholders,
                        Collection<String> outputs, Collection<String> gradients) {
        this(graph, variables, placeholders, outputs, gradients, Kernels.OWN);
    }

    /** As above, with the choice of kernels. */
    public SameDiffPlan(SameDiff graph, Map<String, INDArray> variables, Map<String, INDArray> placeholders,
                        Collection<String> outputs, Collection<String> gradients, Kernels which) {
        kernels = which == Kernels.OWN ? new PlanKernels() : null;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (Map.Entry<String, INDArray> e : placeholders.entrySet()) {
                INDArray own = Nd4j.create(e.getValue().dataType(), e.getValue().shape());
                owned.add(own);
                arrays.put(e.getKey(), own);
            }
        }
        arrays.putAll(variables);
        parameters = Set.copyOf(variables.keySet());
        for (SDVariable v : graph.variables()) {
            VariableType type = v.getVariableType();
            if (!arrays.containsKey(v.name()) && (type == VariableType.CONSTANT || type == VariableType.VARIABLE)
                    && v.getArr() != null) {
                arrays.put(v.name(), v.getArr());
            }
        }
        List<SameDiffOp> order = topologicalOrder(graph);
        Set<String> forwardOps = ancestors(graph, order, outputs);
        Set<String> all = ancestors(graph, order, union(outputs, gradients));
        forward = new ArrayList<>();
        backward = new ArrayList<>();
        for (SameDiffOp op : order) {
            if (forwardOps.contains(op.getName())) {
                forward.add(new Step(graph, op));
            } else if (all.contains(op.getName())) {
                backward.add(new Step(graph, op));
            }
        }
        List<Step> steps = new ArrayList<>(forward);
        steps.addAll(backward);
        Set<String> requested = union(outputs, gradients);
        Map<String, List<Step>> consumers = new HashMap<>();
        Map<String, Step> producers = new HashMap<>();
        for (Step step : steps) {
            for (String in : step.in) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(step);
            }
            for (String out : step.out) {
                producers.put(out, step);
            }
        }
        for (Step step : steps) {
            step.needed = new boolean[step.out.length];
            for (int i = 0; i < step.out.length; i++) {
                step.needed[i] = requested.contains(step.out[i]) || consumers.containsKey(step.out[i]);
            }
        }
        if (kernels != null) {
            Map<Step, Integer> position = new HashMap<>();
            for (int i = 0; i < steps.size(); i++) {
                position.put(steps.get(i), i);
            }
            fuseAccumulations(steps, requested, consumers, producers, position);
            fuseSliceSums(steps, requested, consumers, producers, position);
            findForwardOutputs(consumers);
        }
    }

    /**
     * tanh_bp and sigmoid_bp take the forward op's input and evaluate the function again (an exp per element);
     * where the plan holds the forward op's output y, the derivative is eps (1 − y²) or eps y (1 − y) without it.
     */
    private void findForwardOutputs(Map<String, List<Step>> consumers) {
        Set<Step> forwardSteps = new HashSet<>(forward);
        for (Step step : backward) {
            String forwardOp = switch (step.op.opName()) {
                case "tanh_bp" -> "tanh";
                case "sigmoid_bp" -> "sigmoid";
                default -> null;
            };
            if (forwardOp == null || step.in.length != 2) {
                continue;
            }
            for (Step activation : consumers.getOrDefault(step.in[0], List.of())) {
                if (activation.op.opName().equals(forwardOp) && activation.in.length == 1
                        && activation.out.length == 1 && forwardSteps.contains(activation)) {
                    step.forwardOutput = activation.out[0];
                    break;
                }
            }
        }
    }

    /**
     * A variable sliced into blocks (an LSTM step's pre-activation into its gates) gets its gradient as one
     * strided_slice_bp per block, each a full-size array of zeros around its block, summed by a chain of adds:
     * g' = add(g, slice_bp(x, eps)). Where g is read by nothing else, the slice_bp adds eps into g's own array
     * inside its block and the add becomes an alias of g: the same sum without the zero-filled temporary and the
     * full-size add (per LSTM step three of each). Taken at the first run only where g's array is the plan's
     * own (not a view of another variable) and the own kernel binds; otherwise both ops run as they are.
     */
    private void fuseSliceSums(List<Step> steps, Set<String> requested, Map<String, List<Step>> consumers,
                               Map<String, Step> producers, Map<Step, Integer> position) {
        for (Step add : steps) {
            if (!add.op.opName().equals("add") || add.in.length != 2 || add.in[0].equals(add.in[1])
                    || add.accumulatedBy != null) {
                continue;
            }
            for (int k = 0; k < 2; k++) {
                String term = add.in[k];
                String sum = add.in[1 - k];
                Step slice = producers.get(term);
                Step sumProducer = producers.get(sum);
                if (slice == null || sumProducer == null || !slice.op.opName().equals("strided_slice_bp")
                        || slice.in.length != 2 || slice.sumTarget != null
                        || consumers.get(term).size() != 1 || consumers.get(sum).size() != 1
                        || requested.contains(term) || requested.contains(sum) || accumulators.contains(sum)
                        || position.get(sumProducer) > position.get(slice)) {
                    continue;
                }
                slice.sumTarget = sum;
                slice.sumTargetProducer = sumProducer;
                add.sumFrom = slice;
                break;
            }
        }
    }

    /**
     * A parameter used at every time step gets one gradient term per step, and SameDiff sums them with a chain
     * of adds: acc' = add(acc, dW_t), dW_t the second output of matmul_bp (x^T eps, [H, H] for W_hh). Where
     * neither acc nor dW_t is read by anything else, the matmul_bp writes x^T eps + acc straight into acc's
     * array (sgemm with beta 1) and the add becomes an alias of it: the same sum without a [H, H] temporary and
     * an add per step. Taken at the first run only if both ops run as own kernels.
     */
    private void fuseAccumulations(List<Step> steps, Set<String> requested, Map<String, List<Step>> consumers,
                                   Map<String, Step> producers, Map<Step, Integer> position) {
        for (Step add : steps) {
            if (!add.op.opName().equals("add") || add.in.length != 2 || add.in[0].equals(add.in[1])) {
                continue;
            }
            for (int k = 0; k < 2; k++) {
                String acc = add.in[k];
                String term = add.in[1 - k];
                Step gemm = producers.get(term);
                Step accumulator = producers.get(acc);
                if (gemm == null || accumulator == null || !gemm.op.opName().equals("matmul_bp")
                        || !term.equals(gemm.out[1]) || gemm.accumulateInto != null
                        || consumers.get(term).size() != 1 || consumers.get(acc).size() != 1
                        || requested.contains(term) || requested.contains(acc)
                        || (accumulator.alias && accumulator.accumulatedBy == null)
                        || position.get(accumulator) > position.get(gemm)) {
                    continue;
                }
                gemm.accumulateInto = acc;
                add.accumulatedBy = gemm;
                accumulators.add(acc);
                break;
            }
        }
    }

    /** Copies {@code value} into the placeholder {@code name}. */
    public void set(String name, INDArray value) {
        INDArray target = arrays.get(name);
        Preconditions.checkState(target != null, "no placeholder %s", name);
        target.assign(value);
    }

    /** The array of a variable after the last run (owned by the plan: overwritten by the next run). */
    public INDArray get(String name) {
        INDArray array = arrays.get(name);
        Preconditions.checkState(array != null, "variable %s has not been computed", name);
        return array;
    }

    public void forward() {
        if (kernels != null) {
            kernels.newPass(); // the parameters may have changed since the last pass
        }
        run(forward);
    }

    /** Runs the gradient ops; valid after {@link #forward()} with the same inputs. */
    public void backward() {
        run(backward);
    }

    /**
     * Number of ops that libnd4j does not run: run by {@link PlanKernels}, or replaced by a view or by an in-place
     * sum (known after the first forward and backward run).
     */
    public int ownKernelCount() {
        int count = 0;
        for (List<Step> steps : List.of(forward, backward)) {
            for (Step step : steps) {
                count += step.kernel != null || step.accumulating || step.alias ? 1 : 0;
            }
        }
        return count;
    }

    /** Number of libnd4j ops a forward plus backward pass runs. */
    public int opCount() {
        return forward.size() + backward.size();
    }

    /** Ops per libnd4j op name, forward and backward, e.g. {@code forward {mmul=35, ...} backward {...}}. */
    public String summary() {
        return "forward " + counts(forward) + " backward " + counts(backward);
    }

    private static Map<String, Integer> counts(List<Step> steps) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (Step step : steps) {
            counts.merge(step.op.opName(), 1, Integer::sum);
        }
        return counts;
    }

    /** Every op with its inputs and outputs, in execution order (for debugging). */
    public String listing() {
        StringBuilder sb = new StringBuilder();
        for (Step step : forward) {
            sb.append("F ").append(step).append('\n');
        }
        for (Step step : backward) {
            sb.append("B ").append(step).append('\n');
        }
        return sb.toString();
    }

    private void run(List<Step> steps) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (PROFILE != null) {
                for (Step step : steps) {
                    long start = System.nanoTime();
                    step.run();
                    if (++step.runs <= PROFILE_WARMUP) {
                        continue;
                    }
                    long[] entry = PROFILE.computeIfAbsent(step.profileName(), k -> new long[2]);
                    entry[0]++;
                    entry[1] += System.nanoTime() - start;
                }
                return;
            }
            for (Step step : steps) {
                step.run();
            }
        }
    }

    /** Runs of each op left out of the profile: the JIT compiles the own kernels' vector code meanwhile. */
    private static final int PROFILE_WARMUP = 50;

    /**
     * With -Dd2l.plan.profile=true: calls and nanoseconds per op name after each op's first
     * {@value #PROFILE_WARMUP} runs, printed to stderr when the JVM exits.
     */
    private static final Map<String, long[]> PROFILE = Boolean.getBoolean("d2l.plan.profile") ? profile() : null;

    private static Map<String, long[]> profile() {
        Map<String, long[]> profile = new java.util.concurrent.ConcurrentHashMap<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long total = profile.values().stream().mapToLong(v -> v[1]).sum();
            profile.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                    .forEach(e -> System.err.printf("plan op %-22s %9d calls %9.1f ms %6.1f us/call %5.1f%%%n",
                            e.getKey(), e.getValue()[0], e.getValue()[1] / 1e6,
                            e.getValue()[1] / 1e3 / e.getValue()[0], 100.0 * e.getValue()[1] / total));
        }));
        return profile;
    }

    /** Frees the arrays and op contexts the plan allocated (not the bound variables). */
    @Override
    public void close() {
        for (OpContext context : contexts) {
            try {
                context.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        contexts.clear();
        for (INDArray array : owned) {
            NativeArrays.free(array);
        }
        owned.clear();
        arrays.clear();
    }

    private static Set<String> union(Collection<String> a, Collection<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    /** Kahn's algorithm over variable dependencies; ties keep SameDiff's insertion order. */
    private List<SameDiffOp> topologicalOrder(SameDiff graph) {
        Map<String, SameDiffOp> ops = graph.getOps();
        Map<String, Integer> missing = new LinkedHashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        Deque<String> ready = new ArrayDeque<>();
        for (SameDiffOp op : ops.values()) {
            int count = 0;
            for (String in : inputs(op)) {
                if (graph.getVariableOutputOp(in) != null) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(op.getName());
                    count++;
                }
            }
            missing.put(op.getName(), count);
            if (count == 0) {
                ready.add(op.getName());
            }
        }
        List<SameDiffOp> order = new ArrayList<>(ops.size());
        while (!ready.isEmpty()) {
            SameDiffOp op = ops.get(ready.poll());
            order.add(op);
            for (String out : outputs(op)) {
                for (String consumer : consumers.getOrDefault(out, List.of())) {
                    if (missing.merge(consumer, -1, Integer::sum) == 0) {
                        ready.add(consumer);
                    }
                }
            }
        }
        Preconditions.checkState(order.size() == ops.size(), "SameDiff graph has a cycle or control flow");
        return order;
    }

    /** Names of the ops needed to compute {@code targets}. */
    private Set<String> ancestors(SameDiff graph, List<SameDiffOp> order, Collection<String> targets) {
        Set<String> neededVars = new HashSet<>(targets);
        Set<String> neededOps = new HashSet<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            SameDiffOp op = order.get(i);
            boolean needed = false;
            for (String out : outputs(op)) {
                needed |= neededVars.contains(out);
            }
            if (needed && !(op.getOp() instanceof ExternalErrorsFunction)) {
                neededOps.add(op.getName());
                neededVars.addAll(inputs(op));
            }
        }
        return neededOps;
    }

    private static List<String> inputs(SameDiffOp op) {
        return op.getInputsToOp() == null ? List.of() : op.getInputsToOp();
    }

    private static List<String> outputs(SameDiffOp op) {
        return op.getOutputsOfOp() == null ? List.of() : op.getOutputsOfOp();
    }

    /**
     * The result of a plain strided_slice (unit strides, no ellipsis, new or shrunk axes) of {@code input} as a
     * view of it, checked once against libnd4j's op; null where the slice is of another kind or differs.
     *
     * <p>Why: the cells slice the gate blocks out of W_x, W_h and b ({@code RecurrentCell.columns}), and libnd4j
     * copies each slice on every pass: at a vocabulary of 1,027 that was a 2 MB copy per slice, 36% of the Jay
     * Chou GRU's plan time (generation runs the plan once per character). A view costs nothing, and a parameter
     * changes only between passes. Slices of activations stay copies: the own elementwise kernels take dense
     * arrays only, and those slices are small.
     */
    private static INDArray sliceView(DynamicCustomOp slice, INDArray input) {
        long[][] range = PlanKernels.plainSlice(slice.iArgs(), input.shape());
        if (range == null || input.ordering() != 'c') {
            return null;
        }
        org.nd4j.linalg.indexing.INDArrayIndex[] index = new org.nd4j.linalg.indexing.INDArrayIndex[range.length];
        for (int d = 0; d < range.length; d++) {
            index[d] = org.nd4j.linalg.indexing.NDArrayIndex.interval(range[d][0], range[d][1]);
        }
        INDArray view = input.get(index);
        if (rootAddress(view) != rootAddress(input)) {
            return null; // a copy: it would not follow the input's later values
        }
        OpContext oc = Nd4j.getExecutioner().buildContext();
        INDArray reference = null;
        try {
            oc.setArgs(new INDArray[]{input}, slice.iArgs(), slice.dArgs(), slice.tArgs(), slice.bArgs());
            reference = Nd4j.create(slice.calculateOutputShape(oc).get(0), false);
            oc.setOutputArray(0, reference);
            Nd4j.exec(slice, oc);
            return view.equalShapes(reference) && view.equals(reference) ? view : null;
        } finally {
            NativeArrays.free(reference);
            try {
                oc.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * unstack along the first axis of a c-order array as views of its blocks, which are contiguous: the cells'
     * input projection [T, batch, width] split into its T steps. libnd4j copied them (~1 ms per pass at
     * rnn-scratch-512); the views are read only after the projection was computed, as the plan writes every
     * variable once per pass. Null for any other unstack.
     */
    private static INDArray[] unstackViews(DynamicCustomOp unstack, INDArray input, int outputs) {
        long[] a = unstack.iArgs();
        if (a.length < 1 || (a[0] != 0 && a[0] != -input.rank()) || input.rank() < 2 || input.ordering() != 'c'
                || input.elementWiseStride() != 1 || input.size(0) != outputs) {
            return null;
        }
        INDArray[] views = new INDArray[outputs];
        for (int i = 0; i < outputs; i++) {
            views[i] = input.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i));
            if (rootAddress(views[i]) != rootAddress(input)) {
                return null;
            }
        }
        return views;
    }

    /** A c-order reshape of a contiguous c-order array as a view of it; null where that would need a copy. */
    private static INDArray reshapeView(INDArray input, LongShapeDescriptor shape, DataType type) {
        if (shape.isEmpty() || input.ordering() != 'c' || input.elementWiseStride() != 1 || input.dataType() != type
                || shape.getOrder() != 'c' || input.length() != java.util.Arrays.stream(shape.getShape())
                .reduce(1, (a, b) -> a * b)) {
            return null;
        }
        INDArray view = input.reshape('c', shape.getShape());
        return rootAddress(view) == rootAddress(input) && view.offset() == input.offset()
                && view.elementWiseStride() == 1 ? view : null;
    }

    private static long rootAddress(INDArray array) {
        org.nd4j.linalg.api.buffer.DataBuffer data = array.data();
        return (data.originalDataBuffer() != null ? data.originalDataBuffer() : data).address();
    }

    /** One op: parameterised and given output arrays on its first run. */
    private final class Step {
        private final SameDiff graph;
        private final DifferentialFunction op;
        private final String[] in;
        private final String[] out;
        private OpContext context;
        private PlanKernels.Kernel kernel;
        private boolean alias;
        private long runs;
        /** Per output: read by a later op or requested (an unneeded output need not be computed). */
        private boolean[] needed;
        /** matmul_bp only: the variable whose array its second output is added into (see fuseAccumulations). */
        private String accumulateInto;
        /** add only: the matmul_bp that already added this add's term into its accumulator. */
        private Step accumulatedBy;
        /** matmul_bp only: whether the accumulation was taken (both ran as own kernels). */
        private boolean accumulating;
        /** Prepared on the first run: arrays bound, kernel or op context chosen. */
        private boolean prepared;
        /** Its output arrays are its own (allocated by it, or taken over from a sum it continues): no view. */
        private boolean exclusive;
        /** strided_slice_bp only: the variable its block is added into (see fuseSliceSums), and its producer. */
        private String sumTarget;
        private Step sumTargetProducer;
        /** strided_slice_bp only: whether the sum was taken. */
        private boolean summing;
        /** add only: the strided_slice_bp that already added its term into the other input's array. */
        private Step sumFrom;
        /**
         * tanh_bp and sigmoid_bp only: the forward tanh or sigmoid of the same input, whose output gives the
         * derivative without evaluating the function again.
         */
        private String forwardOutput;

        Step(SameDiff graph, SameDiffOp sdo) {
            this.graph = graph;
            this.op = sdo.getOp();
            this.in = inputs(sdo).toArray(new String[0]);
            this.out = outputs(sdo).toArray(new String[0]);
            Preconditions.checkState(op instanceof CustomOp || op instanceof Op,
                    "op %s (%s) cannot run outside SameDiff's session", sdo.getName(), op.getClass().getSimpleName());
        }

        /** The op's name, with " (own)" where {@link PlanKernels} runs it. */
        String profileName() {
            return kernel != null ? op.opName() + " (own)" : op.opName();
        }

        @Override
        public String toString() {
            return op.opName() + " " + java.util.Arrays.toString(in) + " -> " + java.util.Arrays.toString(out);
        }

        void run() {
            if (alias) {
                return;
            }
            if (!prepared) {
                prepared = true;
                prepare();
                if (alias) {
                    return;
                }
            }
            if (kernel != null) {
                kernel.run();
            } else if (op instanceof CustomOp custom) {
                Nd4j.exec(custom, context);
            } else {
                if (op instanceof ScalarOp scalar && in.length == 2) {
                    scalar.setScalar(arrays.get(in[1]));
                }
                Nd4j.exec((Op) op, context);
            }
        }

        private void prepare() {
            if (accumulatedBy != null && accumulatedBy.accumulating) {
                String acc = accumulatedBy.accumulateInto;
                arrays.put(out[0], arrays.get(acc));
                alias = true;
                return;
            }
            if (sumFrom != null && sumFrom.summing) {
                arrays.put(out[0], arrays.get(sumFrom.sumTarget));
                alias = true;
                exclusive = true; // the sum's array, read by nothing but this add: the chain may go on in it
                return;
            }
            INDArray[] args = new INDArray[in.length];
            for (int i = 0; i < in.length; i++) {
                args[i] = arrays.get(in[i]);
                Preconditions.checkState(args[i] != null, "input %s of op %s has no array", in[i], op.getOwnName());
            }
            if (sumTarget != null && sumTargetProducer.exclusive) {
                INDArray target = arrays.get(sumTarget);
                if (target.dataType() == args[0].dataType() && target.equalShapes(args[0])
                        && op instanceof DynamicCustomOp slice) {
                    kernel = kernels.sliceBackwardInto(slice.iArgs(), args[1], target);
                    if (kernel != null) {
                        summing = true;
                        arrays.put(out[0], target);
                        return;
                    }
                }
            }
            if (kernels != null && op.opName().equals("add_bp") && args.length == 3 && out.length == 2
                    && args[0].equalShapes(args[2]) && args[1].equalShapes(args[2])
                    && graph.getVariable(out[0]).dataType() == args[2].dataType()
                    && graph.getVariable(out[1]).dataType() == args[2].dataType()
                    && !accumulators.contains(out[0]) && !accumulators.contains(out[1])) {
                // d(x + y) = (eps, eps) without broadcasting: both gradients are eps itself, read only
                arrays.put(out[0], args[2]);
                arrays.put(out[1], args[2]);
                alias = true;
                return;
            }
            if (op instanceof Identity) {
                arrays.put(out[0], args[0]);
                alias = true;
                return;
            }
            if (kernels != null && op instanceof DynamicCustomOp slice && op.opName().equals("strided_slice")
                    && args.length == 1 && parameters.contains(in[0])) {
                INDArray view = sliceView(slice, args[0]);
                if (view != null) {
                    arrays.put(out[0], view);
                    alias = true;
                    return;
                }
            }
            if (kernels != null && op instanceof DynamicCustomOp unstack && op.opName().equals("unstack")
                    && args.length == 1) {
                INDArray[] views = unstackViews(unstack, args[0], out.length);
                if (views != null) {
                    for (int i = 0; i < out.length; i++) {
                        arrays.put(out[i], views[i]);
                    }
                    alias = true;
                    return;
                }
            }
            OpContext oc = Nd4j.getExecutioner().buildContext();
            contexts.add(oc);
            List<LongShapeDescriptor> shapes;
            long[] iArgs = new long[0];
            double[] tArgs = new double[0];
            if (op instanceof DynamicCustomOp custom) {
                iArgs = custom.iArgs();
                tArgs = custom.tArgs();
                oc.setArgs(args, custom.iArgs(), custom.dArgs(), custom.tArgs(), custom.bArgs());
                shapes = custom.calculateOutputShape(oc);
            } else {
                Preconditions.checkState(!(op instanceof ScalarOp) || in.length <= 2, "unsupported scalar op %s",
                        op.getOwnName());
                Preconditions.checkState(op instanceof ScalarOp || in.length <= 2,
                        "legacy op %s with %s inputs", op.getOwnName(), in.length);
                oc.setInputArray(0, args[0]);
                if (args.length == 2 && !(op instanceof ScalarOp)) {
                    oc.setInputArray(1, args[1]);
                }
                shapes = op.calculateOutputShape(oc);
            }
            Preconditions.checkState(shapes != null && shapes.size() == out.length,
                    "op %s: %s output shapes for %s outputs", op.getOwnName(), shapes, out.length);
            if (kernels != null && op.opName().equals("reshape") && out.length == 1 && !accumulators.contains(out[0])) {
                INDArray view = reshapeView(args[0], shapes.get(0), graph.getVariable(out[0]).dataType());
                if (view != null) { // libnd4j copied the input projection ([T·B, G·H]) on every pass
                    arrays.put(out[0], view);
                    alias = true;
                    return;
                }
            }
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                for (int i = 0; i < out.length; i++) {
                    LongShapeDescriptor shape = shapes.get(i);
                    DataType type = graph.getVariable(out[i]).dataType();
                    if (type != shape.dataType()) {
                        shape = shape.asDataType(type); // as SameDiff's session: the variable's type wins
                    }
                    // fresh strides for the shape: libnd4j derives some output shapes from an input's, strides
                    // included, and an input may be a view (a slice of a parameter, see sliceView) whose strides
                    // would index past a new array of the output's size
                    INDArray array = shape.isEmpty() ? Nd4j.create(shape, true)
                            : Nd4j.create(type, shape.getShape(), shape.getOrder());
                    owned.add(array);
                    arrays.put(out[i], array);
                    oc.setOutputArray(i, array);
                }
            }
            context = oc;
            exclusive = true;
            if (kernels != null) {
                INDArray[] results = new INDArray[out.length];
                for (int i = 0; i < out.length; i++) {
                    results[i] = arrays.get(out[i]);
                }
                if (accumulateInto != null) {
                    kernel = kernels.bindMatmulBackwardInto(iArgs, tArgs, args, results, needed[0],
                            arrays.get(accumulateInto));
                    accumulating = kernel != null;
                    if (accumulating) { // its own dL/dy array is never written: give it back
                        INDArray unused = results[1];
                        owned.removeIf(a -> a == unused); // by identity: INDArray.equals compares contents
                        arrays.remove(out[1]);
                        NativeArrays.free(results[1]);
                    }
                }
                if (kernel == null && forwardOutput != null) {
                    kernel = kernels.activationBackwardFromOutput(op.opName(), args, arrays.get(forwardOutput),
                            results);
                }
                if (kernel == null) {
                    kernel = kernels.bind(op.opName(), iArgs, tArgs, args, results, needed);
                }
            }
        }
    }
}
