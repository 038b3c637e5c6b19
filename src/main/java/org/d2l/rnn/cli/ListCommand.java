package org.d2l.rnn.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.experiments.Experiment;
import org.d2l.rnn.experiments.Experiments;
import org.d2l.rnn.models.ModelKind;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists every runnable section, every model kind and every command. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the d2l sections, the model kinds and the commands.")
final class ListCommand implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    JsonOutput json;

    @Override
    public void run() {
        var out = spec.commandLine().getOut();
        List<Map<String, String>> sections = new ArrayList<>();
        out.println("Sections (run <section>):");
        for (Experiment e : Experiments.all()) {
            out.printf("  %-22s %s%n", e.name(), e.title());
            sections.add(Map.of("name", e.name(), "title", e.title()));
        }
        out.println("Models (train-lm --model <kind>):");
        Map<String, String> models = new LinkedHashMap<>();
        for (ModelKind kind : ModelKind.values()) {
            out.printf("  %-22s %s%n", kind.cliName(), kind.help());
            models.put(kind.cliName(), kind.help());
        }
        out.println("Commands:");
        Map<String, String> commands = new LinkedHashMap<>();
        for (Map.Entry<String, CommandLine> c : spec.parent().subcommands().entrySet()) {
            String description = String.join(" ", c.getValue().getCommandSpec().usageMessage().description());
            commands.put(c.getKey(), description);
            out.printf("  %-22s %s%n", c.getKey(), description);
        }
        out.flush();
        json.print(out, Map.of("sections", sections, "models", models, "commands", commands));
    }
}
