package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-seq2seq and translate through the CLI, as a user runs them, on 128 real pairs. */
class TranslationCommandsTest {
    @TempDir
    static Path dir;
    static Path zip;
    static JsonNode trained;

    @BeforeAll
    static void train() {
        zip = dir.resolve("s2s.zip");
        Cli c = Cli.run("train-seq2seq", "--num-examples", "127", "--epochs", "25", "--save", zip.toString(), "--json");
        assertEquals(0, c.code(), c.err());
        trained = c.json();
    }

    @Test
    void trainingLearnsAndReportsEverything() {
        JsonNode loss = trained.get("loss_by_epoch");
        assertEquals(25, loss.size());
        assertTrue(loss.get(24).asDouble() < 0.7 * loss.get(0).asDouble(), "loss falls: " + loss);
        assertEquals(trained.get("loss").asDouble(), loss.get(24).asDouble());
        assertTrue(trained.get("tokens_per_sec").asDouble() > 0);
        assertEquals(128, trained.get("pairs").asInt());
        JsonNode translations = trained.get("translations");
        assertEquals(4, translations.size());
        for (JsonNode t : translations) {
            double bleu = t.get("bleu").asDouble();
            assertTrue(bleu >= 0 && bleu <= 1, t.toString());
        }
        assertTrue(Files.isRegularFile(zip));
    }

    @Test
    void translateInANewSessionGivesTheTrainingRunsTranslations() {
        JsonNode first = trained.get("translations").get(0);
        JsonNode greedy = Cli.run("translate", "--model", zip.toString(), "--json", "go .").json();
        assertEquals(first.get("greedy").asText(), greedy.get("translation").asText());
        JsonNode beam = Cli.run("translate", "--model", zip.toString(), "--beam", "2", "--json", "go .").json();
        assertEquals(first.get("beam_search").asText(), beam.get("translation").asText());
        JsonNode drifting = Cli.run("translate", "--model", zip.toString(), "--context", "drifting", "--json", "go .").json();
        assertEquals(first.get("greedy_drifting_context").asText(), drifting.get("translation").asText());
    }

    @Test
    void unknownWordsBecomeUnkAndAreReported() {
        Cli c = Cli.run("translate", "--model", zip.toString(), "--json", "Go zzyzx!");
        assertEquals(0, c.code(), c.err());
        assertEquals("zzyzx", c.json().get("unknown_words").get(0).asText());
        assertTrue(c.err().contains("<unk>"), "a warning names the fallback: " + c.err());
    }

    @Test
    void badInputGetsOneLineErrors() {
        Cli.run("translate", "--model", zip.toString(), "  ").errorMentions("nothing to translate");
        Cli.run("translate", "--model", zip.toString(), "a b c d e f g h i j k l").errorMentions("--num-steps");
        Cli.run("translate", "--model", zip.toString(), "--beam", "0", "go .").errorMentions("--beam");
        Cli.run("translate", "--model", dir.resolve("none.zip").toString(), "go .").errorMentions("not found");
        Cli.run("translate", "--model", zip.toString(), "--context", "sideways", "go .").errorMentions("--context");
        Cli.run("generate", "--model", zip.toString()).errorMentions("train-lm");
        Cli.run("train-seq2seq", "--epochs", "0").errorMentions("--epochs");
        Cli.run("train-seq2seq", "--seed", "0").errorMentions("--seed");
        Cli.run("train-seq2seq", "--dropout", "1").errorMentions("--dropout");
        Cli.run("train-seq2seq", "--decoder", "samediff").errorMentions("--dropout 0");
        Cli.run("train-seq2seq", "--num-steps", "1").errorMentions("--num-steps");
    }

    @Test
    void anUnwritableSavePathFailsBeforeTrainingStarts() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        Cli c = Cli.run("train-seq2seq", "--epochs", "300", "--save", file.resolve("s2s.zip").toString());
        c.errorMentions("writable");
        assertTrue(!c.out().contains("epoch"), "no training before the error: " + c.out());
        Cli.run("train-lm", "--epochs", "500", "--save", file.resolve("lm.zip").toString()).errorMentions("writable");
    }
}
