package org.d2l.rnn.jobs;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.data.CorpusReader;
import org.d2l.rnn.data.DataHub;
import org.d2l.rnn.data.Sha1;
import org.d2l.rnn.datavec.FeatureEncoding;
import org.d2l.rnn.datavec.LanguageModelIterator;
import org.d2l.rnn.experiments.ExperimentResult;
import org.d2l.rnn.infer.Generator;
import org.d2l.rnn.io.AtomicFiles;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelBundle;
import org.d2l.rnn.models.ModelCard;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.models.StatefulGraph;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.train.Trainer;
import org.d2l.rnn.train.TrainingData;
import org.d2l.rnn.train.TrainingResult;
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
        if (s.save() != null) {
            AtomicFiles.requireWritable(s.save());
        }
        NativeRuntime.init();
        Nd4j.getRandom().setSeed(s.seed());
        Corpus corpus = new CorpusReader(hub).read(s.dataset(), s.tokenizer(), 0, s.maxTokens());
        ModelSpec spec = new ModelSpec(s.model(), corpus.vocab().size(), s.hidden(), s.layers(), s.embedding(),
                s.activation());
        LanguageModelIterator data = LanguageModelIterator.builder().setCorpus(corpus.indices())
                .setVocabSize(corpus.vocab().size()).setBatchSize(s.batch()).setSteps(s.steps())
                .optPartitioning(s.sampling()).optRandomOffset(s.randomOffset()).optSeed(s.seed())
                .optEncoding(spec.oneHot() ? FeatureEncoding.ONE_HOT : FeatureEncoding.INDEX).build();
        StatefulGraph net = LanguageModels.build(spec, updater(s), s.steps(), s.seed());
        Generator generator = new Generator(net, corpus.vocab(), s.tokenizer(), spec.oneHot(),
                !s.model().bidirectional());
        String firstPrefix = s.prefixes().get(0);
        List<LmResult.EpochSample> samples = new ArrayList<>();
        TrainingResult r = Trainer.builder().setNetwork(net).setData(TrainingData.of(data)).setEpochs(s.epochs()).optClip(s.clip())
                .optCarryAcrossEpochs(s.carryAcrossEpochs()).optStateless(s.model().bidirectional())
                .optTaskName(s.model().cliName() + " on " + s.dataset())
                .optEpochListener((epoch, ppl, speed) -> {
                    if (epoch % s.predictEvery() == 0 || epoch == s.epochs()) {
                        String text = generator.greedy(firstPrefix, s.predictLength());
                        samples.add(new LmResult.EpochSample(epoch, ppl, text));
                        out.printf("epoch %d, perplexity %.3f, %.0f tokens/s: %s%n", epoch, ppl, speed, text);
                        out.flush();
                    }
                }).build().fit();
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
                new double[] {r.residentMibAfterWarmUp(), r.residentMibAtEnd()});
        if (s.save() != null) {
            new ModelBundle(net, corpus.vocab(), card(s, spec, corpus, result)).save(s.save());
            out.println("saved " + s.save());
        }
        return result;
    }

    private static IUpdater updater(LmSettings s) {
        return "adam".equals(s.optimizer()) ? new Adam(s.lr()) : new Sgd(s.lr());
    }

    private static ModelCard card(LmSettings s, ModelSpec spec, Corpus corpus, LmResult result) {
        Map<String, Object> settings = ExperimentResult.SNAKE_CASE.convertValue(s.toBuilder().optSave(null).build(),
                new com.fasterxml.jackson.core.type.TypeReference<>() { });
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("perplexity", result.perplexity());
        metrics.put("tokens_per_sec", result.tokensPerSec());
        metrics.put("seconds", result.seconds());
        metrics.put("sample", result.sample());
        return new ModelCard(ModelCard.LANGUAGE_MODEL, spec, s.tokenizer().name(), s.dataset(),
                Sha1.ofInts(corpus.indices()), settings, s.seed(), metrics, Instant.now().toString(), ModelCard.currentSoftware());
    }
}
