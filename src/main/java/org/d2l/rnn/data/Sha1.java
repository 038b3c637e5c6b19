package org.d2l.rnn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lower-case hex sha1 digests, the form d2l's DATA_HUB and {@code sha1sum} use. */
public final class Sha1 {

    private Sha1() {
    }

    public static String of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    public static String of(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Of int sequences concatenated, each int as 4 big-endian bytes: the fingerprint of token-index data. */
    public static String ofInts(int[]... parts) {
        int length = 0;
        for (int[] p : parts) {
            length += p.length;
        }
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * length);
        java.nio.IntBuffer ints = bytes.asIntBuffer();
        for (int[] p : parts) {
            ints.put(p);
        }
        return of(bytes.array());
    }

    /** The digest of bytes in memory. */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to provide SHA-1.
            throw new IllegalStateException(e);
        }
    }
}
