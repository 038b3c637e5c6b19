package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-lm and generate through the CLI, as a user runs them, on small settings. */
class TrainLmCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainExportThenGenerateTheSameTextInANewSession() {
        Path zip = dir.resolve("lm.zip");
        Cli train = Cli.run("train-lm", "--model", "lstm", "--hidden", "32", "--epochs", "3", "--max-tokens", "3000",
                "--batch", "8", "--steps", "20", "--optimizer", "adam", "--lr", "0.01", "--save", zip.toString(), "--json");
        assertEquals(0, train.code(), train.err());
        JsonNode j = train.json();
        assertEquals(3, j.get("perplexity_by_epoch").size());
        assertTrue(j.get("perplexity").asDouble() < j.get("perplexity_by_epoch").get(0).asDouble());
        assertTrue(j.get("tokens_per_sec").asDouble() > 0);
        String sample = j.get("sample").asText();
        assertTrue(sample.startsWith("time traveller"));
        assertTrue(Files.isRegularFile(zip));

        JsonNode g = Cli.run("generate", "--model", zip.toString(), "--prefix", "time traveller", "--length", "50",
                "--json").json();
        assertEquals(sample, g.get("text").asText(), "same greedy text as at the end of training");
        JsonNode hot = Cli.run("generate", "--model", zip.toString(), "--temperature", "1.5", "--seed", "3", "--json").json();
        assertEquals(hot.get("text").asText(), Cli.run("generate", "--model", zip.toString(), "--temperature", "1.5",
                "--seed", "3", "--json").json().get("text").asText(), "sampling is repeatable with a seed");
    }

    @Test
    void sameSeedSameNumbers() {
        String[] args = {"train-lm", "--model", "gru", "--hidden", "16", "--epochs", "2", "--max-tokens", "2000",
            "--batch", "4", "--steps", "10", "--sampling", "random", "--seed", "5", "--save",
            dir.resolve("s.zip").toString(), "--json"};
        JsonNode a = Cli.run(args).json();
        JsonNode b = Cli.run(args).json();
        assertEquals(a.get("perplexity_by_epoch"), b.get("perplexity_by_epoch"));
        assertEquals(a.get("sample"), b.get("sample"));
    }

    @Test
    void badValuesAreOneLineErrors() throws Exception {
        Cli.run("train-lm", "--epochs", "0").errorMentions("--epochs");
        Cli.run("train-lm", "--epochs", "-1").errorMentions("--epochs");
        Cli.run("train-lm", "--hidden", "0").errorMentions("--hidden");
        Cli.run("train-lm", "--batch", "0").errorMentions("--batch");
        Cli.run("train-lm", "--lr", "-0.1").errorMentions("--lr");
        Cli.run("train-lm", "--model", "transformer").errorMentions("--model 'transformer'");
        Cli.run("train-lm", "--optimizer", "rmsprop").errorMentions("--optimizer");
        Cli.run("train-lm", "--seed", "0").errorMentions("--seed must not be 0");
        Cli.run("run", "sequence", "--seed", "0").errorMentions("--seed must not be 0");
        Cli.run("train-lm", "--steps", "5000", "--epochs", "1").errorMentions("too short");
        Cli.run("train-lm", "--max-tokens", "200", "--epochs", "1").errorMentions("too short");
        Cli.run("generate", "--model", dir.resolve("none.zip").toString()).errorMentions("not found");
        Path notZip = Files.writeString(dir.resolve("x.zip"), "hello");
        Cli.run("generate", "--model", notZip.toString()).errorMentions("not a model exported by this project");
        Cli.run("generate", "--model", notZip.toString(), "--length", "-2").errorMentions("--length");
        Cli.run("train-lm", "--dataset", "file:" + dir, "--epochs", "1").errorMentions(dir.toString());
        Path latin1 = Files.write(dir.resolve("latin1.txt"), "caf\u00e9 au lait ".repeat(300)
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Cli.run("train-lm", "--dataset", "file:" + latin1, "--epochs", "1").errorMentions("UTF-8");
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        Cli.run("train-lm", "--dataset", "file:" + empty, "--epochs", "1").errorMentions("empty");
    }
}
