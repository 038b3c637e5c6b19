package org.d2l.rnn.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decides whether a file on disk is the one a {@link DatasetSpec} describes. */
final class Integrity {

    private static final Logger log = LoggerFactory.getLogger(Integrity.class);

    private Integrity() {
    }

    /**
     * Empty if {@code file} is a good copy of {@code spec}'s file; otherwise what is wrong, as a clause that
     * follows the file's name, e.g. {@code has sha1 <actual>, expected <expected>}.
     */
    static Optional<String> problem(DatasetSpec spec, Path file) throws IOException {
        String actual = Sha1.of(file);
        if (actual.equals(spec.sha1())) {
            return Optional.empty();
        }
        String mismatch = "has sha1 " + actual + ", expected " + spec.sha1();
        return spec.isArchive() ? payloadProblem(spec, file, mismatch) : Optional.of(mismatch);
    }

    // Only the payload is ever read, so a re-packed archive (other zip bytes, same payload) is as good as the
    // original; the copy of fra-eng.zip that can still be found is one.
    private static Optional<String> payloadProblem(DatasetSpec spec, Path archive, String archiveMismatch) {
        Optional<String> payloadSha1;
        try {
            payloadSha1 = ZipArchive.payloadSha1(archive, spec.payloadName());
        } catch (IOException e) {
            // ZipException for a non-zip, but a damaged entry can also end in a plain EOFException.
            return Optional.of(archiveMismatch + " and is not a readable zip (" + ErrorText.reason(e) + ")");
        }
        if (payloadSha1.isEmpty()) {
            return Optional.of(archiveMismatch + " and contains no " + spec.payloadName());
        }
        if (!payloadSha1.get().equals(spec.payloadSha1())) {
            return Optional.of(archiveMismatch + ", and its " + spec.payloadName() + " has sha1 " + payloadSha1.get()
                    + ", expected " + spec.payloadSha1());
        }
        log.info("{}: {} {} (a re-packed archive), accepted because its {} has the expected sha1", spec.name(),
                spec.fileName(), archiveMismatch, spec.payloadName());
        return Optional.empty();
    }
}
