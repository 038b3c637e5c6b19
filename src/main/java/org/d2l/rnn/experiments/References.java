package org.d2l.rnn.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.d2l.rnn.io.Json;
import org.d2l.rnn.report.LmReport.Reference;

/**
 * The PyTorch reference runs (../shared/reference/pytorch, same settings, seed 0), with their per-epoch histories.
 * The histories are copied from {@code runs/*.json} into this package's {@code reference/} resources (perplexity or
 * loss and seconds per epoch, the run's summary and command), so that a report can overlay the reference's curve
 * wherever the project is built, without the shared folder.
 */
enum References {
    TM_RNN_SCRATCH_SEQ("tm_rnn-scratch_seq_500", "PyTorch d2l RNN from scratch", Epochs.TM),
    TM_RNN_SCRATCH_RANDOM("tm_rnn-scratch_rand_500", "PyTorch d2l RNN from scratch, random sampling", Epochs.TM),
    TM_RNN("tm_rnn_seq_500", "PyTorch nn.RNN", Epochs.TM),
    TM_GRU("tm_gru_seq_500", "PyTorch nn.GRU (concise)", Epochs.TM),
    TM_GRU_SCRATCH("tm_gru-scratch_seq_500", "PyTorch d2l GRU from scratch", Epochs.TM),
    TM_LSTM("tm_lstm_seq_500", "PyTorch nn.LSTM (concise)", Epochs.TM),
    TM_LSTM_SCRATCH("tm_lstm-scratch_seq_500", "PyTorch d2l LSTM from scratch", Epochs.TM),
    TM_DEEP_LSTM("tm_deep-lstm_seq_500", "PyTorch 2-layer nn.LSTM", Epochs.TM),
    TM_BI_LSTM_30("tm_bi-lstm_seq_30", "PyTorch 2-layer bidirectional nn.LSTM (30 epochs only)", List.of(1, 10, 20, 30)),
    JAY_CHOU_RNN("jaychou_rnn_250_clip", "PyTorch nn.RNN, Adam, θ = 0.01", Epochs.JAY_CHOU);

    /** The epochs the trajectory tables list. */
    private static final class Epochs {
        static final List<Integer> TM = List.of(1, 50, 100, 200, 300, 400, 500);
        static final List<Integer> JAY_CHOU = List.of(1, 50, 100, 150, 200, 250);
    }

    private final String file;
    private final String label;
    private final List<Integer> checkpoints;
    private Reference loaded;

    References(String file, String label, List<Integer> checkpoints) {
        this.file = file;
        this.label = label;
        this.checkpoints = checkpoints;
    }

    /** The run, read when first asked for (a missing file fails only the section that uses it). */
    synchronized Reference get() {
        if (loaded == null) {
            loaded = load(file, label, checkpoints);
        }
        return loaded;
    }

    /** The reference run {@code reference/<file>.json}. */
    static Reference load(String file, String name, List<Integer> checkpoints) {
        JsonNode run = read(file);
        double[] ppl = new double[run.get("perplexity_by_epoch").size()];
        for (int i = 0; i < ppl.length; i++) {
            ppl[i] = run.get("perplexity_by_epoch").get(i).asDouble();
        }
        JsonNode gens = run.path("summary").path("generations");
        String generation = gens.isObject() && gens.size() > 0 ? gens.elements().next().asText() : null;
        return new Reference(name, run.get("source").asText(), run.path("command").asText(null), ppl, checkpoints,
                generation, run.path("summary").path("tokens_per_sec_overall").asDouble(Double.NaN));
    }

    static JsonNode read(String file) {
        try (InputStream in = References.class.getResourceAsStream("reference/" + file + ".json")) {
            if (in == null) {
                throw new IllegalStateException("reference/" + file + ".json is missing from the classpath");
            }
            return Json.SNAKE_CASE.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
