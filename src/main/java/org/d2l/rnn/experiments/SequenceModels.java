package org.d2l.rnn.experiments;

import org.d2l.rnn.Checks;
import org.d2l.rnn.io.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.d2l.rnn.report.Charts;
import org.d2l.rnn.report.Charts.Series;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.train.ProgressDisplay;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * d2l 8.1 Sequence Models: a noisy sine, an MLP on the last {@code tau} values, and why predicting many steps
 * ahead from one's own predictions goes wrong (one-step vs multi-step vs k-step predictions).
 *
 * <p>Why its own training loop and not {@code train.Trainer}, the one trainer of every other model: the Trainer
 * trains the recurrent {@code ComputationGraph}s with d2l's objectives for sequences (per-token mean loss,
 * global-norm clipping, carried state, perplexity, checkpoints). This section is d2l's plain regression loop on a
 * {@code MultiLayerNetwork} — shuffle, fit each minibatch, report the training MSE — with none of that; taking it
 * into the Trainer would add a second network type and an MSE objective there for a five-line loop.
 */
public final class SequenceModels implements Experiment {

    /**
     * d2l's settings: T=1000, noise 0.2, tau=4, 4-10-1 ReLU MLP, batch 16, 600 training examples, Adam 0.01,
     * 5 epochs. Built like the other settings ({@code LmSettings}, {@code TranslationSettings}): {@code set*} for
     * what has no default (the seed), {@code opt*} for the rest, every value checked in {@link Builder#build()}.
     */
    public record Settings(int length, double noise, int tau, int hidden, int batch, int trainExamples, double lr,
                           int epochs, int maxSteps, long seed) {
        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private int length = 1000;
            private double noise = 0.2;
            private int tau = 4;
            private int hidden = 10;
            private int batch = 16;
            private int trainExamples = 600;
            private double lr = 0.01;
            private int epochs = 5;
            private int maxSteps = 64;
            private Long seed;

            public Builder setSeed(long v) { seed = v; return this; }
            public Builder optLength(int v) { length = v; return this; }
            public Builder optNoise(double v) { noise = v; return this; }
            public Builder optTau(int v) { tau = v; return this; }
            public Builder optHidden(int v) { hidden = v; return this; }
            public Builder optBatch(int v) { batch = v; return this; }
            public Builder optTrainExamples(int v) { trainExamples = v; return this; }
            public Builder optLr(double v) { lr = v; return this; }
            public Builder optEpochs(int v) { epochs = v; return this; }
            /** The longest k of the k-step predictions (d2l: 64). */
            public Builder optMaxSteps(int v) { maxSteps = v; return this; }

            public Settings build() {
                if (seed == null) {
                    throw new IllegalStateException("setSeed is required");
                }
                Checks.epochs(epochs);
                Checks.positive("--hidden", hidden);
                Checks.positive("--batch", batch);
                Checks.positive("tau", tau);
                Checks.positive("max steps", maxSteps);
                if (noise < 0 || trainExamples < 1 || trainExamples + tau > length || !(lr > 0)) {
                    throw new IllegalArgumentException("sequence settings out of range: length " + length + ", tau "
                            + tau + ", train examples " + trainExamples + ", noise " + noise + ", lr " + lr);
                }
                return new Settings(length, noise, tau, hidden, batch, trainExamples, lr, epochs, maxSteps, seed);
            }
        }
    }

    /**
     * The MSE figures; {@code kStepMse} maps k to the MSE of k-step-ahead predictions.
     *
     * @param settleCounts   where the chains settle when fed their own predictions for {@link #SETTLE_STEPS} steps,
     *                       one chain per k-step starting window: value (2 decimals) to number of chains, most first
     * @param spikes         the k-step predictions whose chains settle elsewhere than most of their neighbours'
     */
    public record Result(double trainLoss, double[] lossByEpoch, double onestepMse, double onestepTestMse,
                         double multistepMse, Map<Integer, Double> kStepMse, Map<String, Integer> settleCounts,
                         List<Spike> spikes) implements RunResult {

    }

    /**
     * A k-step prediction whose chain settles elsewhere than most of its neighbours' (up to {@link #NEIGHBOURS} rows
     * either side): drawn as a line, a spike in the curve.
     *
     * @param time    d2l's time of the prediction
     * @param settles where its chain settles after {@link #SETTLE_STEPS} steps (2 decimals)
     */
    public record Spike(int k, int time, double prediction, String settles) {
    }

    /** The neighbourhood of a k-step prediction: this many predictions either side (fewer at the ends). */
    static final int NEIGHBOURS = 3;
    /** How long a chain is fed its own predictions to see where it settles. */
    static final int SETTLE_STEPS = 1000;

    static final int[] K_STEPS = {1, 4, 16, 64};

    /** What reads the tau-window: d2l's MLP, or (the 8.1 exercise) a SimpleRnn over the window's tau steps. */
    public enum Architecture { MLP, RNN }

    /** Trains one architecture on the noisy sine and measures its predictions (the 8.1 exercise compares two). */
    public static Result fit(Settings s, Architecture arch) {
        return new Run(s, arch).train();
    }

    @Override
    public String name() {
        return "sequence";
    }

    @Override
    public String title() {
        return "8.1 Sequence Models";
    }

    @Override
    public Result run(RunContext ctx) {
        Settings s = Settings.builder().setSeed(ctx.seed()).optEpochs(ctx.epochsOr(5)).build();
        Run run = new Run(s, Architecture.MLP);
        Result r = run.train();
        writeReport(ctx.report(this), s, run, r);
        return r;
    }

    /** One training run and the predictions made from it. */
    static final class Run {
        final Settings s;
        final double[] x;
        final MultiLayerNetwork net;
        final Architecture arch;
        double[] onestep;
        double[] multistep;
        double[][] kstep;

        Run(Settings s, Architecture arch) {
            this.arch = arch;
            NativeRuntime.init();
            this.s = s;
            Random rng = new Random(s.seed());
            x = new double[s.length()];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.sin(0.01 * (i + 1)) + s.noise() * rng.nextGaussian();
            }
            net = network(s, arch == Architecture.MLP
                    ? new DenseLayer.Builder().nIn(s.tau()).nOut(s.hidden()).activation(Activation.RELU).build()
                    // the RNN variant: a tanh SimpleRnn of the same width reads the window one value per step
                    : new org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep(
                            new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.Builder().nIn(1)
                                    .nOut(s.hidden()).activation(Activation.TANH).build()));
        }

        /** d2l's regression net: {@code reader} (an MLP layer or an RNN's last state), then a linear output. */
        private static MultiLayerNetwork network(Settings s, org.deeplearning4j.nn.conf.layers.Layer reader) {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(s.seed()).dataType(DataType.FLOAT)
                    .updater(new Adam(s.lr())).weightInit(WeightInit.XAVIER).list()
                    .layer(reader)
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(s.hidden()).nOut(1)
                            .activation(Activation.IDENTITY).build())
                    .build();
            MultiLayerNetwork n = new MultiLayerNetwork(conf);
            n.init();
            return n;
        }

        /** Windows [n, tau] as the network reads them: as they are (MLP) or as n sequences of tau steps (RNN). */
        private INDArray in(INDArray windows) {
            return arch == Architecture.MLP ? windows : windows.reshape(windows.size(0), 1, windows.size(1));
        }

        /** d2l's features: row i holds x[i .. i+tau-1], its label is x[i+tau]. */
        INDArray features(int rows) {
            double[][] f = new double[rows][s.tau()];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(x, i, f[i], 0, s.tau());
            }
            return Nd4j.createFromArray(f).castTo(DataType.FLOAT);
        }

        INDArray labels(int rows) {
            double[][] l = new double[rows][1];
            for (int i = 0; i < rows; i++) {
                l[i][0] = x[i + s.tau()];
            }
            return Nd4j.createFromArray(l).castTo(DataType.FLOAT);
        }

        Result train() {
            int rows = s.length() - s.tau();
            DataSet trainSet = new DataSet(in(features(s.trainExamples())), labels(s.trainExamples()));
            double[] losses = new double[s.epochs()];
            Random shuffle = new Random(s.seed() + 1);
            try (ProgressDisplay p = ProgressDisplay.start("sequence MLP", s.epochs(), "epochs")) {
                for (int e = 0; e < s.epochs(); e++) {
                    trainSet.shuffle(shuffle.nextLong()); // d2l's load_array(is_train=True) reshuffles every epoch
                    for (DataSet batch : trainSet.batchBy(s.batch())) {
                        net.fit(batch);
                    }
                    losses[e] = mse(column(net.output(trainSet.getFeatures())), column(trainSet.getLabels()));
                    p.step(String.format("loss %.4f", losses[e]));
                }
            }
            double[] target = column(labels(rows));
            onestep = column(net.output(in(features(rows))));
            int testFrom = s.trainExamples();
            double testMse = mse(java.util.Arrays.copyOfRange(onestep, testFrom, rows),
                    java.util.Arrays.copyOfRange(target, testFrom, rows));
            multistep = predictMultistep();
            int start = s.trainExamples() + s.tau();
            double multiMse = mse(java.util.Arrays.copyOfRange(multistep, start, s.length()),
                    java.util.Arrays.copyOfRange(x, start, s.length()));
            Map<Integer, Double> kStepMse = predictKSteps();
            String[] settled = settle(s.length() - s.tau() - s.maxSteps() + 1);
            Map<String, Integer> settleCounts = new LinkedHashMap<>();
            java.util.Arrays.stream(settled).collect(java.util.stream.Collectors.groupingBy(v -> v, java.util.stream.Collectors.counting()))
                    .entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> settleCounts.put(e.getKey(), e.getValue().intValue()));
            return new Result(losses[losses.length - 1], losses, mse(onestep, target), testMse, multiMse, kStepMse,
                    settleCounts, spikes(settled));
        }

        /** From time n_train+tau on, each prediction is fed the previous tau predictions (d2l's multistep_preds). */
        private double[] predictMultistep() {
            double[] m = new double[s.length()];
            int start = s.trainExamples() + s.tau();
            System.arraycopy(x, 0, m, 0, start);
            float[] window = new float[s.tau()];
            for (int i = start; i < s.length(); i++) {
                for (int j = 0; j < s.tau(); j++) {
                    window[j] = (float) m[i - s.tau() + j];
                }
                m[i] = net.output(in(Nd4j.createFromArray(window).reshape(1, s.tau()))).getDouble(0);
            }
            return m;
        }

        /** d2l's k-step table: column tau+k-1 predicts k steps beyond the observed window. */
        private Map<Integer, Double> predictKSteps() {
            int n = s.length() - s.tau() - s.maxSteps() + 1;
            int cols = s.tau() + s.maxSteps();
            INDArray f = Nd4j.create(DataType.FLOAT, n, cols);
            for (int j = 0; j < s.tau(); j++) {
                f.putColumn(j, Nd4j.createFromArray(java.util.Arrays.copyOfRange(x, j, j + n)).castTo(DataType.FLOAT));
            }
            for (int j = s.tau(); j < cols; j++) {
                INDArray window = f.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(j - s.tau(), j)).dup();
                f.putColumn(j, net.output(in(window)).reshape(n));
            }
            kstep = new double[K_STEPS.length][];
            Map<Integer, Double> out = new LinkedHashMap<>();
            for (int i = 0; i < K_STEPS.length; i++) {
                int col = s.tau() + K_STEPS[i] - 1;
                kstep[i] = f.getColumn(col).castTo(DataType.DOUBLE).toDoubleVector();
                out.put(K_STEPS[i], mse(kstep[i], java.util.Arrays.copyOfRange(x, col, col + n)));
            }
            return out;
        }

        /**
         * Row r's chain — started, as row r of the k-step table, from the observed x[r .. r+tau-1] — fed its own
         * predictions for {@link #SETTLE_STEPS} steps: where it ends (2 decimals), for every row.
         */
        private String[] settle(int rows) {
            INDArray window = features(rows);
            INDArray next = null;
            for (int step = 0; step < SETTLE_STEPS; step++) {
                next = net.output(in(window)).reshape(rows, 1);
                window = Nd4j.hstack(window.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(1, s.tau())), next);
            }
            return java.util.Arrays.stream(column(next)).mapToObj(v -> String.format("%.2f", v)).toArray(String[]::new);
        }

        /**
         * The k-step predictions whose chain settles elsewhere than the chains of most of its neighbours (up to
         * {@link #NEIGHBOURS} rows either side) settle.
         */
        private List<Spike> spikes(String[] settled) {
            List<Spike> out = new ArrayList<>();
            for (int r = 0; r < settled.length; r++) {
                final int row = r;
                long around = java.util.stream.IntStream.rangeClosed(r - NEIGHBOURS, r + NEIGHBOURS)
                        .filter(j -> j != row && j >= 0 && j < settled.length).count();
                long same = java.util.stream.IntStream.rangeClosed(r - NEIGHBOURS, r + NEIGHBOURS)
                        .filter(j -> j != row && j >= 0 && j < settled.length && settled[j].equals(settled[row])).count();
                if (2 * same < around) {
                    for (int i = 0; i < K_STEPS.length; i++) {
                        // row r's k-step prediction is x at index tau + k - 1 + r: d2l's time one more
                        out.add(new Spike(K_STEPS[i], s.tau() + K_STEPS[i] + r, kstep[i][r], settled[r]));
                    }
                }
            }
            out.sort(java.util.Comparator.comparingInt(Spike::k).thenComparingInt(Spike::time));
            return out;
        }

        double[] time(int from, int to) {
            double[] t = new double[to - from];
            for (int i = 0; i < t.length; i++) {
                t[i] = from + i + 1; // d2l's time axis runs 1..T
            }
            return t;
        }
    }

    static double[] column(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    static double mse(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum / a.length;
    }

    private void writeReport(Report report, Settings s, Run run, Result r) {
        report.paragraph("A sine with Gaussian noise is predicted from its last tau values by a small MLP (d2l 8.1). "
                + "One-step predictions look good; feeding predictions back in (multi-step) quickly decays to a "
                + "constant, and the k-step error grows with k — errors accumulate.");
        report.command("mvn -q compile exec:java -Dexec.args=\"run sequence --seed " + s.seed() + "\"");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("T", s.length());
        settings.put("noise std", s.noise());
        settings.put("tau", s.tau());
        settings.put("MLP", s.tau() + " -> " + s.hidden() + " ReLU -> 1, Xavier init");
        settings.put("loss", "MSE");
        settings.put("optimizer", "Adam lr " + s.lr());
        settings.put("batch", s.batch());
        settings.put("training examples", s.trainExamples());
        settings.put("epochs", s.epochs());
        settings.put("seed", s.seed());
        report.settings(settings);
        StringBuilder out = new StringBuilder();
        for (int e = 0; e < r.lossByEpoch().length; e++) {
            out.append(String.format("epoch %d, loss: %f%n", e + 1, r.lossByEpoch()[e]));
        }
        report.heading("Training").output(out.toString());
        List<List<?>> rows = new ArrayList<>();
        rows.add(List.of("one-step, all 996 predictions", fmt(r.onestepMse())));
        rows.add(List.of("one-step, test part (after example 600)", fmt(r.onestepTestMse())));
        rows.add(List.of(multistepLabel(s), fmt(r.multistepMse())));
        r.kStepMse().forEach((k, v) -> rows.add(List.of(k + "-step-ahead", fmt(v))));
        report.heading("Prediction error (MSE)").paragraph("The noise alone has variance " + fmt(s.noise() * s.noise())
                + ", the floor for any predictor.").table(List.of("prediction", "MSE"), rows);
        double[] all = run.time(0, s.length());
        report.figure("data", Charts.lines("Noisy sine", "time", "x", List.of(new Series("x", all, run.x))),
                "The data: sin(0.01 t) + N(0, 0.2^2)");
        report.figure("predictions", Charts.lines("One-step vs multi-step", "time", "x", List.of(
                new Series("data", all, run.x),
                new Series("1-step preds", run.time(s.tau(), s.length()), run.onestep),
                new Series("multistep preds", run.time(s.trainExamples() + s.tau(), s.length()),
                        java.util.Arrays.copyOfRange(run.multistep, s.trainExamples() + s.tau(), s.length())))),
                "One-step predictions follow the data; multi-step predictions from time "
                        + (s.trainExamples() + s.tau() + 1) + " decay");
        List<Series> k = new ArrayList<>();
        for (int i = 0; i < K_STEPS.length; i++) {
            int from = s.tau() + K_STEPS[i] - 1;
            k.add(new Series(K_STEPS[i] + "-step preds", run.time(from, from + run.kstep[i].length), run.kstep[i]));
        }
        report.figure("k-step", Charts.lines("k-step-ahead predictions", "time", "x", k),
                "The further ahead, the worse: 1, 4, 16 and 64-step-ahead predictions");
        spikes(report, r);
        report.metrics(r.metrics()).metric("seed", s.seed()).write();
    }

    private static String fmt(double v) {
        return String.format("%.4f", v);
    }

    /**
     * The spikes of the k-step curves explained from the data: every k-step prediction is its own chain of predictions
     * fed back in; where each chain settles shows which value it was heading for.
     */
    static void spikes(Report report, Result r) {
        List<String> values = new ArrayList<>(r.settleCounts().keySet());
        int chains = r.settleCounts().values().stream().mapToInt(Integer::intValue).sum();
        List<List<?>> settle = new ArrayList<>();
        values.forEach(v -> settle.add(List.of(v, r.settleCounts().get(v))));
        List<List<?>> rows = new ArrayList<>();
        for (int k : K_STEPS) {
            List<Spike> ofK = r.spikes().stream().filter(p -> p.k() == k).toList();
            String range = ofK.isEmpty() ? "—" : String.format("%.2f … %.2f", ofK.stream().mapToDouble(Spike::prediction)
                    .min().getAsDouble(), ofK.stream().mapToDouble(Spike::prediction).max().getAsDouble());
            rows.add(List.of(k + "-step", ofK.size(), range, ofK.stream().map(p -> p.time() + " (" + String.format(
                    "%.2f", p.prediction()) + " → " + p.settles() + ")").collect(java.util.stream.Collectors.joining(", "))));
        }
        List<Spike> first = r.spikes().stream().filter(p -> p.k() == K_STEPS[0]).toList();
        String start = first.isEmpty() ? "" : String.format(" Their %d-step predictions lie between %.2f and %.2f, "
                + "well between the two values: these chains start where the ways part.", K_STEPS[0],
                first.stream().mapToDouble(Spike::prediction).min().getAsDouble(),
                first.stream().mapToDouble(Spike::prediction).max().getAsDouble());
        String settled = values.stream().map(v -> v + " (" + r.settleCounts().get(v) + " chains)")
                .collect(java.util.stream.Collectors.joining(", "));
        report.heading("Spikes in the k-step curves").paragraph("Each k-step prediction is its own chain: 4 observed "
                + "values, then the model's predictions fed back in. Fed back for " + SETTLE_STEPS + " steps, the "
                + chains + " chains end at " + settled + ". A chain that ends elsewhere than the chains of most of its "
                + NEIGHBOURS + " neighbours either side was sent the other way by its 4 noisy starting values; after "
                + "k steps it is already on its way there, and drawn as a line it is a spike. The second table lists "
                + "these chains' k-step predictions at the times of the curves (the same chains in every row, shifted "
                + "by k)." + start)
                .table(List.of("a chain ends at (after " + SETTLE_STEPS + " steps)", "chains"), settle)
                .table(List.of("curve", "chains that end apart from most neighbours'", "their predictions (min … max)",
                        "time (prediction → where its chain ends)"), rows);
    }

    /**
     * "multi-step from time 605": d2l's {@code multistep_preds[n_train + tau:]}, on d2l's time axis, which counts from 1
     * (index 604 is time 605). Shared by the section and the sine exercise, so both name the same point alike.
     */
    public static String multistepLabel(Settings s) {
        return "multi-step from time " + (s.trainExamples() + s.tau() + 1) + " (d2l's time[n_train + tau:])";
    }
}
