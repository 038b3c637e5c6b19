package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.d2l.rnn.BuildInfo;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.jobs.TranslationSettings;
import org.d2l.rnn.models.ModelKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What is written once stays the one source: the model kinds (help, list), the defaults (settings builders),
 * the versions (the build), the --epochs rule.
 */
class OneSourceTest {
    private static final LmSettings LM = LmSettings.builder().build();
    private static final TranslationSettings MT = TranslationSettings.builder().build();

    @ParameterizedTest
    @EnumSource(ModelKind.class)
    void listNamesEveryKindWithItsLine(ModelKind kind) {
        Cli list = Cli.run("list", "--json");
        assertTrue(list.out().replaceAll("\\s+", " ").contains(kind.cliName() + " " + kind.help()), list.out());
        assertEquals(kind.help(), list.json().get("models").get(kind.cliName()).asText());
    }

    @ParameterizedTest
    @EnumSource(ModelKind.class)
    void trainLmHelpNamesEveryKindWithItsLine(ModelKind kind) {
        String help = Cli.run("train-lm", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains(" " + kind.cliName() + ",") || help.contains(" " + kind.cliName() + " (default"),
                "--model description lacks " + kind.cliName() + ": " + help);
        assertTrue(help.contains(kind.cliName() + " " + kind.help()), "Models section lacks " + kind + ": " + help);
    }

    @Test
    void helpShowsTheSettingsDefaults() {
        String lm = Cli.run("train-lm", "--help").out().replaceAll("\\s+", " ");
        assertTrue(lm.contains("(default " + LM.epochs() + ")"), lm);
        assertTrue(lm.contains("Hidden units (default " + LM.hidden() + ")"), lm);
        assertTrue(lm.contains("(default " + LM.model().cliName() + ")"), lm);
        String mt = Cli.run("train-seq2seq", "--help").out().replaceAll("\\s+", " ");
        assertTrue(mt.contains("Epochs (default " + MT.epochs() + ")"), mt);
        assertTrue(mt.contains("Adam learning rate (default " + MT.lr() + ")"), mt);
        assertTrue(mt.contains("Pairs to read, 0 = all (default " + MT.numExamples() + ")"), mt);
    }

    @Test
    void versionComesFromTheBuild() {
        String version = Cli.run("--version").out().strip();
        assertEquals("d2l-rnn-dl4j " + BuildInfo.version() + " (Deeplearning4j " + BuildInfo.deeplearning4j() + ")",
                version);
        assertTrue(BuildInfo.deeplearning4j().matches("\\d+\\.\\d+\\.\\d+.*"), BuildInfo.deeplearning4j());
    }

    @ParameterizedTest
    @ValueSource(strings = {"train-lm", "train-seq2seq", "run"})
    void epochsAreCheckedOneWayEverywhere(String command) {
        String[] args = "run".equals(command) ? new String[] {"run", "sequence", "--epochs", "0"}
                : new String[] {command, "--epochs", "0"};
        assertEquals("error: --epochs must be positive, got 0", Cli.run(args).oneLineError());
    }

    @Test
    void theMainJobIsTheCommandItsHelpShows() {
        assertEquals(Main.MAIN_JOB_TEXT, String.join(" ", Main.MAIN_JOB));
        assertTrue(Cli.run("--help").out().replaceAll("\\s+", " ").contains(Main.MAIN_JOB_TEXT));
    }
}
