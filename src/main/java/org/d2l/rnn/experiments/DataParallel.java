package org.d2l.rnn.experiments;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/**
 * Scale-out on one host: the same LSTM trained by one worker and by two data-parallel workers (DL4J's
 * ParallelWrapper), with the learning rate kept and doubled.
 */
public final class DataParallel extends LanguageModelSection {
    static final int EPOCHS = 100;

    @Override
    public String name() {
        return "data-parallel";
    }

    @Override
    public String title() {
        return "Data-parallel training with DL4J's ParallelWrapper (train-lm --workers)";
    }

    @Override
    protected List<Variant> variants(long seed) {
        LmSettings.Builder lstm = LmSettings.builder().optModel(ModelKind.LSTM).optSampling(Partitioning.RANDOM)
                .optEpochs(EPOCHS).optSeed(seed);
        return List.of(new Variant("1 worker, lr 1", lstm.optWorkers(1).optLr(1).build()),
                new Variant("2 workers, lr 1", lstm.optWorkers(2).optLr(1).build()),
                new Variant("2 workers, lr 2", lstm.optWorkers(2).optLr(2).build()));
    }

    @Override
    protected Map<String, LmReport.Reference> references() {
        return Map.of();
    }

    @Override
    protected String summary() {
        return "d2l's LSTM 256 on The Time Machine (SGD, θ = 1, batch 32 × 35 steps, random partitioning: every "
                + "minibatch starts from a fresh state, which data parallelism needs) trained by one worker and by two "
                + "`ParallelWrapper` workers. Each worker fits its own minibatch on its replica (one thread each, one "
                + "OpenMP thread per op), then parameters are averaged every round: two workers act like one model on "
                + "a 64-sequence minibatch, so an epoch makes half as many updates — the same epochs reach a higher "
                + "perplexity unless the learning rate grows with the minibatch (third run). Tokens/s is the gain. "
                + "Run on an otherwise idle 2-core machine: two workers can use both cores, one cannot.";
    }
}
