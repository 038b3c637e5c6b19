package org.d2l.rnn.bench;

import java.util.List;
import org.d2l.rnn.io.RunResult;

/**
 * A benchmark run; its components are the keys of {@code bench --json}.
 *
 * @param blas the OpenBLAS library, its version and the kernels it picked ({@code NativeRuntime.blasDescription})
 * @param rounds how many times each config was measured on every side, alternating
 * @param pytorchEngine torch's version and the BLAS it called, null without a PyTorch run
 * @param djlEngine DJL's and libtorch's versions and their BLAS, null without a DJL run
 * @param generationCharsPerSec greedy LSTM-256 generation, median over the rounds (each round: median of its calls)
 * @param pytorchGenerationCharsPerSec the same with lm.py's predict, alternating with ours; null without PyTorch
 * @param datavecShareOfEpoch the DataVec pipeline's time over (pipeline + training steps) for one LSTM-256 epoch
 */
public record BenchResult(int threads, int rounds, String blas, String pytorchEngine, String djlEngine, List<Row> configs,
                          double generationCharsPerSec, List<Double> generationCharsPerSecByRound,
                          Double pytorchGenerationCharsPerSec, List<Double> pytorchGenerationCharsPerSecByRound,
                          double datavecMsPerEpoch, double datavecShareOfEpoch,
                          double peakHeapMib, double offHeapMib, double residentMib)
        implements RunResult {

    /**
     * One config. Throughputs are medians over the rounds (each round's own figure is the median of its timed
     * windows or iterations); ratios are ours / theirs of those medians. The references' figures are null where
     * they were not asked for or have no such config.
     *
     * @param msPerIterByWindow ours, the windows of the round whose throughput is the (lower) median
     * @param otherThreadsTokensPerSec ours at {@code otherThreads} threads, measured in the same rotation
     */
    public record Row(String config, long params, double tokensPerSec, double msPerIter, double[] msPerIterByWindow,
                      List<Double> tokensPerSecByRound, Double trainingFlopsPerToken, Double sgemmGflops,
                      Double ceilingShare, Double pytorchTokensPerSec, List<Double> pytorchTokensPerSecByRound,
                      Double ratio, Double djlTokensPerSec, List<Double> djlTokensPerSecByRound, Double djlRatio,
                      Integer otherThreads, Double otherThreadsTokensPerSec, List<Double> otherThreadsTokensPerSecByRound) {
    }
}
