package org.d2l.rnn.jobs;

import java.util.List;
import org.d2l.rnn.io.RunResult;

/**
 * What a seq2seq run produced; its components are the keys of {@code --json} and metrics.json.
 *
 * @param loss            the last epoch's loss as d2l's {@code train_seq2seq} prints it (Σ masked loss / Σ valid
 *                        tokens, i.e. per-token cross-entropy / num_steps)
 * @param tokenLoss       the last epoch's cross-entropy per real target token (nats)
 * @param tokensPerSec    real target tokens per second over the whole run
 * @param translations    d2l's four test sentences, greedy and beam search, with BLEU (k = 2)
 */
public record TranslationResult(int pairs, int srcVocabSize, int tgtVocabSize, long params, double loss,
                                double[] lossByEpoch, double tokenLoss, double tokensPerSec, double seconds,
                                int beam, List<Row> translations, String savedTo) implements RunResult {

    /**
     * One test sentence: greedy and beam-search output with the encoder's context (this project's decoder),
     * and greedy output with d2l's drifting context (d2l's code feeds the decoder's own state back as context).
     */
    public record Row(String source, String reference, String greedy, double bleu, String beamSearch,
                      double beamBleu, String greedyDriftingContext, double driftingBleu) {
    }
}
