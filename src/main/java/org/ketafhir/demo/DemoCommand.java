package org.ketafhir.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: generates the demo clinic and loads it into a running server through HAPI's FHIR client, one
 * transaction per patient, or writes the bundles to a folder. Starts no server. Arguments are parsed by picocli: bad
 * arguments exit with status 2 and the usage; a refused bundle stops the load (no retries) with status 1 and the
 * server's OperationOutcome.
 */
@Command(name = "demo", sortOptions = false, usageHelpAutoWidth = true,
        description = "Generates the demo clinic and loads it into a running KetaFHIR server, or writes the bundles "
                + "to a folder.")
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    private boolean help;

    @Option(names = "--patients", paramLabel = "N", defaultValue = "50",
            description = "number of patients (default ${DEFAULT-VALUE})")
    private int patients;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "seed; the same seed and count give the same records (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--start", paramLabel = "K", defaultValue = "1",
            description = "number of the first patient (default ${DEFAULT-VALUE}): load more patients later "
                    + "without repeats")
    private int start;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080/fhir",
            description = "FHIR base of the running server (default ${DEFAULT-VALUE})")
    private String url;

    @Option(names = "--clients", paramLabel = "C", defaultValue = "2",
            description = "bundles posted at the same time (default ${DEFAULT-VALUE})")
    private int clients;

    @Option(names = "--token", paramLabel = "T", description = "bearer token sent with every request")
    private String token;

    @Option(names = "--heavy",
            description = "add one patient with 40 sessions and 200 scored responses (id demo-<seed>-heavy)")
    private boolean heavy;

    @Option(names = "--out", paramLabel = "DIR", description = "write the bundles as JSON files to DIR instead of "
            + "posting them")
    private Path out;

    private final PrintStream stdout;
    private final PrintStream stderr;

    private DemoCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** {@code mvn exec:java@demo} and {@code java -jar ketafhir-server.jar demo} land here. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the process exit status. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine command = new CommandLine(new DemoCommand(out, err));
        command.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        command.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return command.execute(args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        check(patients >= 0, "--patients must be at least 0, got " + patients);
        check(start >= 1, "--start must be at least 1, got " + start);
        check(clients >= 1, "--clients must be at least 1, got " + clients);
        url = url.replaceAll("/+$", "");
        check(url.startsWith("http://") || url.startsWith("https://"), "--url must be an http(s) URL, got '" + url + "'");
        DemoClinic clinic = new DemoClinic(seed);
        return out != null ? write(clinic) : load(clinic);
    }

    private void check(boolean valid, String message) {
        if (!valid) {
            throw new ParameterException(spec.commandLine(), "demo: " + message);
        }
    }

    /** Patient numbers to generate, in order; 0 stands for the heavy patient. */
    private List<Integer> numbers() {
        List<Integer> numbers = new ArrayList<>();
        if (heavy) {
            numbers.add(0);
        }
        for (int n = start; n < start + patients; n++) {
            numbers.add(n);
        }
        return numbers;
    }

    private String patientId(DemoClinic clinic, int number) {
        return number == 0 ? "demo-" + seed + "-heavy" : clinic.patientId(number);
    }

    private static Bundle bundle(DemoClinic clinic, int number) {
        return number == 0 ? clinic.heavyPatient() : clinic.patient(number);
    }

    private int write(DemoClinic clinic) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("0-clinic.json"), clinic.encode(clinic.clinic()), StandardCharsets.UTF_8);
        long resources = 0;
        for (int n : numbers()) {
            Bundle bundle = bundle(clinic, n);
            resources += bundle.getEntry().size();
            String name = n == 0 ? "1-heavy.json" : String.format(Locale.ROOT, "patient-%07d.json", n);
            Files.writeString(out.resolve(name), clinic.encode(bundle), StandardCharsets.UTF_8);
        }
        stdout.printf(Locale.ROOT, "demo: wrote %d patient bundles (%d resources) and the clinic to %s%n",
                numbers().size(), resources, out);
        return 0;
    }

    private int load(DemoClinic clinic) throws InterruptedException {
        IGenericClient client = client();
        String failure = post(client, clinic.clinic(), "the clinic");
        if (failure != null) {
            stderr.println(failure);
            return 1;
        }
        List<Integer> numbers = numbers();
        Progress progress = new Progress(numbers.size(), stderr);
        AtomicReference<String> failed = new AtomicReference<>();
        AtomicInteger nextIndex = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                int i;
                while (failed.get() == null && (i = nextIndex.getAndIncrement()) < numbers.size()) {
                    int n = numbers.get(i);
                    Bundle bundle = bundle(clinic, n);
                    String problem = post(client, bundle, "patient " + patientId(clinic, n));
                    if (problem != null) {
                        failed.compareAndSet(null, problem);
                        return;
                    }
                    progress.done(bundle.getEntry().size());
                }
            });
        }
        pool.shutdown();
        while (!pool.awaitTermination(500, TimeUnit.MILLISECONDS)) {
            progress.print(false);
        }
        progress.print(true);
        if (failed.get() != null) {
            stderr.println(failed.get());
            return 1;
        }
        stderr.printf(Locale.ROOT, "demo: loaded %d patients (%d resources) into %s; first patient: %s/Patient/%s%n",
                numbers.size(), progress.resources.get(), url, url, numbers.isEmpty() ? "-" : patientId(clinic,
                        numbers.get(0)));
        return 0;
    }

    /** HAPI's client for the server: JSON, no metadata fetch first, one connection per client thread. */
    private IGenericClient client() {
        FhirContext context = FhirContext.forR4();
        IRestfulClientFactory factory = context.getRestfulClientFactory();
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setConnectTimeout((int) TimeUnit.SECONDS.toMillis(10));
        factory.setSocketTimeout((int) TimeUnit.MINUTES.toMillis(10));
        factory.setPoolMaxPerRoute(clients);
        factory.setPoolMaxTotal(clients);
        IGenericClient client = context.newRestfulGenericClient(url);
        client.setEncoding(EncodingEnum.JSON);
        if (token != null) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(token));
        }
        return client;
    }

    /** Posts one transaction; null when the server accepted it, else what went wrong, with the server's own words. */
    private String post(IGenericClient client, Bundle bundle, String what) {
        try {
            client.transaction().withBundle(bundle).withAdditionalHeader("Prefer", "return=minimal").execute();
            return null;
        } catch (FhirClientConnectionException e) {
            return "demo: " + what + " not loaded: cannot reach " + url + " (" + e.getMessage() + ")";
        } catch (BaseServerResponseException e) {
            return "demo: " + what + " refused by " + url + ": HTTP " + e.getStatusCode() + "\n"
                    + outcome(e.getOperationOutcome(), e.getMessage());
        }
    }

    /** The issues of the server's OperationOutcome, one per line; the client's message when there is none. */
    static String outcome(IBaseOperationOutcome answer, String fallback) {
        if (!(answer instanceof OperationOutcome outcome) || outcome.getIssue().isEmpty()) {
            return "  " + fallback + "\n";
        }
        StringBuilder text = new StringBuilder();
        for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
            text.append("  ").append(issue.getSeverity() == null ? "" : issue.getSeverity().toCode()).append(": ")
                    .append(issue.getDiagnostics());
            issue.getLocation().forEach(l -> text.append(" [").append(l.getValue()).append(']'));
            text.append('\n');
        }
        return text.toString();
    }

    /** Patients loaded, resources per second and time left, on one line rewritten in place on a terminal. */
    static final class Progress {

        private final int total;
        private final PrintStream err;
        private final boolean terminal = System.console() != null;
        private final long started = System.nanoTime();
        private final AtomicInteger patients = new AtomicInteger();
        private final AtomicLong resources = new AtomicLong();
        private long lastLine;

        Progress(int total, PrintStream err) {
            this.total = total;
            this.err = err;
        }

        void done(int bundleResources) {
            patients.incrementAndGet();
            resources.addAndGet(bundleResources);
        }

        synchronized void print(boolean last) {
            long now = System.nanoTime();
            if (!terminal && !last && now - lastLine < TimeUnit.SECONDS.toNanos(10)) {
                return;
            }
            lastLine = now;
            double seconds = Math.max(0.001, (now - started) / 1e9);
            int loaded = patients.get();
            int width = 30;
            int filled = total == 0 ? width : (int) ((long) width * loaded / total);
            String eta = loaded == 0 ? "--:--" : clock((long) (seconds / loaded * (total - loaded)));
            String line = String.format(Locale.ROOT, "[%s%s] %d/%d patients  %d resources  %.0f resources/s  ETA %s",
                    "#".repeat(filled), ".".repeat(width - filled), loaded, total, resources.get(),
                    resources.get() / seconds, eta);
            if (terminal) {
                err.print("\r" + line + (last ? "\n" : ""));
            } else {
                err.println(line);
            }
            err.flush();
        }

        private static String clock(long seconds) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }
    }
}
