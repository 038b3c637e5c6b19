package org.d2l.rnn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM options are written in three places Java cannot share at run time (the pom's property for surefire,
 * .mvn/jvm.config for mvn exec:java and the Docker entrypoint, ChildJvm for child JVMs): a setting added to one and
 * not the others would measure one launch path and ship another.
 */
class LaunchOptionsTest {
    @Test
    void pomJvmConfigAndChildJvmPassTheSameOptions() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<d2l\\.jvm\\.options>([^<]*)</d2l\\.jvm\\.options>").matcher(pom);
        assertTrue(m.find(), "pom.xml has no d2l.jvm.options property");
        assertEquals(ChildJvm.LAUNCH_OPTIONS, tokens(m.group(1)), "pom.xml d2l.jvm.options");
        assertEquals(ChildJvm.LAUNCH_OPTIONS, tokens(Files.readString(Path.of(".mvn", "jvm.config"))),
                ".mvn/jvm.config");
        assertTrue(pom.contains("${d2l.jvm.options}</argLine>"), "surefire's argLine does not pass d2l.jvm.options");
    }

    @Test
    void thisJvmTrimsItsNativeHeap() {
        // surefire launched this JVM with the pom's options: the flag exists on this JDK and took effect
        assertEquals("5000", NativeRuntime.vmOption("TrimNativeHeapInterval"));
    }

    private static List<String> tokens(String s) {
        return Arrays.stream(s.trim().split("\\s+")).toList();
    }
}
