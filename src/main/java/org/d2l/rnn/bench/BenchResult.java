package org.d2l.rnn.bench;

import java.util.List;
import org.d2l.rnn.io.RunResult;

/**
 * A benchmark run; its components are the keys of {@code bench --json}.
 *
 * @param blas the OpenBLAS library, its version and the kernels it picked ({@code NativeRuntime.blasDescription})
 * @param datavecShareOfEpoch the DataVec pipeline's time over (pipeline + training steps) for one LSTM-256 epoch
 */
public record BenchResult(int threads, String blas, List<Row> configs, double generationCharsPerSec, double datavecMsPerEpoch,
                          double datavecShareOfEpoch, double peakHeapMib, double offHeapMib, double residentMib)
        implements RunResult {

    /** One config, with the PyTorch reference's throughput from the same run when it was asked for. */
    public record Row(String config, long params, double tokensPerSec, double msPerIter, double[] msPerIterByWindow,
                      Double trainingFlopsPerToken, Double sgemmGflops, Double ceilingShare, Double pytorchTokensPerSec,
                      Double ratio) {
    }
}
