package org.ketafhir.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.hl7.fhir.r4.model.Questionnaire;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;

/**
 * Reads the guide's Questionnaires. The build copies {@code fhir-profiles/} onto the classpath, so the same call
 * works from the IDE, from tests and from the packaged jar. Spring's resource resolver is used only to list the
 * folder inside a jar; nothing here needs an application context.
 */
public final class QuestionnaireLoader {

    /** Classpath folder the build copies the guide to. */
    public static final String CLASSPATH_FOLDER = "fhir-profiles";

    private static final String PATTERN = "Questionnaire-*.json";

    private QuestionnaireLoader() {}

    /** Every {@code fhir-profiles/Questionnaire-*.json} on the classpath, in file-name order. */
    public static List<Questionnaire> fromClasspath() {
        return fromClasspath(QuestionnaireLoader.class.getClassLoader());
    }

    public static List<Questionnaire> fromClasspath(ClassLoader classLoader) {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver(classLoader)
                    .getResources("classpath*:" + CLASSPATH_FOLDER + "/" + PATTERN);
            List<Resource> sorted = new ArrayList<>(List.of(resources));
            sorted.sort(Comparator.comparing(r -> String.valueOf(r.getFilename())));
            List<Questionnaire> result = new ArrayList<>();
            for (Resource resource : sorted) {
                try (InputStream in = resource.getInputStream()) {
                    result.add(parse(in, resource.getDescription()));
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CLASSPATH_FOLDER + "/" + PATTERN + " from the classpath", e);
        }
    }

    static Questionnaire parse(InputStream in, String source) {
        IParser parser = FhirContext.forR4Cached().newJsonParser();
        try {
            return parser.parseResource(Questionnaire.class, in);
        } catch (RuntimeException e) {
            throw new InstrumentDefinitionException("cannot parse " + source + ": " + e.getMessage(), e);
        }
    }
}
