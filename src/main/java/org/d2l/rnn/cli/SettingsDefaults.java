package org.d2l.rnn.cli;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.jobs.TranslationSettings;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The commands' defaults, read from the settings builders ({@link LmSettings}, {@link TranslationSettings}) so
 * that each default is written once: {@code --help} shows what a run without the flag does. Options that are no
 * setting of a run (ports, paths, display) keep their {@code defaultValue} in the annotation; picocli uses it
 * where this returns null.
 */
final class SettingsDefaults implements IDefaultValueProvider {
    private static final LmSettings LM = LmSettings.builder().build();
    private static final TranslationSettings MT = TranslationSettings.builder().build();
    private static final Map<String, Object> LM_FLAGS = Map.ofEntries(
            Map.entry("--model", LM.model().cliName()), Map.entry("--dataset", LM.dataset()),
            Map.entry("--token", LM.tokenizer()), Map.entry("--hidden", LM.hidden()),
            Map.entry("--layers", LM.layers()), Map.entry("--embedding", LM.embedding()),
            Map.entry("--activation", LM.activation()), Map.entry("--steps", LM.steps()),
            Map.entry("--batch", LM.batch()), Map.entry("--lr", LM.lr()), Map.entry("--optimizer", LM.optimizer()),
            Map.entry("--clip", LM.clip()), Map.entry("--sampling", LM.sampling()), Map.entry("--epochs", LM.epochs()),
            Map.entry("--max-tokens", LM.maxTokens()), Map.entry("--seed", LM.seed()),
            Map.entry("--length", LM.predictLength()), Map.entry("--predict-every", LM.predictEvery()),
            Map.entry("--workers", LM.workers()));
    private static final Map<String, Object> MT_FLAGS = Map.ofEntries(
            Map.entry("--num-examples", MT.numExamples()), Map.entry("--min-freq", MT.minFreq()),
            Map.entry("--num-steps", MT.steps()), Map.entry("--batch", MT.batch()),
            Map.entry("--embedding", MT.embedding()), Map.entry("--hidden", MT.hidden()),
            Map.entry("--layers", MT.layers()), Map.entry("--dropout", MT.dropout()), Map.entry("--lr", MT.lr()),
            Map.entry("--clip", MT.clip()), Map.entry("--epochs", MT.epochs()), Map.entry("--beam", MT.beam()),
            Map.entry("--decoder", MT.decoder()), Map.entry("--seed", MT.seed()));
    /** mt-data shows d2l 9.5's data: the same pairs and vocabulary as training reads (its batch is its own). */
    private static final Map<String, Object> MT_DATA = Map.of("--num-examples", MT.numExamples(), "--min-freq",
            MT.minFreq(), "--seed", LM.seed());
    /** The seed of every other command that has one: the runs' default, so "same seed" means the same number. */
    private static final Map<String, Object> OTHER = Map.of("--seed", LM.seed());

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || arg.command() == null) {
            return null;
        }
        Map<String, Object> flags = switch (arg.command().name()) {
            case "train-lm" -> LM_FLAGS;
            case "train-seq2seq" -> MT_FLAGS;
            case "mt-data" -> MT_DATA;
            default -> OTHER;
        };
        Object value = flags.get(option.longestName());
        return value == null ? null : cli(value);
    }

    /** How the CLI spells a value: enums in lower case, numbers without a trailing ".0". */
    private static String cli(Object value) {
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }
}
