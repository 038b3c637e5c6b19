package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusCommandTest {
    @Test
    void charCorpusOfTheTimeMachineAsJson() {
        Cli r = Cli.run("corpus", "--dataset", "time-machine", "--token", "char", "--show-lines", "0", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals(3221, j.get("lines").asInt());
        assertEquals(170_580, j.get("tokens").asInt());
        assertEquals(28, j.get("vocab_size").asInt());
        assertEquals("<unk>", j.get("vocab_head").get(0).get(0).asText());
        assertEquals(" ", j.get("vocab_head").get(1).get(0).asText());
        assertEquals(1, j.get("vocab_head").get(1).get(1).asInt());
        assertEquals(3, j.get("line_indices").get("0").get(0).asInt(), "'t' is index 3");
    }

    @Test
    void wordCorpusLinesAsD2lIndexes() {
        JsonNode j = Cli.run("corpus", "--dataset", "time-machine", "--token", "word", "--show-lines", "0,10", "--json").json();
        assertEquals(32_775, j.get("tokens").asInt());
        assertEquals(4_580, j.get("vocab_size").asInt());
        assertEquals("[1,19,50,40,2183,2184,400]", j.get("line_indices").get("0").toString());
        assertEquals("[2186,3,25,1044,362,113,7,1421,3,1045,1]", j.get("line_indices").get("10").toString());
    }

    @Test
    void minFreqShrinksTheVocabulary() {
        JsonNode j = Cli.run("corpus", "--dataset", "time-machine", "--token", "word", "--min-freq", "3", "--json").json();
        assertTrue(j.get("vocab_size").asInt() < 4580 / 2, j.toString());
    }

    @Test
    void jayChouFirst10000Chars() {
        JsonNode j = Cli.run("corpus", "--dataset", "jay-chou", "--json").json();
        assertEquals(10_000, j.get("tokens").asInt());
        assertEquals(1027, j.get("distinct_tokens").asInt());
    }

    @Test
    void firstMinibatchOfALocalFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("abc.txt");
        Files.writeString(f, "abcdefghijklmnopqrstuvwxyz\n".repeat(4));
        JsonNode j = Cli.run("corpus", "--dataset", "file:" + f, "--steps", "5", "--batch", "2", "--sampling",
                "sequential", "--json").json();
        JsonNode x = j.get("first_batch").get("x");
        JsonNode y = j.get("first_batch").get("y");
        assertEquals(5, x.get(0).size());
        assertEquals(x.get(0).get(1).asInt(), y.get(0).get(0).asInt(), "labels are inputs shifted by one");
    }

    @Test
    void badInputsAreOneLineErrors(@TempDir Path dir) throws Exception {
        Cli.run("corpus", "--dataset", "nope").errorMentions("known: time-machine");
        Cli.run("corpus", "--dataset", "jay-chou", "--token", "word").errorMentions("--token char");
        Cli.run("corpus", "--dataset", "time-machine", "--token", "byte").errorMentions("word, char");
        Cli.run("corpus", "--dataset", "time-machine", "--show-lines", "5000").errorMentions("3221 lines");
        Cli.run("corpus", "--dataset", "time-machine", "--min-freq", "-1").errorMentions("--min-freq");
        Cli.run("corpus", "--dataset", "time-machine", "--min-freq", "abc").errorMentions("--min-freq");
        Cli.run("corpus").errorMentions("--dataset");
        Path small = dir.resolve("small.txt");
        Files.writeString(small, "just a few words here");
        Cli.run("corpus", "--dataset", "file:" + small, "--steps", "35", "--batch", "32").errorMentions("too short for --batch 32 --steps 35");
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        Cli.run("corpus", "--dataset", "file:" + empty).errorMentions("empty");
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1));
        Cli.run("corpus", "--dataset", "file:" + latin1).errorMentions("UTF-8");
        Cli.run("corpus", "--dataset", "file:" + dir.resolve("missing.txt")).errorMentions("missing.txt");
        Cli.run("corpus", "--dataset", "fra-eng").errorMentions("mt-data");
    }
}
