package org.d2l.rnn.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command that reads a corpus declares, once: the command it is mixed into (for its output and parse
 * result), {@code --json} and {@code --data-dir}.
 */
final class DataCommandOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;
    @Mixin
    JsonOutput json;
    @Mixin
    DataOptions data;
}
