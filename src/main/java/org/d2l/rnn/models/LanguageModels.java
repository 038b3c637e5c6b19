package org.d2l.rnn.models;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.d2l.rnn.nn.FusedRnnOutput;
import org.d2l.rnn.nn.ScratchRecurrent;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds every language model of d2l chapters 8-9 as a ComputationGraph: input (one-hot or embedding) ->
 * {@code layers} recurrent layers -> softmax output over the vocabulary. The graph's input is named
 * {@value #INPUT}, its output {@value #OUTPUT}. Scratch models start as d2l's scratch code (N(0, 0.01) weights,
 * zero biases), concise ones as d2l's PyTorch modules ({@link TorchInit}).
 */
public final class LanguageModels {
    public static final String INPUT = "in";
    public static final String OUTPUT = "out";

    private LanguageModels() {
    }

    /**
     * @param updater     SGD or Adam with its learning rate
     * @param tbpttLength the minibatch length: recurrent state is carried (detached) between minibatches of that
     *                    length; 0, and bidirectional models: plain BPTT over each whole input
     */
    public static StatefulGraph build(ModelSpec spec, IUpdater updater, int tbpttLength, long seed) {
        return build(spec, updater, tbpttLength, seed, DataType.FLOAT);
    }

    public static StatefulGraph build(ModelSpec spec, IUpdater updater, int tbpttLength, long seed, DataType dataType) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(dataType).updater(updater).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs(INPUT)
                // vocabulary size as the input "size" even for index input: see the embedding pitfall in the notes
                .setInputTypes(InputType.recurrent(spec.vocabSize()));
        String previous = INPUT;
        if (!spec.oneHot()) {
            g.addLayer("embedding", new EmbeddingSequenceLayer.Builder().nIn(spec.vocabSize()).nOut(spec.embedding())
                    .build(), previous);
            previous = "embedding";
        }
        for (int i = 1; i <= spec.layers(); i++) {
            String name = "rnn" + i;
            Layer layer = spec.kind().recurrentLayer(spec);
            if (previous.equals(INPUT) && layer instanceof ScratchRecurrent scratch) {
                scratch.setInputGradient(false); // DL4J discards the gradient w.r.t. the network's input
            }
            g.addLayer(name, layer, previous);
            previous = name;
        }
        RnnOutputLayer.Builder out = new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .activation(Activation.SOFTMAX).nOut(spec.vocabSize());
        if (spec.kind().scratch()) {
            out.weightInit(new NormalDistribution(0, 0.01)).biasInit(0); // d2l's W_hq, b_q
        }
        g.addLayer(OUTPUT, FusedRnnOutput.of(out.build()), previous).setOutputs(OUTPUT);
        if (spec.kind().bidirectional() || tbpttLength <= 0) {
            g.backpropType(BackpropType.Standard);
        } else {
            g.backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(tbpttLength).tBPTTBackwardLength(tbpttLength);
        }
        StatefulGraph net = new StatefulGraph(g.build());
        net.init();
        if (!spec.kind().scratch()) {
            Map<String, Double> bounds = new LinkedHashMap<>();
            for (int i = 1; i <= spec.layers(); i++) {
                bounds.put("rnn" + i, 1 / Math.sqrt(spec.hidden()));
            }
            int outputFanIn = spec.kind().bidirectional() ? 2 * spec.hidden() : spec.hidden();
            bounds.put(OUTPUT, 1 / Math.sqrt(outputFanIn));
            TorchInit.apply(net, bounds, seed);
        }
        return net;
    }
}
