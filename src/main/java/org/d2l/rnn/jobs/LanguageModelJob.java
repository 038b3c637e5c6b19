package org.d2l.rnn.jobs;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.d2l.rnn.data.CorpusReader;
import org.d2l.rnn.data.DataHub;
import org.d2l.rnn.data.Sha1;
import org.d2l.rnn.datavec.FeatureEncoding;
import org.d2l.rnn.datavec.LanguageModelIterator;
import org.d2l.rnn.io.Json;
import org.d2l.rnn.infer.Generator;
import org.d2l.rnn.io.AtomicFiles;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelBundle;
import org.d2l.rnn.models.ModelCard;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.models.Networks;
import org.d2l.rnn.models.StatefulGraph;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.UserError;
import org.d2l.rnn.train.Trainer;
import org.d2l.rnn.train.TrainingDiverged;
import org.d2l.rnn.train.TrainingData;
import org.d2l.rnn.train.TrainingResult;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * One language-model run, d2l's {@code train_ch8} end to end: corpus -> DataVec iterator -> model -> trainer
 * (generating from the prefixes every few epochs) -> final generations -> optional export. Every section and
 * {@code train-lm} is this job with different settings.
 */
public final class LanguageModelJob {
    private LanguageModelJob() {
    }

    public static LmResult run(LmSettings s, DataHub hub, PrintWriter out) {
        return run(s, Checkpointing.NONE, List.of(), hub, out);
    }

    /**
     * With checkpoints, or resumed from one ({@code ckpt.resume()}: then {@code s} must be the checkpoint's settings,
     * see {@link LmCheckpoint}, with at most epochs, save, lr and clip changed).
     */
    public static LmResult run(LmSettings s, Checkpointing ckpt, List<TrainingListener> monitors, DataHub hub,
                               PrintWriter out) {
        if (s.save() != null) {
            AtomicFiles.requireWritable(s.save());
        }
        if (ckpt.writes()) {
            AtomicFiles.requireWritable(ckpt.path());
        }
        LmCheckpoint resumed = ckpt.resume() == null ? null : LmCheckpoint.load(ckpt.resume());
        NativeRuntime.init();
        Nd4j.getRandom().setSeed(s.seed());
        Corpus corpus = new CorpusReader(hub).read(s.dataset(), s.tokenizer(), 0, s.maxTokens());
        ModelSpec spec = new ModelSpec(s.model(), corpus.vocab().size(), s.hidden(), s.layers(), s.embedding(),
                s.activation());
        LanguageModelIterator data = LanguageModelIterator.builder().setCorpus(corpus.indices())
                .setVocabSize(corpus.vocab().size()).setBatchSize(s.batch()).setSteps(s.steps())
                .optPartitioning(s.sampling()).optRandomOffset(s.randomOffset()).optSeed(s.seed())
                .optEncoding(spec.oneHot() ? FeatureEncoding.ONE_HOT : FeatureEncoding.INDEX).build();
        StatefulGraph net = resumed == null ? LanguageModels.build(spec, updater(s), s.detach() ? s.steps() : 0, s.seed())
                : continued(resumed, s, corpus);
        // everything the run holds outside the heap goes back when it ends: the next run in this JVM starts clean
        try {
            net.addListeners(monitors.toArray(TrainingListener[]::new)); // e.g. the training UI's StatsListener
            Generator generator = new Generator(net, corpus.vocab(), s.tokenizer(), spec.oneHot(),
                    !s.model().bidirectional());
            String firstPrefix = s.prefixes().get(0);
            List<String> periodPrefixes = s.predictEveryPrefix() ? s.prefixes() : List.of(firstPrefix);
            // d2l shows what the untrained model predicts (gibberish) before it trains; a resumed model is not untrained
            String untrained = resumed != null || s.untrainedPrefix() == null ? null
                    : generator.greedy(s.untrainedPrefix(), LmSettings.UNTRAINED_LENGTH);
            if (untrained != null) {
                out.println("before training: " + untrained);
            }
            // the last good checkpoint: the one resumed from until this run writes its own
            AtomicReference<GoodCheckpoint> lastGood = new AtomicReference<>(resumed == null ? null
                    : new GoodCheckpoint(ckpt.resume(), resumed.state().progress().epochsDone()));
            List<LmResult.EpochSample> samples = new ArrayList<>(resumed == null ? List.of() : resumed.state().samples());
            Trainer.Builder trainer = Trainer.builder();
            if (resumed != null) {
                trainer.optResumeFrom(resumed.state().progress());
                out.printf("resuming %s after epoch %d of %d%n", ckpt.resume(), resumed.state().progress().epochsDone(),
                        s.epochs());
            }
            if (ckpt.writes()) {
                trainer.optCheckpoint(ckpt.every(), progress -> {
                    ModelCard card = card(s, spec, corpus, Map.of("epochs_done", progress.epochsDone(),
                            "perplexity", progress.perplexityByEpoch()[progress.epochsDone() - 1]));
                    new LmCheckpoint(new ModelBundle(net, corpus.vocab(), card),
                            new LmCheckpoint.State(s.toBuilder().optSave(null).build(), progress, List.copyOf(samples)))
                            .save(ckpt.path());
                    lastGood.set(new GoodCheckpoint(ckpt.path(), progress.epochsDone()));
                });
            }
            TrainingResult r;
            try {
                r = trainer.setNetwork(net).setData(s.detach() ? TrainingData.of(data) : TrainingData.undetached(data)).setEpochs(s.epochs()).optClip(s.clip())
                    .optCarryAcrossEpochs(s.carryAcrossEpochs()).optStateless(s.model().bidirectional()).optWorkers(s.workers())
                    .optTaskName(s.model().cliName() + " on " + s.dataset())
                    .optEpochListener((epoch, ppl, speed) -> {
                        if (epoch % s.predictEvery() == 0 || epoch == s.epochs()) {
                            for (String prefix : periodPrefixes) {
                                String text = generator.greedy(prefix, s.predictLength());
                                samples.add(new LmResult.EpochSample(epoch, ppl, text));
                                out.printf("epoch %d, perplexity %.3f, %.0f tokens/s: %s%n", epoch, ppl, speed, text);
                            }
                            out.flush();
                        }
                    }).build().fit();
            } catch (TrainingDiverged e) {
                GoodCheckpoint good = lastGood.get();
                throw good == null ? e : new TrainingDiverged(e, "the last good checkpoint is " + good.path() + " (epoch "
                        + good.epochsDone() + "): continue from it with --resume " + good.path() + " --lr <smaller>");
            }
            Map<String, String> generations = new LinkedHashMap<>();
            for (String prefix : s.prefixes()) {
                generations.put(prefix, generator.greedy(prefix, s.predictLength()));
                out.println(generations.get(prefix));
            }
            out.printf("perplexity %.3f, %.0f tokens/s, %.1f s%n", r.finalPerplexity(), r.tokensPerSec(), r.seconds());
            out.flush();
            LmResult result = new LmResult(s.model().cliName(), s.dataset(), net.numParams(), corpus.vocab().size(),
                    corpus.size(), r.finalPerplexity(), r.perplexityByEpoch(), r.tokensPerSec(), r.seconds(),
                    generations.get(firstPrefix), generations, samples, s.save() == null ? null : s.save().toString(),
                    new double[] {r.memoryAfterWarmUp().residentMib(), r.memoryAtEnd().residentMib(),
                        r.memoryAfterWarmUp().outsideHeapMib(), r.memoryAtEnd().outsideHeapMib()},
                    r.outsideHeapMibByEpoch(), r.residentMibByEpoch(), null, r.gradientNorms().meanByEpoch(),
                    r.gradientNorms().maxByEpoch(), r.gradientNorms().clippedShareByEpoch(), untrained);
            if (s.save() != null) {
                new ModelBundle(net, corpus.vocab(), card(s, spec, corpus, metrics(result))).save(s.save());
                out.println("saved " + s.save());
            }
            return result;
        } finally {
            Networks.release(net);
        }
    }

