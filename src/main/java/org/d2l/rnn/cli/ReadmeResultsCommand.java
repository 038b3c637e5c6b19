package org.d2l.rnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.d2l.rnn.UserError;
import org.d2l.rnn.experiments.ReadmeResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Generates the README's results table from the reports' metrics.json files, or checks that it is current. */
@Command(name = "readme-results", mixinStandardHelpOptions = true,
        description = "Rewrite the README's results table from notebooks-export/*/metrics.json (--check: only say "
                + "whether it is current, exit 1 if not).")
final class ReadmeResultsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--readme", paramLabel = "FILE", defaultValue = "README.md", description = "default ${DEFAULT-VALUE}")
    Path readme;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "notebooks-export",
            description = "default ${DEFAULT-VALUE}")
    Path reports;

    @Option(names = "--check", description = "Do not write; exit 1 when the README's table differs from the reports.")
    boolean check;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(readme)) {
            throw new UserError(readme + " does not exist; run from the project's root or give --readme");
        }
        var out = spec.commandLine().getOut();
        if (check) {
            String now = Files.readString(readme);
            boolean current = ReadmeResults.updated(now, reports).equals(now);
            out.println(current ? "README results table matches the reports"
                    : "README results table differs from the reports; run: readme-results");
            return current ? 0 : 1;
        }
        out.println(ReadmeResults.write(readme, reports) ? "README results table rewritten" : "README results table is current");
        return 0;
    }
}
