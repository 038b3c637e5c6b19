package org.d2l.rnn.jobs;

import org.d2l.rnn.train.TrainingDiverged;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.io.RunResult;

/**
 * What a language-model run produced; its components are the keys of {@code --json} and metrics.json.
 *
 * @param perplexity        final-epoch perplexity
 * @param sample            greedy generation from the first prefix after training
 * @param generations       greedy generation from every prefix
 * @param samplesByEpoch    generations printed during training
 * @param savedTo           the exported zip, or null
 * @param memoryMib         resident memory after a tenth of the epochs and after the last, then the part of each
 *                          outside the Java heap
 * @param outsideHeapMibByEpoch resident memory outside the Java heap after every epoch (of this process's run)
 * @param residentMibByEpoch    the process's resident set after every epoch (of this process's run)
 * @param diverged          null, or why training stopped early (NaN/Inf): then perplexity is NaN and
 *                          perplexityByEpoch holds the epochs before it
 * @param gradNormMeanByEpoch   mean global gradient norm before clipping, per epoch (null in runs made before it was kept)
 * @param gradNormMaxByEpoch    largest global gradient norm before clipping, per epoch
 * @param clippedShareByEpoch   share of the epoch's minibatches whose gradient was clipped
 * @param untrained         what the model predicted before training from the settings' untrained prefix (null
 *                          when not asked, and in runs made before it was kept)
 */
public record LmResult(String model, String dataset, long params, int vocabSize, int corpusTokens, double perplexity,
                       double[] perplexityByEpoch, double tokensPerSec, double seconds, String sample,
                       Map<String, String> generations, List<EpochSample> samplesByEpoch, String savedTo,
                       double[] memoryMib, double[] outsideHeapMibByEpoch, double[] residentMibByEpoch,
                       String diverged, double[] gradNormMeanByEpoch, double[] gradNormMaxByEpoch,
                       double[] clippedShareByEpoch, String untrained)
        implements RunResult {

    /** A run that diverged: what it had learned up to then, and why it stopped. */
    public static LmResult diverged(LmSettings s, TrainingDiverged e) {
        return new LmResult(s.model().cliName(), s.dataset(), 0, 0, 0, Double.NaN, e.perplexityByEpoch(), Double.NaN,
                Double.NaN, "", Map.of(), List.of(), null, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}, new double[0], new double[0],
                e.getMessage(), null, null, null, null);
    }

    /** A generation printed during training (one per prefix and period when every prefix is predicted). */
    public record EpochSample(int epoch, double perplexity, String text) {
    }
}
