package org.d2l.rnn.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.bench.BlasComparison;
import org.d2l.rnn.runtime.BlasLibrary;

/** notebooks-export/performance/blas/: tokens/s of each OpenBLAS library, alternating, and which one is fastest. */
public final class BlasReport {
    private BlasReport() {
    }

    public static void write(Report report, BlasComparison.Result r, String command, String machine) {
        List<BlasLibrary> libraries = new ArrayList<>(r.libraries().keySet());
        report.paragraph("Training tokens/s of the bench configs with each OpenBLAS library ND4J can run on, each "
                + "library in a JVM of its own (`-Dd2l.blas=maven|system|bundled`), alternating library by library for "
                + r.rounds() + " round(s) in one run. Cells: median (min–max over the rounds); ratios of medians. "
                + "Without `-Dd2l.blas`, a program takes the system library where there is one, else the Maven one "
                + "(`BlasLibrary`).");
        report.paragraph("Machine: " + machine + ".");
        report.command(command);
        List<List<?>> libs = new ArrayList<>();
        for (BlasLibrary l : libraries) {
            libs.add(List.of(l.cliName(), r.libraries().get(l)));
        }
        report.table(List.of("library", "file, version, kernels picked for this CPU"), libs);
        List<String> header = new ArrayList<>(List.of("config"));
        libraries.forEach(l -> header.add(l.cliName() + ", tokens/s"));
        header.add("fastest");
        List<BlasLibrary> others = libraries.contains(BlasLibrary.BUNDLED)
                ? libraries.stream().filter(l -> l != BlasLibrary.BUNDLED).toList() : List.of();
        others.forEach(l -> header.add(l.cliName() + " / bundled"));
        List<List<?>> rows = new ArrayList<>();
        for (BlasComparison.Row row : r.configs()) {
            List<Object> cells = new ArrayList<>(List.of(row.config()));
            for (BlasLibrary l : libraries) {
                cells.add(String.format("%.0f (%.0f–%.0f)", row.median(l), row.min(l), row.max(l)));
            }
            cells.add(row.fastest().cliName());
            for (BlasLibrary l : others) {
                cells.add(String.format("%.2f", row.median(l) / row.median(BlasLibrary.BUNDLED)));
            }
            rows.add(cells);
        }
        report.table(header, rows);
        BlasLibrary best = r.fastestEverywhere();
        report.paragraph(best == null ? "No library has the highest median on every config."
                : "Highest median on every config: " + best.cliName() + ".");
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (BlasLibrary l : libraries) {
            series.put(l.cliName(), r.configs().stream().map(row -> row.median(l)).toList());
        }
        report.figure("blas", Charts.groupedBars("Training throughput by OpenBLAS library", "tokens/s (median)",
                r.configs().stream().map(BlasComparison.Row::config).toList(), series),
                "Median training tokens/s per config and OpenBLAS library");
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rounds", r.rounds());
        Map<String, String> described = new LinkedHashMap<>();
        r.libraries().forEach((l, d) -> described.put(l.cliName(), d));
        metrics.put("libraries", described);
        List<Map<String, Object>> configs = new ArrayList<>();
        for (BlasComparison.Row row : r.configs()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("config", row.config());
            row.tokensPerSec().forEach((l, v) -> c.put(l.cliName() + "_tokens_per_sec", v));
            c.put("fastest", row.fastest().cliName());
            configs.add(c);
        }
        metrics.put("configs", configs);
        metrics.put("fastest_everywhere", best == null ? null : best.cliName());
        report.metrics(metrics).write();
    }
}
