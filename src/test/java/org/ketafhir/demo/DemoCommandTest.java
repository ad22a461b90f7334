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
    void anUnknownArgumentShouldExitWithStatus2AndTheUsage() {
        assertThat(run("--patinets", "5")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown argument '--patinets'").contains("Usage:");
    }

    @Test
    void aNonNumericCountShouldExitWithStatus2NamingTheOption() {
        assertThat(run("--patients", "many")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--patients must be a whole number");
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
