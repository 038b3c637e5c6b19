package org.d2l.rnn.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.io.AtomicFiles;
import org.d2l.rnn.runtime.RunProvenance;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A section's report in {@code notebooks-export/<section>/}: {@code README.md} (what was run, with which
 * settings, what it printed, its figures), the PNG plots, and {@code metrics.json}. Each file is written
 * atomically, so an interrupted run never leaves a half report.
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final StringBuilder md = new StringBuilder();
    private final Map<String, Object> metrics = new LinkedHashMap<>();
    private final int titleEnd;
    /** Where the numbers came from; made from the command when the report is written, unless set. */
    private RunProvenance provenance;
    private String command;
    /** Set when the report is rendered again from an earlier run's metrics.json. */
    private RunProvenance renderedAgain;

    public Report(Path dir, String title) {
        this.dir = dir;
        md.append("# ").append(title).append("\n\n");
        titleEnd = md.length();
    }

    public Path dir() {
        return dir;
    }

    public Report paragraph(String text) {
        md.append(text).append("\n\n");
        return this;
    }

    public Report heading(String text) {
        md.append("## ").append(text).append("\n\n");
        return this;
    }

    /** The command that reproduces this report. */
    public Report command(String cmd) {
        command = cmd;
        return paragraph("Reproduce with:\n\n```\n" + cmd + "\n```");
    }

    public Report settings(Map<String, ?> settings) {
        md.append("| setting | value |\n|---|---|\n");
        settings.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append('\n');
        return this;
    }

    /** What the program printed, verbatim. */
    public Report output(String text) {
        md.append("```\n").append(text.strip()).append("\n```\n\n");
        return this;
    }

    public Report table(List<String> header, List<? extends List<?>> rows) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> md.append("---|"));
        md.append('\n');
        for (List<?> row : rows) {
            md.append("| ");
            for (Object cell : row) {
                md.append(cell).append(" | ");
            }
            md.setLength(md.length() - 1);
            md.append('\n');
        }
        md.append('\n');
        return this;
    }

    /** d2l's checks beside ours, one row each. */
    public Report checks(List<D2lCheck> checks) {
        return table(List.of("d2l", "d2l prints", "ours", "same"), checks.stream().map(c -> List.<Object>of(
                "`" + c.what() + "`", "`" + c.d2l() + "`", c.ours(), c.agrees() ? "yes" : "**no**")).toList());
    }

    /** Saves the chart as {@code <name>.png} beside the README and shows it there. */
    public Report figure(String name, Chart<?, ?> chart, String caption) {
        AtomicFiles.write(dir.resolve(name + ".png"),
                out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        md.append("![").append(caption).append("](").append(name).append(".png)\n\n*").append(caption).append("*\n\n");
        return this;
    }

    public Report metric(String key, Object value) {
        metrics.put(key, value);
        return this;
    }

    public Report metrics(Map<String, ?> values) {
        metrics.putAll(values);
        return this;
    }

    public Map<String, Object> metrics() {
        return metrics;
    }

    /**
     * The numbers come from an earlier run (its metrics.json): its provenance is printed as theirs, and this process's
     * as the rendering's.
     */
    public Report renderedFrom(RunProvenance numbers) {
        provenance = numbers;
        renderedAgain = RunProvenance.now("report rendered again from metrics.json");
        return this;
    }

    /** Writes README.md and metrics.json, both headed by where the numbers came from. */
    public void write() {
        if (provenance == null) {
            provenance = RunProvenance.now(command == null ? "(not recorded)" : command);
        }
        String head = provenance.markdown() + (renderedAgain == null ? "" : "\nThis report was rendered again from "
                + "metrics.json, without training, on " + renderedAgain.date() + " at commit " + renderedAgain.commit()
                + "; the numbers are those of the run above.\n") + "\n";
        md.insert(titleEnd, head);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put(RunProvenance.KEY, provenance.toMap());
        metrics.forEach((k, v) -> {
            if (!k.equals(RunProvenance.KEY)) {
                all.put(k, v);
            }
        });
        metrics.clear();
        metrics.putAll(all);
        try {
            AtomicFiles.writeString(dir.resolve("metrics.json"), JSON.writeValueAsString(metrics) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeString(dir.resolve("README.md"), md.toString());
    }
}
