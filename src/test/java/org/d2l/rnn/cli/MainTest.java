package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void listNamesEverySectionAndCommand() {
        Cli r = Cli.run("list", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertTrue(j.get("sections").toString().contains("text-preprocessing"));
        for (String c : new String[] {"run", "corpus", "zipf", "list"}) {
            assertTrue(j.get("commands").has(c), c);
        }
    }

    @Test
    void helpEverywhere() {
        for (String c : new String[] {"run", "corpus", "zipf", "list"}) {
            Cli r = Cli.run(c, "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().contains("Usage:"), c);
        }
        assertTrue(Cli.run("--help").out().contains("corpus"));
    }

    @Test
    void zipfExponentsAsJson() {
        JsonNode j = Cli.run("zipf", "--dataset", "time-machine", "--json").json();
        double uni = j.get("unigram_exponent").asDouble();
        double bi = j.get("bigram_exponent").asDouble();
        double tri = j.get("trigram_exponent").asDouble();
        assertTrue(uni > 0.7 && uni < 1.5, "unigram " + uni);
        assertTrue(bi < uni && tri < bi, "longer n-grams fall off more slowly: " + j);
        assertEquals("the", j.get("top_unigrams").get(0).get(0).asText());
    }

    @Test
    void mtDataHasD2lsVocabularySizes() {
        JsonNode j = Cli.run("mt-data", "--num-examples", "600", "--json").json();
        assertEquals(601, j.get("pairs").asInt(), "d2l reads one line more than num_examples");
        assertEquals(184, j.get("src_vocab_size").asInt());
        assertEquals(201, j.get("tgt_vocab_size").asInt());
        assertEquals(2, j.get("first_batch").get("X").size());
        assertEquals("[9,4,3,1,1,1,1,1]", j.get("first_batch").get("X").get(0).toString(), "go . <eos> <pad>...");
    }

    @Test
    void bleuAsJson() {
        assertEquals(1.0, Cli.run("bleu", "--pred", "va !", "--label", "va !", "--k", "2", "--json").json().get("bleu").asDouble());
        assertEquals(0.658, Cli.run("bleu", "--pred", "il est mouillé .", "--label", "il est calme .", "--json").json()
                .get("bleu").asDouble(), 1e-3);
        Cli.run("bleu", "--pred", "a", "--label", "a", "--k", "0").errorMentions("--k");
        Cli.run("bleu", "--pred", "a").errorMentions("--label");
    }

    @Test
    void unknownCommandsAndFlagsAreOneLineErrors() {
        Cli.run("frobnicate", "--x", "1").errorMentions("Unknown command 'frobnicate'");
        Cli.run("corpus", "--dataset", "time-machine", "--bogus").errorMentions("--bogus");
        Cli.run("run", "nope").errorMentions("known: sequence");
        Cli.run("run", "sequence", "--epochs", "0").errorMentions("--epochs");
        Cli.run("run", "sequence", "--epochs", "-3").errorMentions("--epochs");
        Cli.run("--threads", "0", "list").errorMentions("--threads");
    }
}
