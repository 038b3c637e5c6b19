package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Zips exported before the issue-19 redesign (commit 3b955ff: camelCase checkpoint.json, cards without platform or
 * seq2seq spec, the layer classes before the kernel adapter) still load, and generate, translate and resume exactly
 * as that version did. The expected texts and numbers are what 3b955ff printed for the same commands; the zips are
 * in src/test/resources/compat (tiny models: hidden 16, 2 epochs of Adam on 3,000 characters; seq2seq on 100 pairs).
 * The numbers were printed by {@code mvn exec:java}; this JVM (surefire's launch line) rounds float sgemm results
 * differently in the 7th digit (the new code under exec:java prints them exactly), hence {@link #FLOAT_DIGITS}.
 */
class OldModelsTest {
    /** Relative agreement of numbers computed in float by another launch path: far below any real change. */
    private static final double FLOAT_DIGITS = 1e-6;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rnn    | time traveller the the the the the the the t | time travellernreche f bdhineer ay is shtrenf hesil ob",
        "gru    | time traveller an an an an an an an an an an | time travellersseche weyndaot metleis shtrttues sou ov",
        "lstm   | time traveller an t an t an t an t an t an t | time travellerhhtfre ceysrinetretu io srtling otsom ip",
        "bi-gru | time travellerererererererererererererererer | time travellerrregloaceysdnonnuoof olthinwasw herhh op"})
    void languageModelsGenerateWhatTheyDidWhenExported(String kind, String greedy, String sampled) throws IOException {
        Path zip = resource(kind + "-tiny.zip");
        JsonNode g = json("generate", "--model", zip.toString(), "--prefix", "time traveller", "--length", "30");
        assertEquals(kind, g.get("kind").asText());
        assertEquals(greedy, g.get("text").asText());
        // sampling from the softmax with a fixed seed: any change in the probabilities shows in the letters
        JsonNode s = json("generate", "--model", zip.toString(), "--prefix", "time traveller", "--length", "40",
                "--temperature", "1", "--seed", "7");
        assertEquals(sampled, s.get("text").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "go .        | <unk> !       | -0.763815451413393",
        "i lost .    | soyez <unk> ! | -3.3903455045074224",
        "he's calm . | <unk> <unk> . | -3.0157173797488213"})
    void aSeq2SeqModelTranslatesAsItDidWhenExported(String source, String translation, double logP) throws IOException {
        JsonNode t = json("translate", "--model", resource("seq2seq-tiny.zip").toString(), "--beam", "2", source)
                .at("/translations/0");
        assertEquals(translation, t.get("translation").asText());
        assertEquals(logP, t.get("log_probability").asDouble(), FLOAT_DIGITS * Math.abs(logP));
    }

    @Test
    void aCamelCaseCheckpointResumesWhereItStopped() throws IOException {
        Path ckpt = resource("checkpoint-rnn-tiny.zip");
        JsonNode r = json("train-lm", "--resume", ckpt.toString(), "--epochs", "3", "--save",
                dir.resolve("resumed.zip").toString(), "--checkpoint-every", "1", "--checkpoint",
                dir.resolve("ckpt.zip").toString());
        JsonNode ppl = r.get("perplexity_by_epoch");
        assertEquals(3, ppl.size());
        // the first two come from the old checkpoint.json, the third is what 3b955ff trained from it
        assertEquals(18.776302850249095, ppl.get(0).asDouble(), 0);
        assertEquals(14.101153339664926, ppl.get(1).asDouble(), 0);
        assertEquals(11.680380190300314, ppl.get(2).asDouble(), FLOAT_DIGITS * 11.68);
        assertEquals("time traveller the the the the the the the the the the the the t", r.get("sample").asText());
        String written = org.d2l.rnn.models.ModelBundle.extraObject(dir.resolve("ckpt.zip"), "checkpoint.json");
        assertTrue(written.contains("\"epochs_done\":3") && !written.contains("epochsDone"),
                "a new checkpoint is written in the one JSON naming: " + written);
    }

    private static JsonNode json(String... args) {
        String[] withJson = java.util.Arrays.copyOf(args, args.length + 1);
        withJson[args.length] = "--json";
        Cli c = Cli.run(withJson);
        assertEquals(0, c.code(), c.err());
        return c.json();
    }

    /** A copy of the committed zip: resuming writes beside it, and the resources stay as committed. */
    private Path resource(String name) throws IOException {
        Path copy = dir.resolve(name);
        if (!Files.exists(copy)) {
            try (InputStream in = OldModelsTest.class.getResourceAsStream("/compat/" + name)) {
                Files.copy(java.util.Objects.requireNonNull(in, name + " missing from src/test/resources/compat"), copy);
            }
        }
        return copy;
    }
}
