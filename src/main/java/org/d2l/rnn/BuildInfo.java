package org.d2l.rnn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * This build's name and versions, as pom.xml states them (Maven filters {@code build.properties}), so
 * {@code --version} and the model cards cannot drift from the build.
 */
public final class BuildInfo {
    private static final Properties PROPERTIES = load();

    private BuildInfo() {
    }

    /** The artifact id, e.g. {@code d2l-rnn-dl4j}. */
    public static String name() {
        return PROPERTIES.getProperty("name");
    }

    /** This project's version. */
    public static String version() {
        return PROPERTIES.getProperty("version");
    }

    /** The Deeplearning4j / ND4J version built against. */
    public static String deeplearning4j() {
        return PROPERTIES.getProperty("deeplearning4j");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the classpath: build with Maven");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (p.getProperty("version", "").startsWith("${")) {
            throw new IllegalStateException("build.properties was not filtered: build with Maven");
        }
        return p;
    }
}
