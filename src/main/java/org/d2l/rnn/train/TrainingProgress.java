package org.d2l.rnn.train;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.d2l.rnn.models.StatefulGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a run stands after a whole epoch: everything besides the network and its updater that a resumed run needs
 * to continue exactly as the uninterrupted one would (the data's random generator, ND4J's generator, the
 * recurrent state carried into the next epoch) and the metrics so far.
 *
 * @param epochsDone          completed epochs
 * @param perplexityByEpoch   one per completed epoch
 * @param tokensPerSecByEpoch one per completed epoch
 * @param secondsSoFar        training wall time of the completed epochs (across resumes)
 * @param dataRandom          the data pipeline's generator ({@link TrainingData#randomState()}), Base64
 * @param nd4jRandom          ND4J's generator: root and node state
 * @param carriedState        per layer, the recurrent state carried into the next epoch, as Base64 .npy arrays
 */
public record TrainingProgress(int epochsDone, double[] perplexityByEpoch, double[] tokensPerSecByEpoch,
                               double secondsSoFar, String dataRandom, long[] nd4jRandom,
                               Map<String, Map<String, String>> carriedState) {

    /** Captures the state of a run after {@code epochsDone} epochs. */
    static TrainingProgress capture(int epochsDone, double[] ppl, double[] speed, double seconds, TrainingData data,
                                    ComputationGraph net) {
        byte[] random = data.randomState();
        Map<String, Map<String, String>> carried = new LinkedHashMap<>();
        if (net instanceof StatefulGraph g) {
            g.carriedState().forEach((layer, state) -> {
                Map<String, String> arrays = new LinkedHashMap<>();
                state.forEach((k, v) -> arrays.put(k, encode(v)));
                carried.put(layer, arrays);
            });
        }
        return new TrainingProgress(epochsDone, Arrays.copyOf(ppl, epochsDone), Arrays.copyOf(speed, epochsDone),
                seconds, random == null ? null : Base64.getEncoder().encodeToString(random),
                new long[] {Nd4j.getRandom().rootState(), Nd4j.getRandom().nodeState()}, carried);
    }

    /** Puts the generators and the carried state back, so the next epoch runs as it would have. */
    void restore(TrainingData data, ComputationGraph net) {
        if (dataRandom != null) {
            data.restoreRandomState(Base64.getDecoder().decode(dataRandom));
        }
        Nd4j.getRandom().setStates(nd4jRandom[0], nd4jRandom[1]);
        if (net instanceof StatefulGraph g) {
            Map<String, Map<String, INDArray>> state = new LinkedHashMap<>();
            carriedState.forEach((layer, arrays) -> {
                Map<String, INDArray> decoded = new LinkedHashMap<>();
                arrays.forEach((k, v) -> decoded.put(k, Nd4j.createNpyFromByteArray(Base64.getDecoder().decode(v))));
                state.put(layer, decoded);
            });
            g.setCarriedState(state);
        }
    }

    private static String encode(INDArray a) {
        return Base64.getEncoder().encodeToString(Nd4j.toNpyByteArray(a));
    }
}
