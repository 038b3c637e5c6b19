package org.d2l.rnn.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.Map;
import org.d2l.rnn.UserError;

/**
 * What a model is and how it came to be (its provenance, as Tribuo records it): stored as JSON inside every
 * exported zip, so a model found on disk says which settings, data and seed made it.
 *
 * @param task       {@code language-model} or {@code seq2seq}: what the zip can be loaded for
 * @param spec       the architecture (language models)
 * @param tokenizer  how text is cut into tokens ({@code CHAR} or {@code WORD})
 * @param dataset    the corpus it was trained on
 * @param dataSha1   sha1 of the token-index stream it saw, so "same data" can be checked
 * @param settings   every training setting (epochs, batch, steps, optimizer, lr, clip, sampling, ...)
 * @param seed       the seed of the run
 * @param metrics    what training measured (final perplexity, tokens/s, ...)
 * @param created    ISO-8601 time of export
 * @param software   versions of this project and of DL4J
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(String task, ModelSpec spec, String tokenizer, String dataset, String dataSha1,
                        Map<String, Object> settings, long seed, Map<String, Object> metrics, String created,
                        Map<String, String> software) {
    public static final String LANGUAGE_MODEL = "language-model";
    public static final String SEQ2SEQ = "seq2seq";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ModelCard fromJson(String json, String source) {
        try {
            return JSON.readValue(json, ModelCard.class);
        } catch (JsonProcessingException e) {
            throw new UserError(source + " has an unreadable model card (" + e.getOriginalMessage()
                    + "); re-export the model");
        }
    }

    public static Map<String, String> currentSoftware() {
        return Map.of("d2l-rnn-dl4j", "0.1.0", "deeplearning4j", "1.0.0-M2.1", "java", System.getProperty("java.version"));
    }
}