    /** A checkpoint known to hold finite parameters. */
    private record GoodCheckpoint(Path path, int epochsDone) {
    }

    private static IUpdater updater(LmSettings s) {
        return "adam".equals(s.optimizer()) ? new Adam(s.lr()) : new Sgd(s.lr());
    }

    /**
     * The checkpoint's network, continued under the settings of this run: the data must be the very tokens it was
     * trained on, and a changed learning rate takes effect.
     */
    private static StatefulGraph continued(LmCheckpoint cp, LmSettings s, Corpus corpus) {
        String expected = cp.bundle().card().dataSha1();
        if (expected != null && !expected.equals(Sha1.ofInts(corpus.indices()))) {
            throw new UserError("the corpus differs from the one the checkpoint was trained on (token checksum "
                    + expected + "); resume with the same --dataset, --token and --max-tokens");
        }
        StatefulGraph net = cp.bundle().net();
        net.setLearningRate(s.lr());
        return net;
    }

    private static Map<String, Object> metrics(LmResult result) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("perplexity", result.perplexity());
        metrics.put("tokens_per_sec", result.tokensPerSec());
        metrics.put("seconds", result.seconds());
        metrics.put("sample", result.sample());
        return metrics;
    }

    private static ModelCard card(LmSettings s, ModelSpec spec, Corpus corpus, Map<String, Object> metrics) {
        Map<String, Object> settings = Json.SNAKE_CASE.convertValue(s.toBuilder().optSave(null).build(),
                new com.fasterxml.jackson.core.type.TypeReference<>() { });
        return ModelCard.languageModel(spec, s.tokenizer().name(), s.dataset(), Sha1.ofInts(corpus.indices()),
                settings, s.seed(), metrics);
    }
}
