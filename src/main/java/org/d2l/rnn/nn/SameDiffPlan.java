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

    /**
     * @param graph        the gradient function ({@code sameDiff.getFunction("grad")})
     * @param variables    arrays bound by reference, by variable name (the parameters)
     * @param placeholders placeholder names with an example array of the shape every run will have
     * @param outputs      the forward results wanted from {@link #forward()}
     * @param gradients    the gradient variables wanted from {@link #backward()}
     */
    public SameDiffPlan(SameDiff graph, Map<String, INDArray> variables, Map<String, INDArray> placeholders,
                        Collection<String> outputs, Collection<String> gradients) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (Map.Entry<String, INDArray> e : placeholders.entrySet()) {
                INDArray own = Nd4j.create(e.getValue().dataType(), e.getValue().shape());
                owned.add(own);
                arrays.put(e.getKey(), own);
            }
        }
        arrays.putAll(variables);
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
        run(forward);
    }

    /** Runs the gradient ops; valid after {@link #forward()} with the same inputs. */
    public void backward() {
        run(backward);
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
            for (Step step : steps) {
                step.run();
            }
        }
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

    /** One op: parameterised and given output arrays on its first run. */
    private final class Step {
        private final SameDiff graph;
        private final DifferentialFunction op;
        private final String[] in;
        private final String[] out;
        private OpContext context;
        private boolean alias;

        Step(SameDiff graph, SameDiffOp sdo) {
            this.graph = graph;
            this.op = sdo.getOp();
            this.in = inputs(sdo).toArray(new String[0]);
            this.out = outputs(sdo).toArray(new String[0]);
            Preconditions.checkState(op instanceof CustomOp || op instanceof Op,
                    "op %s (%s) cannot run outside SameDiff's session", sdo.getName(), op.getClass().getSimpleName());
        }

        @Override
        public String toString() {
            return op.opName() + " " + java.util.Arrays.toString(in) + " -> " + java.util.Arrays.toString(out);
        }

        void run() {
            if (alias) {
                return;
            }
            if (context == null) {
                prepare();
                if (alias) {
                    return;
                }
            }
            if (op instanceof CustomOp custom) {
                Nd4j.exec(custom, context);
            } else {
                if (op instanceof ScalarOp scalar && in.length == 2) {
                    scalar.setScalar(arrays.get(in[1]));
                }
                Nd4j.exec((Op) op, context);
            }
        }

        private void prepare() {
            INDArray[] args = new INDArray[in.length];
            for (int i = 0; i < in.length; i++) {
                args[i] = arrays.get(in[i]);
                Preconditions.checkState(args[i] != null, "input %s of op %s has no array", in[i], op.getOwnName());
            }
            if (op instanceof Identity) {
                arrays.put(out[0], args[0]);
                alias = true;
                return;
            }
            OpContext oc = Nd4j.getExecutioner().buildContext();
            contexts.add(oc);
            List<LongShapeDescriptor> shapes;
            if (op instanceof DynamicCustomOp custom) {
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
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                for (int i = 0; i < out.length; i++) {
                    LongShapeDescriptor shape = shapes.get(i);
                    DataType type = graph.getVariable(out[i]).dataType();
                    if (type != shape.dataType()) {
                        shape = shape.asDataType(type); // as SameDiff's session: the variable's type wins
                    }
                    INDArray array = Nd4j.create(shape, true);
                    owned.add(array);
                    arrays.put(out[i], array);
                    oc.setOutputArray(i, array);
                }
            }
            context = oc;
        }
    }
}
