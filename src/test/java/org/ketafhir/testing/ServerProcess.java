package org.ketafhir.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged server ({@code target/ketafhir/ketafhir-server.jar}, or the README's run command) started as a
 * separate operating-system process, for what an in-JVM test cannot show: {@code kill -9}, requests from the moment
 * the port opens, a second node beside the test's own server, and the run command itself.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final Path RUN_COMMAND = Path.of("src", "main", "scripts", "run").toAbsolutePath();

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the server jar with the given Spring properties and waits until it reports ready. */
    public static ServerProcess start(String name, Map<String, String> properties) throws IOException {
        ServerProcess server = launch(name, properties);
        server.awaitReady();
        return server;
    }

    /**
     * Starts the server jar and returns as soon as its port accepts a TCP connection, the moment a hospital
     * interface engine or a load balancer starts sending: nothing waits for the readiness probe.
     */
    public static ServerProcess startAndAwaitPort(String name, Map<String, String> properties) throws IOException {
        ServerProcess server = launch(name, properties);
        server.awaitPort();
        return server;
    }

    private static ServerProcess launch(String name, Map<String, String> properties) throws IOException {
        String jar = System.getProperty("ketafhir.it.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("The packaged server jar is missing (" + jar + "): run through mvn verify");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar", jar,
                "--server.port=" + port));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        return launch(name, port, new ProcessBuilder(command));
    }

    private static ServerProcess launch(String name, int port, ProcessBuilder command) throws IOException {
        Path log = Path.of("target", "it-logs", name + "-" + port + ".log");
        Files.createDirectories(log.getParent());
        Process process = command.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ServerProcess(process, port, log);
    }

    /**
     * Starts the server by the README's run command ({@code src/main/scripts/run}), which runs in the project
     * folder, with these environment variables added (the command's own, such as {@code KETAFHIR_JAVA}) and these
     * Spring properties as its arguments, and waits until it reports ready.
     */
    public static ServerProcess startByRunCommand(String name, Map<String, String> environment,
            Map<String, String> properties) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(RUN_COMMAND.toString(), "--server.port=" + port));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        ServerProcess server = launch(name, port, builder);
        server.awaitReady();
        return server;
    }

    /**
     * Runs the README's run command with these arguments (e.g. {@code prepare}) to its end.
     * @return its exit code; what it said is in {@link #lastLog(String)}
     */
    public static int runCommandToExit(String name, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(RUN_COMMAND.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        ServerProcess run = launch(name, 0, builder);
        if (!run.process.waitFor(Duration.ofMinutes(10).toMillis(), TimeUnit.MILLISECONDS)) {
            run.process.destroyForcibly();
            throw new IllegalStateException("The run command did not end within 10 minutes; see " + run.log);
        }
        return run.process.exitValue();
    }

    public String baseUrl() {
        return "http://localhost:" + port + "/fhir";
    }

    public int port() {
        return port;
    }

    /** SIGKILL: no shutdown hook, no flush, no orderly close of the database. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Starts the server jar and waits for the process to end by itself (a start-up that must be refused).
     * @return its exit code
     */
    public static int runToExit(String name, Map<String, String> properties) throws IOException, InterruptedException {
        ServerProcess server = launch(name, properties);
        if (!server.process.waitFor(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            server.process.destroyForcibly();
            throw new IllegalStateException("Server still running after " + READY_TIMEOUT + "; see " + server.log);
        }
        return server.process.exitValue();
    }

    /** The log of the last server started under this name (to check what it said before it exited). */
    public static String lastLog(String name) throws IOException {
        try (var logs = Files.list(Path.of("target", "it-logs"))) {
            Path last = logs.filter(file -> file.getFileName().toString().startsWith(name + "-"))
                    .max(Comparator.comparing(file -> file.toFile().lastModified()))
                    .orElseThrow(() -> new IllegalStateException("No log of " + name));
            return Files.readString(last);
        }
    }

    /** The server's log so far (to check what it did during start-up). */
    public String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitPort() {
        awaitServer("port open", Duration.ofMillis(20), () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", port), 1_000);
                return true;
            } catch (IOException notYetListening) {
                return false;
            }
        });
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest readiness = HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        awaitServer("ready", Duration.ofMillis(500), () -> {
            try {
                return http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYetListening) {
                return false;
            }
        });
    }

    /** Polls until the condition holds; a process that exits, or a timeout, fails at once with the log's name. */
    private void awaitServer(String what, Duration pollInterval, Callable<Boolean> condition) {
        try {
            // Awaitility would otherwise fail this wait on any uncaught exception in the test JVM, such as a
            // rest-hook delivery that the shared in-JVM server retries in its own threads after a test has ended.
            Awaitility.await("server " + what).dontCatchUncaughtExceptions().atMost(READY_TIMEOUT)
                    .pollDelay(Duration.ZERO).pollInterval(pollInterval)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "Server process exited with " + process.exitValue() + "; see " + log);
                        }
                        return condition.call();
                    });
        } catch (ConditionTimeoutException timeout) {
            process.destroyForcibly();
            throw new IllegalStateException("Server not " + what + " within " + READY_TIMEOUT + "; see " + log);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
