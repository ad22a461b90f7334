package org.ketafhir.ig;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The implementation guide's NPM package, read once: the one source of the guide in the server. The installer
 * stores this package ({@link GuideInstaller}) and the validator reads the profiles from the stored copy; the code
 * lists, rule catalogue, instruments and cohort definition the server acts on are read from the same package
 * ({@code ketafhir.ig.package-resource}), so what is enforced and what is acted on cannot come from two versions
 * of the guide. Resources are handed out as copies.
 */
public final class GuidePackage {

    /** The package the build makes from {@code fhir-profiles/} and puts on the classpath. */
    public static final String BUILT_IN = "classpath:ig-package/ketafhir.ig-0.1.0.tgz";

    private static volatile GuidePackage builtIn;

    private final NpmPackage npm;
    private final byte[] contents;
    private final String source;
    private final Map<String, Resource> resources;

    private GuidePackage(NpmPackage npm, byte[] contents, String source, Map<String, Resource> resources) {
        this.npm = npm;
        this.contents = contents;
        this.source = source;
        this.resources = resources;
    }

    /**
     * @param file the package ({@code .tgz})
     * @throws IllegalStateException when it cannot be read: the server must not start without its guide
     */
    public static GuidePackage read(FhirContext fhirContext, org.springframework.core.io.Resource file) {
        try (InputStream in = file.getInputStream()) {
            byte[] contents = in.readAllBytes();
            NpmPackage npm = NpmPackage.fromPackage(new ByteArrayInputStream(contents));
            Map<String, Resource> resources = new LinkedHashMap<>();
            List<String> files = new ArrayList<>(npm.listResources(Stream.concat(Stream.of("ImplementationGuide"),
                    GuideInstaller.INSTALLED_TYPES.stream()).toArray(String[]::new)));
            files.sort(null);
            for (String name : files) {
                try (InputStream resource = npm.loadResource(name)) {
                    Resource parsed = (Resource) fhirContext.newJsonParser().parseResource(resource);
                    resources.put(parsed.fhirType() + "/" + parsed.getIdPart(), parsed);
                }
            }
            return new GuidePackage(npm, contents, file.getDescription(), resources);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("The implementation guide package " + file.getDescription()
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The package built from {@code fhir-profiles/}, for code that runs without the server's settings. */
    public static GuidePackage builtIn() {
        GuidePackage guide = builtIn;
        if (guide == null) {
            guide = read(FhirContext.forR4Cached(), new DefaultResourceLoader().getResource(BUILT_IN));
            builtIn = guide;
        }
        return guide;
    }

    /**
     * @param id the resource's id in the guide, e.g. {@code ketafhir-medications}
     * @throws IllegalStateException when the guide holds no such resource
     */
    public <T extends Resource> T resource(Class<T> type, String id) {
        String key = type.getSimpleName() + "/" + id;
        Resource resource = resources.get(key);
        if (resource == null) {
            throw new IllegalStateException("The implementation guide " + this + " holds no " + key);
        }
        return type.cast(resource.copy());
    }

    /** Every resource of the type the guide holds, in file-name order. */
    public <T extends Resource> List<T> resources(Class<T> type) {
        return resources.values().stream().filter(type::isInstance).map(r -> type.cast(r.copy())).toList();
    }

    String name() {
        return npm.name();
    }

    String version() {
        return npm.version();
    }

    byte[] contents() {
        return contents.clone();
    }

    /** Where the package was read from. */
    String source() {
        return source;
    }

    @Override
    public String toString() {
        return npm.name() + "#" + npm.version();
    }
}
