package org.d2l.rnn.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.d2l.rnn.BuildInfo;
import org.d2l.rnn.UserError;
import org.d2l.rnn.io.Json;
import org.d2l.rnn.nn.VectorSupport;
import org.d2l.rnn.runtime.NativeRuntime;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What a model is and how it came to be (its provenance, as Tribuo records it): stored as JSON inside every
 * exported zip, so a model found on disk says which settings, data, seed and machine made it. Written and read in
 * the project's JSON naming ({@link Json}); cards of older zips (no {@code platform}, no seq2seq {@code spec})
 * still load.
 *
 * @param task       {@code language-model} or {@code seq2seq}: what the zip can be loaded for
 * @param spec       the architecture: a {@link ModelSpec} for language models ({@link #languageModelSpec()}), the
 *                   seq2seq graph's settings for translation models
 * @param tokenizer  how text is cut into tokens ({@code CHAR} or {@code WORD})
 * @param dataset    the corpus it was trained on
 * @param dataSha1   sha1 of the token-index stream it saw, so "same data" can be checked
 * @param settings   every training setting (epochs, batch, steps, optimizer, lr, clip, sampling, ...)
 * @param seed       the seed of the run
 * @param metrics    what training measured (final perplexity, tokens/s, ...)
 * @param created    ISO-8601 time of export
 * @param software   versions of this project and of DL4J, from the build
 * @param platform   where it was trained: OS, architecture, the BLAS library and the kernels' step-math path —
 *                   the same seed repeats its numbers only on the same path ({@code VectorStepMath} and
 *                   {@code Nd4jStepMath} round differently)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(String task, JsonNode spec, String tokenizer, String dataset, String dataSha1,
                        Map<String, Object> settings, long seed, Map<String, Object> metrics, String created,
                        Map<String, String> software, Map<String, String> platform) {
    public static final String LANGUAGE_MODEL = "language-model";
    public static final String SEQ2SEQ = "seq2seq";

    /** The card of a language model trained now, on this machine. */
    public static ModelCard languageModel(ModelSpec spec, String tokenizer, String dataset, String dataSha1,
                                          Map<String, Object> settings, long seed, Map<String, Object> metrics) {
        String stepMath = spec.kind().scratch() ? "none (SameDiff)" : VectorSupport.stepMath(DataType.FLOAT, spec.hidden());
        return new ModelCard(LANGUAGE_MODEL, Json.SNAKE_CASE.valueToTree(spec), tokenizer, dataset, dataSha1, settings,
                seed, metrics, Instant.now().toString(), currentSoftware(), currentPlatform(stepMath));
    }

    /** The card of a seq2seq model trained now: {@code spec} is its graph's settings, {@code hidden} its GRU size. */
    public static ModelCard seq2seq(Object spec, long hidden, String dataset, String dataSha1,
                                    Map<String, Object> settings, long seed, Map<String, Object> metrics) {
        return new ModelCard(SEQ2SEQ, Json.SNAKE_CASE.valueToTree(spec), "WORD", dataset, dataSha1, settings, seed,
                metrics, Instant.now().toString(), currentSoftware(),
                currentPlatform(VectorSupport.stepMath(DataType.FLOAT, hidden)));
    }

    /** The architecture of a language model's card. */
    public ModelSpec languageModelSpec() {
        try {
            return Json.SNAKE_CASE.treeToValue(spec, ModelSpec.class);
        } catch (JsonProcessingException e) {
            throw new UserError("the model card's spec is not a language model's (" + e.getOriginalMessage()
                    + "); re-export the model");
        }
    }

    public String toJson() {
        try {
            return Json.SNAKE_CASE.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ModelCard fromJson(String json, String source) {
        try {
            return Json.SNAKE_CASE.readValue(json, ModelCard.class);
        } catch (JsonProcessingException e) {
            throw new UserError(source + " has an unreadable model card (" + e.getOriginalMessage()
                    + "); re-export the model");
        }
    }

    public static Map<String, String> currentSoftware() {
        return Map.of(BuildInfo.name(), BuildInfo.version(), "deeplearning4j", BuildInfo.deeplearning4j(), "java",
                System.getProperty("java.version"));
    }

    /** This machine: OS, architecture, the BLAS library ND4J loaded, and the given step-math path. */
    public static Map<String, String> currentPlatform(String stepMath) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        p.put("arch", System.getProperty("os.arch"));
        p.put("blas", NativeRuntime.blasDescription());
        p.put("step_math", stepMath);
        return p;
    }
}
