package org.d2l.rnn.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.d2l.rnn.UserError;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.jobs.Checkpointing;
import org.d2l.rnn.jobs.LanguageModelJob;
import org.d2l.rnn.jobs.LmCheckpoint;
import org.d2l.rnn.jobs.LmResult;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.text.Tokenizer;
import org.d2l.rnn.ui.TrainingUi;
import org.deeplearning4j.optimize.api.TrainingListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Option;

/** Trains any language model with every knob exposed, then exports it. */
@Command(name = "train-lm", mixinStandardHelpOptions = true,
        description = "Train a language model (d2l 8.5-9.4) and export it as a DL4J zip.")
final class TrainLmCommand implements Callable<Integer> {
    @Mixin
    DataCommandOptions io;

    @Option(names = "--model", completionCandidates = ModelNames.class,
            description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}); see Models below.")
    String model;
    @Option(names = "--dataset", description = "Corpus (default ${DEFAULT-VALUE}).")
    String dataset;
    @Option(names = "--token", description = "char or word (default ${DEFAULT-VALUE}).")
    String token;
    @Option(names = "--hidden", description = "Hidden units (default ${DEFAULT-VALUE}).")
    int hidden;
    @Option(names = "--layers", description = "Stacked recurrent layers (default ${DEFAULT-VALUE}).")
    int layers;
    @Option(names = "--embedding", description = "0 = one-hot input (d2l), else a learned embedding of this size.")
    int embedding;
    @Option(names = "--activation", description = "tanh or relu, for rnn and rnn-scratch (default ${DEFAULT-VALUE}).")
    String activation;
    @Option(names = "--steps", description = "Time steps per minibatch (default ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--batch", description = "Minibatch size (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--lr", description = "Learning rate (default ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--optimizer", description = "sgd or adam (default ${DEFAULT-VALUE}).")
    String optimizer;
    @Option(names = "--clip", description = "Global gradient-norm threshold θ, 0 = none (default ${DEFAULT-VALUE}).")
    double clip;
    @Option(names = "--sampling", description = "sequential or random partitioning (default ${DEFAULT-VALUE}).")
    String sampling;
    @Option(names = "--no-random-offset", description = "Start every epoch at token 0 (d2l draws a random offset).")
    boolean noRandomOffset;
    @Option(names = "--no-detach", description = "Sequential partitioning without detaching the state: backpropagate through the whole epoch so far (d2l 8.5 exercise; slow).")
    boolean noDetach;
    @Option(names = "--carry-state", description = "Carry the sequential state across epochs too (d2l-zh v1).")
    boolean carryState;
    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--max-tokens", description = "Train on the first N tokens, -1 = all (default ${DEFAULT-VALUE}).")
    int maxTokens;
    @Option(names = "--seed", description = "Same seed, same numbers on CPU (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--prefix", description = "Prefix(es) to generate from (default: 'time traveller', 'traveller').")
    List<String> prefixes;
    @Option(names = "--length", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
    int length;
    @Option(names = "--predict-every", description = "Generate every N epochs (default ${DEFAULT-VALUE}).")
    int predictEvery;
    @Option(names = "--save", paramLabel = "ZIP", description = "Export path (default models/<model>-<dataset>.zip).")
    Path save;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0",
            description = "Write a checkpoint every N epochs (0 = none, default).")
    int checkpointEvery;
    @Option(names = "--checkpoint", paramLabel = "ZIP",
            description = "Checkpoint path (default models/checkpoints/<name of the --save zip>).")
    Path checkpoint;
    @Option(names = "--resume", paramLabel = "ZIP",
            description = "Continue the run saved in this checkpoint; only --epochs, --lr, --clip, --save and the checkpoint options may change.")
    Path resume;

    @Option(names = "--workers", description = "Data-parallel workers (DL4J ParallelWrapper; needs --sampling random; default ${DEFAULT-VALUE}).")
    int workers;
    @Option(names = "--ui", description = "Start DL4J's training UI (score, gradients, update ratios, live) and print its address.")
    boolean ui;
    @Option(names = "--ui-port", defaultValue = "9000", description = "Port of the training UI (default ${DEFAULT-VALUE}).")
    int uiPort;

    /** What may differ between a run and its resumption; everything else comes from the checkpoint. */
    private static final Set<String> RESUMABLE = Set.of("--resume", "--epochs", "--lr", "--clip", "--save",
            "--checkpoint-every", "--checkpoint", "--json", "--data-dir", "--ui", "--ui-port");

    /** A "Models:" section before the footer of {@code train-lm --help}: each kind's line from {@link ModelKind}. */
    static void addModelHelp(CommandLine trainLm) {
        String section = "models";
        trainLm.getHelpSectionMap().put(section, help -> help.createHeading("%nModels:%n")
                + help.createTextTable(java.util.Arrays.stream(ModelKind.values()).collect(
                        java.util.stream.Collectors.toMap(ModelKind::cliName, ModelKind::help, (a, b) -> a,
                                java.util.LinkedHashMap::new))).toString());
        List<String> keys = new ArrayList<>(trainLm.getHelpSectionKeys());
        keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), section);
        trainLm.setHelpSectionKeys(keys);
    }

    @Override
    public Integer call() {
        LmSettings settings = resume == null ? settings() : resumedSettings();
        Path ckptPath = checkpoint != null ? checkpoint : Checkpointing.defaultPath(settings.save());
        var out = io.spec.commandLine().getOut();
        Checkpointing checkpoints = new Checkpointing(checkpointEvery, ckptPath, resume);
        List<TrainingListener> monitors = new ArrayList<>();
        if (ui) {
            TrainingUi trainingUi = TrainingUi.start(uiPort);
            out.println("training UI: " + trainingUi.url());
            out.flush();
            monitors.add(trainingUi.listener());
        }
        LmResult result = LanguageModelJob.run(settings, checkpoints, monitors, io.data.hub(), out);
        io.json.print(out, result.metrics());
        return 0;
    }

    private LmSettings resumedSettings() {
        for (var option : io.spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUMABLE.contains(option.longestName())) {
                throw new UserError(option.longestName() + " cannot change when resuming: the checkpoint fixes it; "
                        + "drop it, or start a new run without --resume");
            }
        }
        LmSettings saved = LmCheckpoint.state(resume).settings();
        ParseResult given = io.spec.commandLine().getParseResult();
        LmSettings.Builder b = saved.toBuilder()
                .optSave(save != null ? save : defaultSave(saved.model(), saved.dataset()));
        if (given.hasMatchedOption("--epochs")) {
            b.optEpochs(epochs);
        }
        if (given.hasMatchedOption("--lr")) {
            b.optLr(lr);
        }
        if (given.hasMatchedOption("--clip")) {
            b.optClip(clip);
        }
        return b.build();
    }

    private LmSettings settings() {
        ModelKind kind = ModelKind.parse(model);
        LmSettings.Builder b = LmSettings.builder().optModel(kind).optDataset(dataset)
                .optTokenizer(Options.enumValue(Tokenizer.class, "--token", token)).optHidden(hidden).optLayers(layers)
                .optEmbedding(embedding).optActivation(activation).optSteps(steps).optBatch(batch).optLr(lr)
                .optOptimizer(optimizer).optClip(clip)
                .optSampling(Options.enumValue(Partitioning.class, "--sampling", sampling))
                .optRandomOffset(!noRandomOffset).optCarryAcrossEpochs(carryState).optDetach(!noDetach).optEpochs(epochs)
                .optMaxTokens(maxTokens).optSeed(seed).optWorkers(workers).optPredictLength(length).optPredictEvery(Math.max(1, predictEvery))
                .optSave(save != null ? save : defaultSave(kind, dataset));
        if (prefixes != null && !prefixes.isEmpty()) {
            b.optPrefixes(prefixes);
        } else if ("jay-chou".equals(dataset)) {
            b.optPrefixes(LmSettings.JAY_CHOU_PREFIXES);
        }
        return b.build();
    }

    /** models/&lt;model&gt;-&lt;dataset&gt;.zip, for a new run and for a resumed one alike. */
    private static Path defaultSave(ModelKind kind, String dataset) {
        return Path.of("models", kind.cliName() + "-" + safeName(dataset) + ".zip");
    }

    private static String safeName(String dataset) {
        String name = dataset.startsWith("file:") ? Path.of(dataset.substring(5)).getFileName().toString() : dataset;
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
