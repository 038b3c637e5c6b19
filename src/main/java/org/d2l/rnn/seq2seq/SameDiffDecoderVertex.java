package org.d2l.rnn.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.nn.InvertedDropout;
import org.d2l.rnn.nn.NativeArrays;
import org.d2l.rnn.nn.QuietStdout;
import org.d2l.rnn.nn.RecentPlans;
import org.d2l.rnn.nn.ReleasableBuffers;
import org.d2l.rnn.nn.SameDiffPlan;
import org.d2l.rnn.nn.ScratchRecurrentLayer;
import org.d2l.rnn.nn.TimeMajor;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.base.Preconditions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link DecoderVertex} with {@link DecoderVertex.Engine#SAMEDIFF}: DL4J's SameDiff vertex runtime
 * builds the graph from {@link DecoderVertex#defineVertex} and SameDiff's autodiff its backward ops, and a
 * {@link SameDiffPlan} executes them, as for the scratch layers ({@link ScratchRecurrentLayer} says why).
 * <ul>
 *   <li>The unrolled graph bakes in the batch size and the number of steps: one graph and plan per shape of the
 *       embedded input, the last {@value #KEPT} kept.</li>
 *   <li>M2.1's gradient graph adds the external gradient to itself (shared notes dl4j-m2.1.md §4a, §5): the
 *       plan is fed epsilon / {@link ScratchRecurrentLayer#SAMEDIFF_GRADIENT_FACTOR}.</li>
 *   <li>Dropout between layers: every training pass feeds new factors, drawn as {@code GruStack} draws its own
 *       (time-major rows [T·B, H], layer by layer, {@link InvertedDropout}), so both engines drop the same units for
 *       the same seed; other passes feed ones.</li>
 * </ul>
 */
final class SameDiffDecoderVertex extends SameDiffGraphVertex implements ReleasableBuffers {
    private static final int KEPT = 4;
    private final Map<String, Planned> plans = new RecentPlans<>(KEPT);
    /** The plan whose arrays hold the last training forward pass. */
    private Planned forwardPlan;
    /** The dropout factors' time-major rows [T·B, H], kept while the shape stays. */
    private INDArray maskRows;

    /** A plan with the names of its output, the dL/dOutput placeholder, and the input and parameter gradients. */
    private record Planned(SameDiffPlan plan, String output, String outputGradient, List<String> inputGradients,
                           Map<String, String> paramGradients) implements AutoCloseable {
        @Override
        public void close() {
            plan.close();
        }
    }

    SameDiffDecoderVertex(DecoderVertex config, ComputationGraph graph, String name, int index, INDArray paramsView,
                          boolean initializeParams, DataType dataType) {
        super(config, graph, name, index, paramsView, initializeParams, dataType);
    }

    private List<String> inputNames() {
        return config.getVertexParams().getInputs();
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        config.validateInput(inputs);
        Planned planned = planFor(inputs[0].shape());
        List<String> names = inputNames();
        for (int i = 0; i < inputs.length; i++) {
            planned.plan().set(names.get(i), inputs[i]);
        }
        feedDropoutMasks(planned.plan(), training);
        planned.plan().forward();
        forwardPlan = training ? planned : null;
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, planned.plan().get(planned.output()));
    }

    private void feedDropoutMasks(SameDiffPlan plan, boolean training) {
        DecoderVertex decoder = (DecoderVertex) config;
        if (decoder.getDropout() == 0) {
            return; // the graph has no mask inputs
        }
        if (!training) {
            for (int l = 0; l < decoder.getLayers() - 1; l++) {
                plan.get(DecoderVertex.dropoutMaskInput(l)).assign(1);
            }
            return;
        }
        long batch = inputs[0].size(0);
        long[] rowsShape = {inputs[0].size(2) * batch, decoder.getHidden()};
        if (maskRows == null || !Arrays.equals(maskRows.shape(), rowsShape)) {
            NativeArrays.free(maskRows);
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                maskRows = Nd4j.createUninitialized(dataType, rowsShape);
            }
        }
        for (int l = 0; l < decoder.getLayers() - 1; l++) {
            plan.set(DecoderVertex.dropoutMaskInput(l),
                    TimeMajor.sequence(InvertedDropout.fill(maskRows, decoder.getDropout()), batch));
        }
    }

    private Planned planFor(long[] shape) {
        String key = Arrays.toString(shape);
        Planned planned = plans.get(key);
        if (planned == null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                planned = newPlan();
            }
            plans.put(key, planned);
        }
        return planned;
    }

    private Planned newPlan() {
        List<String> names = inputNames();
        QuietStdout.call(() -> { // createGradFunction prints a line per op it differentiates
            doInit();
            sameDiff.createGradFunction(names.toArray(new String[0]));
            return null;
        });
        Map<String, INDArray> placeholders = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            placeholders.put(names.get(i), inputs[i]);
        }
        String outputGradient = fn.getGradPlaceholderName();
        // the output is the top layer's hidden states [B, H, T] for the embedded input [B, E, T]
        DecoderVertex decoder = (DecoderVertex) config;
        INDArray output = Nd4j.create(dataType, inputs[0].size(0), decoder.getHidden(), inputs[0].size(2));
        placeholders.put(outputGradient, output);
        if (decoder.getDropout() > 0) {
            for (int l = 0; l < decoder.getLayers() - 1; l++) {
                placeholders.put(DecoderVertex.dropoutMaskInput(l), output); // the same shape [B, H, T]
            }
        }
        List<String> inputGradients = new ArrayList<>();
        for (String name : names) {
            inputGradients.add(sameDiff.getVariable(name).getGradient().name());
        }
        Map<String, String> paramGradients = new LinkedHashMap<>();
        for (String param : paramTable.keySet()) {
            paramGradients.put(param, sameDiff.getVariable(param).getGradient().name());
        }
        List<String> gradients = new ArrayList<>(paramGradients.values());
        gradients.addAll(inputGradients);
        SameDiffPlan plan = new SameDiffPlan(sameDiff.getFunction("grad"), paramTable, placeholders,
                List.of(outputKey), gradients);
        NativeArrays.free(output);
        return new Planned(plan, outputKey, outputGradient, inputGradients, paramGradients);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        Preconditions.checkState(forwardPlan != null, "doBackward needs a training forward pass first");
        SameDiffPlan plan = forwardPlan.plan();
        plan.get(forwardPlan.outputGradient()).assign(epsilon).divi(ScratchRecurrentLayer.SAMEDIFF_GRADIENT_FACTOR);
        plan.backward();
        Gradient g = new DefaultGradient();
        for (Map.Entry<String, String> param : forwardPlan.paramGradients().entrySet()) {
            INDArray target = gradTable.get(param.getKey());
            target.assign(plan.get(param.getValue()));
            g.gradientForVariable().put(param.getKey(), target);
        }
        INDArray[] inputGradients = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputGradients[i] = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD,
                    plan.get(forwardPlan.inputGradients().get(i)));
        }
        return new Pair<>(g, inputGradients);
    }

    @Override
    public void releaseBuffers() {
        for (Planned planned : plans.values()) {
            planned.plan().close();
        }
        plans.clear();
        forwardPlan = null;
        NativeArrays.free(maskRows);
        maskRows = null;
    }
}
