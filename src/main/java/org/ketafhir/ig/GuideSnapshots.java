package org.ketafhir.ig;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Build step: writes the guide's StructureDefinitions with their snapshots, as a published guide's package carries
 * them. The sources in {@code fhir-profiles/} hold differentials only; without snapshots in the package, HAPI's
 * package installer generates one per profile at the first start on a new database (about half of the guide's
 * installation time) and every other server that installs the package does the same. The snapshots come from HAPI's
 * own generator over the R4 core definitions and the guide's other profiles, which is what the installer would do.
 *
 * <p>Run by the build ({@code exec:java@guide-snapshots}):
 * {@code GuideSnapshots <fhir-profiles folder> <output folder>}; writes one file per StructureDefinition, under the
 * source file's name.
 */
public final class GuideSnapshots {

    private final ValidationSupportChain support;

    GuideSnapshots(FhirContext fhirContext, List<StructureDefinition> differentials) {
        PrePopulatedValidationSupport guide = new PrePopulatedValidationSupport(fhirContext);
        differentials.forEach(sd -> guide.addStructureDefinition(sd.copy()));
        this.support = new ValidationSupportChain(new DefaultProfileValidationSupport(fhirContext), guide,
                new SnapshotGeneratingValidationSupport(fhirContext));
    }

    /**
     * @return a copy of the profile with its snapshot
     * @throws IllegalStateException when no snapshot can be made (its base is unknown, or the generator fails)
     */
    StructureDefinition withSnapshot(StructureDefinition differential) {
        StructureDefinition snapshot;
        try {
            snapshot = (StructureDefinition) support.generateSnapshot(new ValidationSupportContext(support),
                    differential.copy(), differential.getUrl(), null, differential.getName());
        } catch (RuntimeException e) {
            throw new IllegalStateException("No snapshot for " + differential.getUrl() + ": " + e.getMessage(), e);
        }
        if (snapshot == null || !snapshot.hasSnapshot() || snapshot.getSnapshot().getElement().isEmpty()) {
            throw new IllegalStateException("No snapshot for " + differential.getUrl());
        }
        return snapshot;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: GuideSnapshots <fhir-profiles folder> <output folder>");
        }
        // Maven's console, not a server log: HAPI's per-profile INFO lines say nothing the summary line does not
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path source = Path.of(args[0]);
        Path output = Files.createDirectories(Path.of(args[1]));
        FhirContext fhirContext = FhirContext.forR4Cached();
        IParser parser = fhirContext.newJsonParser();
        List<Path> files;
        try (Stream<Path> listing = Files.list(source)) {
            files = listing.filter(p -> p.getFileName().toString().matches("StructureDefinition-.*\\.json"))
                    .sorted().toList();
        }
        List<StructureDefinition> differentials = files.stream().map(file -> {
            try {
                return parser.parseResource(StructureDefinition.class, Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
        GuideSnapshots snapshots = new GuideSnapshots(fhirContext, differentials);
        IParser writer = fhirContext.newJsonParser().setPrettyPrint(true);
        for (int i = 0; i < files.size(); i++) {
            Files.writeString(output.resolve(files.get(i).getFileName()),
                    writer.encodeResourceToString(snapshots.withSnapshot(differentials.get(i))) + "\n",
                    StandardCharsets.UTF_8);
        }
        System.out.printf("GuideSnapshots: %d profiles with snapshots in %s%n", files.size(), output);
    }
}
