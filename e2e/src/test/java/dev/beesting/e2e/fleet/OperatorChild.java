package dev.beesting.e2e.fleet;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The benchmark's handle on {@link FleetOperatorProcess}: starts it, asks it for its figures, stops it. */
final class OperatorChild implements AutoCloseable {
    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader answers;
    private final Path log;

    private OperatorChild(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the operator JVM with {@code heap} as -Xmx and the serial GC, as the Deployment runs it. */
    static OperatorChild start(String masterUrl, Path ca, Path token, String namespace, String heap, Path log)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(List.of(
                        java,
                        "-XX:+UseSerialGC",
                        "-Xmx" + heap,
                        "-Dbeesting.logLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        FleetOperatorProcess.class.getName(),
                        masterUrl,
                        ca.toString(),
                        token.toString(),
                        namespace))
                .redirectError(log.toFile())
                .start();
        OperatorChild child = new OperatorChild(process, log);
        String first = child.answers.readLine();
        if (!"STARTED".equals(first)) {
            child.close();
            throw new IllegalStateException("the operator did not start (" + first + "); its log: " + log);
        }
        return child;
    }

    /**
     * Its counters, heap used after a GC ({@code heapUsed}), the heap pools' peaks ({@code heapPeak}) and process CPU
     * time ({@code cpuNanos}).
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> stats() throws IOException {
        commands.println("stats");
        String line;
        while ((line = answers.readLine()) != null) {
            if (line.startsWith("STATS ")) {
                return Serialization.unmarshal(line.substring(6), Map.class);
            }
        }
        throw new IllegalStateException("the operator exited; its log: " + log);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        commands.println("quit");
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
