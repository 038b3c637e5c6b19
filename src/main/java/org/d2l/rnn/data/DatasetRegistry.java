package org.d2l.rnn.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.UserError;

/**
 * The datasets {@link DataHub} knows by name. {@link #builtIn()} holds the corpora of d2l's RNN chapters;
 * other registries (e.g. pointing at a test server) can be built from any list of specs.
 */
public final class DatasetRegistry {

    // Keyed in insertion order so that the "known:" list in error messages is stable and readable.
    private final Map<String, DatasetSpec> specsByName = new LinkedHashMap<>();

    public DatasetRegistry(List<DatasetSpec> specs) {
        for (DatasetSpec spec : specs) {
            if (specsByName.putIfAbsent(spec.name(), spec) != null) {
                throw new IllegalArgumentException("dataset '" + spec.name() + "' is registered twice");
            }
        }
    }

    /** The corpora used by the RNN chapters (facts from shared/datasets/MANIFEST.md). */
    public static DatasetRegistry builtIn() {
        return new DatasetRegistry(List.of(
                DatasetSpec.text("time-machine", "timemachine.txt",
                        "http://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt",
                        "090b5e7e70c295757f55df93cb0a180b9691891a"),
                DatasetSpec.archive("jay-chou", "jaychou_lyrics.txt.zip",
                        "https://raw.githubusercontent.com/d2l-ai/d2l-zh/2b7bef8dea8a4382f4220430a9ae44d5380fb3f4"
                                + "/data/jaychou_lyrics.txt.zip",
                        "9529987e701a4f37048ab778270a5dde9a762a0b",
                        "jaychou_lyrics.txt", "389655757a8ef48c7ad5253ded9caa13cdf6086a"),
                // sha1 is d2l's; the only copy we could find is a re-packed zip that is accepted via fra.txt's sha1.
                DatasetSpec.archive("fra-eng", "fra-eng.zip",
                        "http://d2l-data.s3-accelerate.amazonaws.com/fra-eng.zip",
                        "94646ad1522d915e7b0f9296181140edcf86a4f5",
                        "fra.txt", "c43f99dce27311d3afd4d3e0716848194cfcc103"),
                DatasetSpec.text("war-of-the-worlds", "war_of_the_worlds.txt",
                        "https://raw.githubusercontent.com/phudgins/markov/d0ea005943f29687f7d63241ac14eff125e8cc38"
                                + "/war_of_the_worlds.txt",
                        "496bb437a1c77a1675083833370a824f164c6712")));
    }

    /** The spec registered as {@code name}; a {@link UserError} listing the known names otherwise. */
    public DatasetSpec byName(String name) {
        DatasetSpec spec = name == null ? null : specsByName.get(name);
        if (spec == null) {
            throw new UserError("unknown dataset '" + name + "'; known: " + String.join(", ", names())
                    + ", or " + LocalFile.PREFIX + "<path>");
        }
        return spec;
    }

    /** The registered names, in registration order. */
    public List<String> names() {
        return List.copyOf(specsByName.keySet());
    }
}
