package org.d2l.rnn.jobs;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.experiments.ExperimentResult;

/**
 * What a language-model run produced; its components are the keys of {@code --json} and metrics.json.
 *
 * @param perplexity        final-epoch perplexity
 * @param sample            greedy generation from the first prefix after training
 * @param generations       greedy generation from every prefix
 * @param samplesByEpoch    generations printed during training
 * @param savedTo           the exported zip, or null
 * @param memoryMib         resident memory after a tenth of the epochs and after the last
 */
public record LmResult(String model, String dataset, long params, int vocabSize, int corpusTokens, double perplexity,
                       double[] perplexityByEpoch, double tokensPerSec, double seconds, String sample,
                       Map<String, String> generations, List<EpochSample> samplesByEpoch, String savedTo,
                       double[] memoryMib)
        implements ExperimentResult {

    /** A generation printed during training. */
    public record EpochSample(int epoch, double perplexity, String text) {
    }
}
