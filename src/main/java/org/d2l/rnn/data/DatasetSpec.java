package org.d2l.rnn.data;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One downloadable corpus: its registry name, the file that is downloaded, the public URL it comes from and
 * the sha1 that proves we got the right bytes (like the entries of d2l's {@code DATA_HUB}).
 *
 * <p>For a zip archive, {@code payloadName} is the file inside it that the chapters actually read and
 * {@code payloadSha1} that file's sha1. The payload sha1 is what lets a re-packed copy of an archive (same
 * payload, different zip bytes) be accepted. Plain text files have {@code null} payload fields.
 */
public record DatasetSpec(String name, String fileName, String url, String sha1,
                          String payloadName, String payloadSha1) {

    private static final Pattern SHA1_HEX = Pattern.compile("[0-9a-f]{40}");

    public DatasetSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(url, "url");
        requireSha1(sha1, "sha1");
        if ((payloadName == null) != (payloadSha1 == null)) {
            throw new IllegalArgumentException(name + ": payloadName and payloadSha1 go together");
        }
        if (payloadSha1 != null) {
            requireSha1(payloadSha1, "payloadSha1");
        }
    }

    /** A plain text file that is read as downloaded. */
    public static DatasetSpec text(String name, String fileName, String url, String sha1) {
        return new DatasetSpec(name, fileName, url, sha1, null, null);
    }

    /** A zip archive of which only {@code payloadName} is read. */
    public static DatasetSpec archive(String name, String fileName, String url, String sha1,
                                      String payloadName, String payloadSha1) {
        return new DatasetSpec(name, fileName, url, sha1, payloadName, payloadSha1);
    }

    public boolean isArchive() {
        return payloadName != null;
    }

    // A typo in a hard-coded sha1 would otherwise surface only as a baffling "sha1 mismatch" at download time.
    private static void requireSha1(String value, String field) {
        if (value == null || !SHA1_HEX.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 40 lower-case hex digits, got " + value);
        }
    }
}
