package io.brickworks.cache.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a main class in a JVM of its own with the test class path, for tests that need separate
 * processes (replicas killed with SIGKILL, paused with SIGSTOP). The child's standard output and error go
 * to a file that the test reads with {@link #output(Path)}. The caller owns the process and destroys it.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Starts {@code mainClass} with a small serial-GC heap ({@code -Xmx128m}) and quick start-up
     * (C1 only), the given JVM options (system properties, say) and program arguments.
     *
     * @param out the file that receives the child's output
     */
    public static Process start(Path out, List<String> jvmOptions, Class<?> mainClass, String... args)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath, mainClass.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    /** What the child wrote so far ({@code ""} before it wrote anything). */
    public static String output(Path out) {
        try {
            return Files.exists(out) ? Files.readString(out) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
