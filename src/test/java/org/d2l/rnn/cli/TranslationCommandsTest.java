package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        assertEquals(first.get("greedy").asText(), greedy.at("/translations/0/translation").asText());
        JsonNode beam = Cli.run("translate", "--model", zip.toString(), "--beam", "2", "--json", "go .").json();
        assertEquals(first.get("beam_search").asText(), beam.at("/translations/0/translation").asText());
        JsonNode drifting = Cli.run("translate", "--model", zip.toString(), "--context", "drifting", "--json", "go .").json();
        assertEquals(first.get("greedy_drifting_context").asText(), drifting.at("/translations/0/translation").asText());
    }

    /** Several sentences, one model load: batched greedy decoding gives what one sentence at a time gives. */
    @Test
    void severalSentencesFromArgumentsAFileOrStandardInputTranslateAsOneByOne() throws Exception {
        List<String> sentences = new ArrayList<>();
        trained.get("translations").forEach(t -> sentences.add(t.get("source").asText()));
        sentences.add("i lost zzyzx .");
        List<String> args = new ArrayList<>(List.of("translate", "--model", zip.toString(), "--batch", "3", "--json"));
        args.addAll(sentences);
        Cli together = Cli.run(args.toArray(String[]::new));
        assertEquals(0, together.code(), together.err());
        JsonNode list = together.json().get("translations");
        assertEquals(sentences.size(), list.size());
        for (int i = 0; i < sentences.size(); i++) {
            JsonNode alone = Cli.run("translate", "--model", zip.toString(), "--json", sentences.get(i)).json()
                    .at("/translations/0");
            JsonNode t = list.get(i);
            assertEquals(sentences.get(i), t.get("source").asText());
            assertEquals(alone.get("translation").asText(), t.get("translation").asText(), sentences.get(i));
            assertEquals(alone.get("ended_with_eos"), t.get("ended_with_eos"));
            assertEquals(alone.get("log_probability").asDouble(), t.get("log_probability").asDouble(), 1e-4,
                    "a batch of 3 rounds differently from a batch of 1, not more");
        }
        assertTrue(list.get(sentences.size() - 1).get("unknown_words").toString().contains("zzyzx"),
                list.get(sentences.size() - 1).toString());
        List<String> printed = together.out().lines().toList();
        for (int i = 0; i < sentences.size(); i++) {
            assertEquals(list.get(i).get("translation").asText(), printed.get(i), "one translation per line, in order");
        }

        Path file = dir.resolve("sentences.txt");
        Files.write(file, List.of(sentences.get(0), "", sentences.get(1)), StandardCharsets.UTF_8);
        JsonNode fromFile = Cli.run("translate", "--model", zip.toString(), "--input", file.toString(), "--json").json();
        assertEquals(2, fromFile.get("translations").size(), "blank lines are skipped");
        assertEquals(list.get(1).get("translation"), fromFile.at("/translations/1/translation"));

        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream((sentences.get(2) + "\n").getBytes(StandardCharsets.UTF_8)));
            JsonNode fromStdin = Cli.run("translate", "--model", zip.toString(), "--input", "-", "--beam", "2",
                    "--json").json();
            assertEquals(1, fromStdin.get("translations").size());
            assertEquals(2, fromStdin.get("beam").asInt());
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void unknownWordsBecomeUnkAndAreReported() {
        Cli c = Cli.run("translate", "--model", zip.toString(), "--json", "Go zzyzx!");
        assertEquals(0, c.code(), c.err());
        assertEquals("zzyzx", c.json().at("/translations/0/unknown_words/0").asText());
        assertTrue(c.err().contains("<unk>"), "a warning names the fallback: " + c.err());
    }

    @Test
    void badInputGetsOneLineErrors() {
        Cli.run("translate", "--model", zip.toString(), "  ").errorMentions("nothing to translate");
        Cli.run("translate", "--model", zip.toString(), "a b c d e f g h i j k l").errorMentions("--num-steps");
        Cli.run("translate", "--model", zip.toString(), "--beam", "0", "go .").errorMentions("--beam");
        Cli.run("translate", "--model", dir.resolve("none.zip").toString(), "go .").errorMentions("not found");
        Cli.run("translate", "--model", zip.toString(), "--context", "sideways", "go .").errorMentions("--context");
        Cli.run("translate", "--model", zip.toString()).errorMentions("--input");
        Cli.run("translate", "--model", zip.toString(), "--input", dir.resolve("none.txt").toString())
                .errorMentions("not found");
        Cli.run("translate", "--model", zip.toString(), "--input", dir.toString()).errorMentions("cannot read --input");
        Cli.run("translate", "--model", zip.toString(), "--input", "-", "go .").errorMentions("not both");
        Cli.run("translate", "--model", zip.toString(), "--batch", "0", "go .").errorMentions("--batch");
        Cli.run("translate", "--model", zip.toString(), "go .", "a b c d e f g h i j k l").errorMentions("sentence 2:");
        Cli.run("generate", "--model", zip.toString()).errorMentions("train-lm");
        Cli.run("train-seq2seq", "--epochs", "0").errorMentions("--epochs");
        Cli.run("train-seq2seq", "--seed", "0").errorMentions("--seed");
        Cli.run("train-seq2seq", "--dropout", "1").errorMentions("--dropout");
        Cli.run("train-seq2seq", "--decoder", "jit").errorMentions("one of: fused, samediff");
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
