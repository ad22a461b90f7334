package org.ketafhir.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void anUnknownArgumentShouldExitWithStatus2NamingItAndTheNearestOption() {
        assertThat(run("--patinets", "5")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown options: '--patinets'")
                .contains("Possible solutions: --patients");
    }

    @Test
    void aNonNumericCountShouldExitWithStatus2NamingTheOption() {
        assertThat(run("--patients", "many")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Invalid value for option '--patients': 'many'");
    }

    @Test
    void aValueOutOfRangeShouldExitWithStatus2NamingTheOption() {
        assertThat(run("--clients", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--clients must be at least 1, got 0").contains("Usage: demo");
    }

    @Test
    void aUrlThatIsNotHttpShouldExitWithStatus2() {
        assertThat(run("--url", "file:///tmp")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--url must be an http(s) URL");
    }

    @Test
    void helpShouldPrintTheUsageAndExitWithStatus0() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: demo").contains("--patients=N")
                .contains("default 50");
    }

    @Test
    void aServerThatCannotBeReachedShouldExitWithStatus1NamingTheUrl() {
        // port 9 (discard) on the loopback: nothing listens there on a test machine
        assertThat(run("--url", "http://127.0.0.1:9/fhir", "--patients", "1")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("the clinic not loaded: cannot reach http://127.0.0.1:9/fhir");
    }

    @Test
    void outShouldWriteTheClinicFirstThenOneFilePerPatientAsGenerated(@TempDir Path dir) throws IOException {
        assertThat(run("--out", dir.toString(), "--seed", "5", "--patients", "2", "--start", "3", "--heavy")).isZero();

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("0-clinic.json", "1-heavy.json", "patient-0000003.json", "patient-0000004.json");
        }
        DemoClinic clinic = new DemoClinic(5);
        assertThat(Files.readString(dir.resolve("0-clinic.json"))).isEqualTo(clinic.encode(clinic.clinic()));
        assertThat(Files.readString(dir.resolve("patient-0000004.json"))).isEqualTo(clinic.encode(clinic.patient(4)));
        assertThat(Files.readString(dir.resolve("1-heavy.json"))).isEqualTo(clinic.encode(clinic.heavyPatient()));
    }

    private int run(String... args) {
        return DemoCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
