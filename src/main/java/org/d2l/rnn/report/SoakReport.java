package org.d2l.rnn.report;

import java.util.List;
import org.d2l.rnn.bench.MemorySoak;
import org.d2l.rnn.report.Charts.Series;

/** The soak benchmark's report: the growth per epoch after warm-up and the memory plot. */
public final class SoakReport {
    private SoakReport() {
    }

    /**
     * @param provenance date, commit, machine and JVM options of the run, one sentence (the report states what it
     *                   measured on)
     */
    public static void write(Report report, MemorySoak r, String command, long maxHeapMib, String provenance) {
        report.paragraph("Trains " + r.model() + (r.detached() ? "" : " without detaching the state") + " for "
                + r.epochs() + " epochs and measures the process after every epoch: its resident set, and the part of "
                + "it outside the committed Java heap (ND4J's native buffers, code, metaspace). The slopes are "
                + "least-squares fits over the epochs after the first " + r.warmUpEpochs() + " (warm-up: JIT, "
                + "workspaces sizing themselves, allocator arenas). Java heap limit " + maxHeapMib + " MiB.");
        report.command(command);
        report.paragraph(provenance);
        report.table(List.of("", "epoch " + r.warmUpEpochs() + " (end of warm-up), MiB", "epoch " + r.epochs()
                + ", MiB", "last / warm-up", "slope after warm-up, MiB/epoch"), List.of(
                List.of("resident set", fmt(r.residentAfterWarmUpMib()), fmt(r.residentAtEndMib()),
                        String.format("%.2f", r.residentAtEndMib() / r.residentAfterWarmUpMib()),
                        String.format("%+.3f", r.residentSlopeMibPerEpoch())),
                List.of("outside the Java heap", fmt(r.outsideHeapAfterWarmUpMib()), fmt(r.outsideHeapAtEndMib()),
                        String.format("%.2f", r.outsideHeapAtEndMib() / r.outsideHeapAfterWarmUpMib()),
                        String.format("%+.3f", r.outsideHeapSlopeMibPerEpoch()))));
        report.paragraph(String.format("Perplexity %.3f after %d epochs, %.1f s per epoch (wall clock of this run, "
                + "whatever else the machine ran: `bench` measures speed).", r.perplexity(), r.epochs(),
                r.secondsPerEpoch()));
        report.figure("memory", Charts.byEpoch("Memory after every epoch", "MiB", List.of(
                Series.of("resident set", r.residentMibByEpoch()),
                Series.of("outside the Java heap", r.outsideHeapMibByEpoch()))),
                "Resident set and memory outside the Java heap after every epoch");
        report.metrics(r.metrics()).metric("provenance", provenance).write();
    }

    private static String fmt(double mib) {
        return String.format("%.0f", mib);
    }
}
