package org.d2l.rnn.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import org.bytedeco.javacpp.Pointer;
import org.d2l.rnn.datavec.LanguageModelIterator;
import org.d2l.rnn.infer.Generator;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.text.Tokenizer;

/** What surrounds the training step: generation speed, the DataVec pipeline, memory. */
public final class PipelineBenchmarks {
    private PipelineBenchmarks() {
    }

    /** Untimed generations first: the JIT compiles the generation path, as it would after a few calls in a session. */
    public static final int GENERATION_WARMUP = 5;
    /** Timed generations; the median counts. */
    public static final int GENERATION_REPEATS = 5;
    /** Characters generated per timed call, after the prefix "time traveller". */
    public static final int GENERATION_LENGTH = 300;

    /**
     * Characters per second of greedy generation (d2l's predict) with an untrained LSTM-256 on the char vocabulary:
     * the median of {@link #GENERATION_REPEATS} calls after {@link #GENERATION_WARMUP} untimed ones.
     */
    public static double generationCharsPerSec(Corpus chars, int length) {
        Generator g = new Generator(TrainingBenchmark.languageModelNet(BenchConfig.LSTM256), chars.vocab(),
                Tokenizer.CHAR, true, true);
        Timing t = Timing.of(() -> g.greedy("time traveller", length), GENERATION_WARMUP, GENERATION_REPEATS, 1);
        return length / (t.medianMsPerIter() / 1e3);
    }

    /** Milliseconds to iterate one epoch of the whole Time Machine char corpus (batch 32, 35 steps, one-hot). */
    public static double dataVecMsPerEpoch(Corpus chars) {
        LanguageModelIterator it = LanguageModelIterator.builder().setCorpus(chars.indices())
                .setVocabSize(chars.vocab().size()).setBatchSize(BenchConfig.BATCH).setSteps(BenchConfig.STEPS)
                .optSeed(42).build();
        return Timing.of(() -> {
            it.reset();
            while (it.hasNext()) {
                it.next();
            }
        }, 1, 3, 1).medianMsPerIter();
    }

    /** Minibatches in that epoch, to put the pipeline's time next to the training steps'. */
    public static int batchesPerEpoch(Corpus chars) {
        return (chars.indices().length - 1) / (BenchConfig.BATCH * BenchConfig.STEPS);
    }

    /** Peak heap use so far (sum of the heap pools' peaks), MiB. */
    public static double peakHeapMiB() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / 1048576.0;
    }

    /** Off-heap memory ND4J holds through JavaCPP now, MiB. */
    public static double offHeapMiB() {
        return Pointer.totalBytes() / 1048576.0;
    }

    /** Resident set size of the whole process now, MiB. */
    public static double residentMiB() {
        return Pointer.physicalBytes() / 1048576.0;
    }
}
