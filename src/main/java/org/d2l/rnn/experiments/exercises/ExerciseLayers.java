package org.d2l.rnn.experiments.exercises;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmResult;

/** d2l 9.3 exercise: 1, 2 or 3 stacked recurrent layers. */
public final class ExerciseLayers extends LmExercise {
    private static final int[] LAYERS = {1, 2, 3};

    @Override
    protected String topic() {
        return "layers";
    }

    @Override
    public String title() {
        return "9.3 exercise: 1, 2 or 3 recurrent layers";
    }

    @Override
    public String question() {
        return "How do perplexity and cost change with the number of stacked recurrent layers (1, 2, 3)? "
                + "(d2l 9.3, exercises)";
    }

    @Override
    protected String setup() {
        return "The RNN (hidden 256 per layer) with 1, 2 and 3 stacked SimpleRnn layers, same seed and settings.";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return java.util.Arrays.stream(LAYERS).mapToObj(l -> new Variant(l + (l == 1 ? " layer" : " layers"),
                base(seed).optLayers(l).build())).toList();
    }

    @Override
    protected String answer(Map<String, LmResult> runs) {
        StringBuilder a = new StringBuilder();
        for (int l : LAYERS) {
            LmResult r = runs.get(l + (l == 1 ? " layer" : " layers"));
            a.append(String.format("%d layer(s): perplexity %s, %,d parameters, %.2f s/epoch; ", l, ppl(r), r.params(),
                    secondsPerEpoch(r)));
        }
        LmResult one = runs.get("1 layer");
        LmResult three = runs.get("3 layers");
        // cost per epoch against one layer's, beside the layer count: "proportional" only within 15% of it
        StringBuilder cost = new StringBuilder();
        boolean proportional = true;
        for (int l : LAYERS) {
            if (l == 1) {
                continue;
            }
            double ratio = secondsPerEpoch(runs.get(l + " layers")) / secondsPerEpoch(one);
            cost.append(cost.isEmpty() ? "" : ", ").append(String.format("×%.2f for %d layers", ratio, l));
            proportional &= Math.abs(ratio - l) < 0.15 * l;
        }
        String costs = "each epoch costs " + cost + " against one layer's"
                + (proportional ? ", about proportional to the depth" : ", not proportional to the depth (the runs "
                + "shared the machine with other work, so these times are rough)");
        a.append(one.diverged() == null && three.diverged() == null && three.perplexity() < one.perplexity()
                ? "depth buys a lower training perplexity; " + costs + "."
                : "more layers did not lower the training perplexity within 100 epochs — a deeper plain RNN is "
                + "harder to train at the same learning rate; " + costs + ".");
        return a.toString();
    }
}
