package org.ketafhir.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

import ca.uhn.fhir.context.FhirContext;

/**
 * {@code java -jar ketafhir-server.jar demo ...}: generates the demo clinic and loads it into a running server, or
 * writes the bundles to a folder. Runs without starting the server. A failed bundle stops the load (no retries) and
 * the command exits with status 1 and the server's OperationOutcome; bad arguments exit with status 2.
 */
public final class DemoCommand {

    static final String USAGE = """
            Usage: java -jar ketafhir-server.jar demo [options]
              --patients N   number of patients (default 50)
              --seed S       seed; the same seed and count give the same records (default 42)
              --start K      number of the first patient (default 1): load more patients later without repeats
              --url URL      FHIR base of the running server (default http://127.0.0.1:8080/fhir)
              --clients C    bundles posted at the same time (default 2)
              --token T      bearer token sent with every request
              --heavy        add one patient with 40 sessions and 200 scored responses (id demo-<seed>-heavy)
              --out DIR      write the bundles as JSON files to DIR instead of posting them
            """;

    private DemoCommand() {
    }

    /** Runs the command; returns the process exit status. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (options.help()) {
            out.print(USAGE);
            return 0;
        }
        DemoClinic clinic = new DemoClinic(options.seed());
        try {
            return options.out() != null ? write(clinic, options, out) : load(clinic, options, err);
        } catch (IOException e) {
            err.println("demo: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("demo: interrupted");
            return 1;
        }
    }

    record Options(int patients, long seed, int start, String url, int clients, String token, boolean heavy, Path out,
            boolean help) {

        static Options parse(String[] args) {
            int patients = 50;
            long seed = 42;
            int start = 1;
            String url = "http://127.0.0.1:8080/fhir";
            int clients = 2;
            String token = null;
            boolean heavy = false;
            Path out = null;
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> help = true;
                    case "--heavy" -> heavy = true;
                    case "--patients" -> patients = positive(arg, value(args, ++i, arg), 0);
                    case "--seed" -> seed = number(arg, value(args, ++i, arg));
                    case "--start" -> start = positive(arg, value(args, ++i, arg), 1);
                    case "--url" -> url = value(args, ++i, arg).replaceAll("/+$", "");
                    case "--clients" -> clients = positive(arg, value(args, ++i, arg), 1);
                    case "--token" -> token = value(args, ++i, arg);
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    default -> throw new IllegalArgumentException("demo: unknown argument '" + arg + "'");
                }
            }
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException("demo: --url must be an http(s) URL, got '" + url + "'");
            }
            return new Options(patients, seed, start, url, clients, token, heavy, out, help);
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException("demo: " + name + " needs a value");
            }
            return args[i];
        }

        private static long number(String name, String value) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("demo: " + name + " must be a whole number, got '" + value + "'");
            }
        }

        private static int positive(String name, String value, int min) {
            long n = number(name, value);
            if (n < min || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("demo: " + name + " must be at least " + min + ", got '" + value + "'");
            }
            return (int) n;
        }

        /** Patient numbers to generate, in order; 0 stands for the heavy patient. */
        List<Integer> numbers() {
            List<Integer> numbers = new ArrayList<>();
            if (heavy) {
                numbers.add(0);
            }
            for (int n = start; n < start + patients; n++) {
                numbers.add(n);
            }
            return numbers;
        }
    }

    private static Bundle bundle(DemoClinic clinic, int number) {
        return number == 0 ? clinic.heavyPatient() : clinic.patient(number);
    }

    private static int write(DemoClinic clinic, Options options, PrintStream out) throws IOException {
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("0-clinic.json"), clinic.encode(clinic.clinic()), StandardCharsets.UTF_8);
        long resources = 0;
        for (int n : options.numbers()) {
            Bundle bundle = bundle(clinic, n);
            resources += bundle.getEntry().size();
            String name = n == 0 ? "1-heavy.json" : String.format(Locale.ROOT, "patient-%07d.json", n);
            Files.writeString(options.out().resolve(name), clinic.encode(bundle), StandardCharsets.UTF_8);
        }
        out.printf(Locale.ROOT, "demo: wrote %d patient bundles (%d resources) and the clinic to %s%n",
                options.numbers().size(), resources, options.out());
        return 0;
    }

    private static int load(DemoClinic clinic, Options options, PrintStream err) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String failure = post(http, options, clinic.encode(clinic.clinic()), "the clinic");
        if (failure != null) {
            err.println(failure);
            return 1;
        }
        List<Integer> numbers = options.numbers();
        Progress progress = new Progress(numbers.size(), err);
        AtomicReference<String> failed = new AtomicReference<>();
        AtomicInteger nextIndex = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(options.clients());
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < options.clients(); c++) {
            workers.add(pool.submit(() -> {
                int i;
                while (failed.get() == null && (i = nextIndex.getAndIncrement()) < numbers.size()) {
                    int n = numbers.get(i);
                    Bundle bundle = bundle(clinic, n);
                    String problem = post(http, options, clinic.encode(bundle),
                            "patient " + (n == 0 ? "demo-" + options.seed() + "-heavy" : clinic.patientId(n)));
                    if (problem != null) {
                        failed.compareAndSet(null, problem);
                        return;
                    }
                    progress.done(bundle.getEntry().size());
                }
            }));
        }
        pool.shutdown();
        while (!pool.awaitTermination(500, TimeUnit.MILLISECONDS)) {
            progress.print(false);
        }
        progress.print(true);
        if (failed.get() != null) {
            err.println(failed.get());
            return 1;
        }
        err.printf(Locale.ROOT, "demo: loaded %d patients (%d resources) into %s; first patient: %s/Patient/%s%n",
                numbers.size(), progress.resources.get(), options.url(), options.url(),
                numbers.get(0) == 0 ? "demo-" + options.seed() + "-heavy" : clinic.patientId(numbers.get(0)));
        return 0;
    }

    /** Posts one transaction; null when the server accepted it, else what went wrong, with the server's own words. */
    private static String post(HttpClient http, Options options, String body, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(options.url()))
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (options.token() != null) {
            request.header("Authorization", "Bearer " + options.token());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return null;
            }
            return "demo: " + what + " refused by " + options.url() + ": HTTP " + response.statusCode() + "\n"
                    + outcome(response.body());
        } catch (IOException e) {
            return "demo: " + what + " not loaded: cannot reach " + options.url() + " (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "demo: interrupted";
        }
    }

    static String outcome(String body) {
        try {
            OperationOutcome outcome = FhirContext.forR4Cached().newJsonParser().parseResource(OperationOutcome.class, body);
            StringBuilder text = new StringBuilder();
            for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
                text.append("  ").append(issue.getSeverity() == null ? "" : issue.getSeverity().toCode()).append(": ")
                        .append(issue.getDiagnostics());
                issue.getLocation().forEach(l -> text.append(" [").append(l.getValue()).append(']'));
                text.append('\n');
            }
            return text.toString();
        } catch (RuntimeException e) {
            return body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
        }
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
