package org.d2l.rnn.seq2seq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.nn.FastGru;
import org.d2l.rnn.nn.FusedEmbeddingSequence;
import org.d2l.rnn.nn.FusedRnnOutput;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * d2l 9.7's RNN encoder–decoder as one DL4J ComputationGraph, trained with teacher forcing.
 *
 * <pre>
 * src [B,1,Ts] → srcEmbedding → encoder0 (FastGru) → encoder1 (FastGru, dropout on its input) …
 *                                  ↓ FinalStateVertex("src") per layer: the state at each row's true length
 * tgt_in [B,1,Tt] → tgtEmbedding → decoder (DecoderVertex: context concat + GRU layers from the encoder states)
 *                                  → out (FusedRnnOutput: DL4J's RnnOutputLayer, softmax + MCXENT over the target vocabulary)
 * </pre>
 *
 * Inputs are float token indices; both take feature masks [B, T] (1 = real token), and the label mask is the
 * target mask ({@link Seq2SeqBatch} builds all of it). FastGru ignores masks, which is right for right-padded
 * sequences: the GRU is causal, so padding only changes steps after the true end, and the encoder's state is
 * read at the true end by {@link FinalStateVertex}, which uses the source mask. The output layer's loss
 * normalisation differs from d2l's: see {@link MaskedLoss}.
 */
public final class Seq2SeqGraph {
    /** Input: source token indices [B, 1, Ts]. */
    public static final String SOURCE = "src";
    /** Input: decoder input token indices [B, 1, Tt] ({@code <bos>} + target shifted right). */
    public static final String TARGET_INPUT = "tgt_in";
    /** Output: softmax over the target vocabulary [B, V, Tt]. */
    public static final String OUTPUT = "out";
    static final String SOURCE_EMBEDDING = "srcEmbedding";
    static final String TARGET_EMBEDDING = "tgtEmbedding";
    static final String DECODER = "decoder";

    private Seq2SeqGraph() {
    }

    /**
     * @param dropout d2l's drop probability between stacked GRU layers (encoder and decoder)
     * @param seed    of the initial weights; not 0, which ND4J's RNG takes as "seed from the clock"
     * @param decoder which code runs the decoder vertex ({@code SAMEDIFF}, the default, or {@code FUSED})
     */
    public record Settings(int sourceVocab, int targetVocab, int embedding, int hidden, int layers, double dropout,
                           long seed, DataType dataType, IUpdater updater, DecoderVertex.Engine decoder) {
        public Settings {
            Preconditions.checkArgument(sourceVocab > 0 && targetVocab > 0 && embedding > 0 && hidden > 0
                    && layers > 0, "sizes must be positive: %s", this);
            Preconditions.checkArgument(seed != 0, "seed 0 would make the initial weights irreproducible");
        }

        /** d2l 9.7: embedding 32, hidden 32, 2 layers, dropout 0.1, Adam(0.005), FLOAT, SameDiff decoder. */
        public static Settings d2l(int sourceVocab, int targetVocab, long seed) {
            return new Settings(sourceVocab, targetVocab, 32, 32, 2, 0.1, seed, DataType.FLOAT, new Adam(0.005),
                    DecoderVertex.Engine.SAMEDIFF);
        }
    }

    static String encoderLayer(int layer) {
        return "encoder" + layer;
    }

    private static String encoderState(int layer) {
        return "encoderState" + layer;
    }

    /** A new, initialised graph (Xavier weights, zero biases). */
    public static ComputationGraph build(Settings settings) {
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(settings.seed()).dataType(settings.dataType()).updater(settings.updater())
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs(SOURCE, TARGET_INPUT)
                // size = vocabulary: with size 1 the builder would set the embeddings' nIn to 1 (shared notes §2)
                .setInputTypes(InputType.recurrent(settings.sourceVocab()),
                        InputType.recurrent(settings.targetVocab()));
        graph.addLayer(SOURCE_EMBEDDING, embedding(settings.sourceVocab(), settings.embedding()), SOURCE);
        String[] decoderInputs = new String[settings.layers() + 1];
        decoderInputs[0] = TARGET_EMBEDDING;
        String below = SOURCE_EMBEDDING;
        for (int l = 0; l < settings.layers(); l++) {
            FastGru.Builder gru = new FastGru.Builder().nOut(settings.hidden());
            if (l > 0 && settings.dropout() > 0) {
                gru.dropOut(1 - settings.dropout()); // on the layer's input; DL4J's argument is the KEEP probability
            }
            graph.addLayer(encoderLayer(l), gru.build(), below);
            graph.addVertex(encoderState(l), new FinalStateVertex(SOURCE), encoderLayer(l));
            decoderInputs[l + 1] = encoderState(l);
            below = encoderLayer(l);
        }
        graph.addLayer(TARGET_EMBEDDING, embedding(settings.targetVocab(), settings.embedding()), TARGET_INPUT);
        graph.addVertex(DECODER, new DecoderVertex(settings.embedding(), settings.hidden(), settings.layers(),
                settings.dropout(), settings.decoder()), decoderInputs);
        // the fused runtime: DL4J's own, with the label mask, recomputed the logits and softmax for the score after
        // the backward pass and copied its input and gradient through reshapes — 40% of a d2l 9.7 run (JFR)
        graph.addLayer(OUTPUT, FusedRnnOutput.of(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .activation(Activation.SOFTMAX).nIn(settings.hidden()).nOut(settings.targetVocab()).build()), DECODER);
        graph.setOutputs(OUTPUT);
        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        return net;
    }

    /**
     * d2l's {@code nn.Embedding}: no bias. The fused runtime: DL4J's own backward pass (a scatter op after a permute
     * and a copy) was a tenth of a d2l 9.7 run (JFR); models saved with DL4J's layer still load as DL4J's layer.
     */
    private static EmbeddingSequenceLayer embedding(int vocab, int size) {
        return FusedEmbeddingSequence.of(new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(size).hasBias(false)
                .build());
    }

    /**
     * The trained graph as an {@link EncoderDecoder} that runs step by step on {@code GruStack}'s fused kernels with
     * the graph's parameters (views: it follows further training), for greedy and beam search ({@link Seq2SeqDecoding}).
     */
    public static EncoderDecoder<EncoderOutputs, DecoderState> inferenceModel(ComputationGraph net,
                                                                              ContextMode contextMode) {
        DecoderVertex decoder = (DecoderVertex) net.getConfiguration().getVertices().get(DECODER);
        int layers = decoder.getLayers();
        List<Map<String, INDArray>> encoderParams = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            encoderParams.add(net.getLayer(encoderLayer(l)).paramTable());
        }
        INDArray sourceEmbedding = net.getLayer(SOURCE_EMBEDDING).getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray targetEmbedding = net.getLayer(TARGET_EMBEDDING).getParam(DefaultParamInitializer.WEIGHT_KEY);
        List<Map<String, INDArray>> decoderParams =
                DecoderVertex.byLayer(net.getVertex(DECODER).paramTable(false), layers);
        INDArray denseWeights = net.getLayer(OUTPUT).getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray denseBias = net.getLayer(OUTPUT).getParam(DefaultParamInitializer.BIAS_KEY);
        DataType dataType = sourceEmbedding.dataType();
        return new EncoderDecoder<>(
                new Seq2SeqEncoder(sourceEmbedding, encoderParams, decoder.getHidden(), dataType),
                new Seq2SeqDecoder(targetEmbedding, decoderParams, denseWeights, denseBias, contextMode));
    }
}
