package org.d2l.rnn.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.d2l.rnn.runtime.NativeRuntime;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Throwaway training-throughput measurement (not a test): ComputationGraph [one-hot V=28 -> layer -> RnnOutputLayer],
 * batch 32, T=35, FLOAT, SGD, one OpenMP thread. Run with nothing else busy:
 * {@code mvn -o -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.d2l.rnn.nn.NnThroughput
 * [-Dexec.args="warmup timed model..."]}.
 */
public final class NnThroughput {
    private static final int VOCAB = 28;
    private static final int BATCH = 32;
    private static final int STEPS = 35;

    private NnThroughput() {
    }

    public static void main(String[] args) {
        NativeRuntime.init();
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int timed = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Map<String, Supplier<Layer>> models = models();
        Iterable<String> chosen = args.length > 2 ? java.util.Arrays.asList(args).subList(2, args.length)
                : models.keySet();
        DataSet[] batches = {randomBatch(1), randomBatch(2)};
        for (String name : chosen) {
            ComputationGraph net = net(models.get(name).get());
            long buildStart = System.nanoTime();
            for (int i = 0; i < warmup; i++) {
                net.fit(batches[i % 2]);
            }
            double warmupSeconds = (System.nanoTime() - buildStart) / 1e9;
            double totalMs = 0;
            double bestMs = Double.MAX_VALUE;
            for (int i = 0; i < timed; i++) {
                long start = System.nanoTime();
                net.fit(batches[i % 2]);
                double ms = (System.nanoTime() - start) / 1e6;
                totalMs += ms;
                bestMs = Math.min(bestMs, ms);
            }
            double meanMs = totalMs / timed;
            System.out.printf("%-18s params %7d  mean %7.1f ms/iter = %6.0f tokens/s  best %7.1f ms = %6.0f tokens/s"
                            + "  (warm-up %.1f s)%n", name, net.numParams(), meanMs, tokensPerSecond(meanMs), bestMs,
                    tokensPerSecond(bestMs), warmupSeconds);
        }
    }

    private static double tokensPerSecond(double msPerIteration) {
        return BATCH * STEPS / (msPerIteration / 1000);
    }

    /** The best iteration is reported too: on a shared machine it is the closest to the uncontended speed. */
    private static Map<String, Supplier<Layer>> models() {
        Map<String, Supplier<Layer>> models = new LinkedHashMap<>();
        models.put("dl4j-lstm-256", () -> new LSTM.Builder().nOut(256).activation(Activation.TANH).build());
        models.put("fastgru-256", () -> new FastGru.Builder().nOut(256).build());
        models.put("scratch-gru-256", () -> new ScratchRecurrent.Builder().cell(Cell.GRU).nOut(256).build());
        models.put("scratch-lstm-256", () -> new ScratchRecurrent.Builder().cell(Cell.LSTM).nOut(256).build());
        models.put("scratch-rnn-512", () -> new ScratchRecurrent.Builder().cell(Cell.RNN).nOut(512).build());
        models.put("dl4j-simplernn-512", () -> new SimpleRnn.Builder().nOut(512).activation(Activation.TANH)
                .build());
        return models;
    }

    private static ComputationGraph net(Layer layer) {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(42)
                .dataType(DataType.FLOAT).updater(new Sgd(0.1))
                .graphBuilder().addInputs("in").setInputTypes(InputType.recurrent(VOCAB, STEPS))
                .addLayer("rnn", layer, "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(VOCAB).build(), "rnn")
                .setOutputs("out").build());
        net.init();
        return net;
    }

    private static DataSet randomBatch(long seed) {
        Random random = new Random(seed);
        INDArray features = Nd4j.zeros(DataType.FLOAT, BATCH, VOCAB, STEPS);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, VOCAB, STEPS);
        for (int i = 0; i < BATCH; i++) {
            for (int t = 0; t < STEPS; t++) {
                features.putScalar(new long[]{i, random.nextInt(VOCAB), t}, 1.0);
                labels.putScalar(new long[]{i, random.nextInt(VOCAB), t}, 1.0);
            }
        }
        return new DataSet(features, labels);
    }
}
