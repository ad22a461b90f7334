package org.ketafhir.outcomes;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Composition.SectionComponent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ketafhir.outcomes.PatientOutcome.InstrumentOutcome;
import org.ketafhir.outcomes.PatientOutcome.SafetyEvent;
import org.ketafhir.outcomes.PatientOutcome.Session;
import org.springframework.web.util.HtmlUtils;

/**
 * Writes a {@link PatientOutcome} as a FHIR document for exchange (Bundle type document): a Composition with the
 * sections treatment course, dosing exposure, outcomes (one per instrument) and safety, each with a readable
 * narrative, followed by the resources the sections cite. Every value taken from a resource is HTML-escaped.
 */
final class OutcomeDocument {

    static final String SECTION_SYSTEM = "http://ketafhir.org/fhir/CodeSystem/ketafhir";
    private static final String LOINC = "http://loinc.org";

    private final OutcomeCodes codes;

    OutcomeDocument(OutcomeCodes codes) {
        this.codes = codes;
    }

    /**
     * R4 requires a document entry's fullUrl to be absolute (bdl-7, and "fullUrl ... absolute URL or URN"): a stored
     * resource is named by its URL on this server, a generated one (Composition, Device) by a urn:uuid. The Composition
     * cites the stored resources by the same absolute URLs, so every reference resolves inside the Bundle.
     *
     * @param base the server's FHIR base URL, absolute ({@code https://clinic.example/fhir})
     * @param read reads a cited resource ({@code Observation/1}); returns null when it is gone, and it is then left out
     */
    Bundle write(PatientOutcome outcome, Instant now, String base, Function<String, IBaseResource> read) {
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        Function<String, Reference> cite = relative -> new Reference(root + "/" + relative);
        Composition composition = new Composition();
        composition.setId(UUID.randomUUID().toString());
        composition.setStatus(Composition.CompositionStatus.FINAL);
        // LOINC 11506-3 Progress note: a summary of the course of treatment.
        composition.setType(new CodeableConcept(new Coding(LOINC, "11506-3", "Progress note")));
        composition.setDate(Date.from(now));
        composition.setTitle("Ketamine treatment outcome summary");
        composition.setSubject(cite.apply("Patient/" + outcome.patientId()));
        Device author = new Device();
        author.setId(UUID.randomUUID().toString());
        author.addDeviceName().setName("KetaFHIR outcome summary").setType(org.hl7.fhir.r4.model.Device.DeviceNameType.MANUFACTURERNAME);
        composition.addAuthor(new Reference("urn:uuid:" + author.getIdElement().getIdPart()));

        Set<String> cited = new LinkedHashSet<>();
        cited.add("Patient/" + outcome.patientId());
        SectionComponent course = section(composition, "treatment-course", "Treatment course");
        course.setText(narrative(courseText(outcome)));
        if (outcome.courseId() != null) {
            course.addEntry(cite.apply("CarePlan/" + outcome.courseId()));
            cited.add("CarePlan/" + outcome.courseId());
        }
        SectionComponent exposure = section(composition, "dosing-exposure", "Dosing exposure");
        exposure.setText(narrative(exposureText(outcome)));
        for (Session session : outcome.exposure().sessions()) {
            exposure.addEntry(cite.apply("MedicationAdministration/" + session.id()));
            cited.add("MedicationAdministration/" + session.id());
        }
        SectionComponent outcomes = section(composition, "outcomes", "Outcomes");
        outcomes.setText(narrative(outcome.instruments().isEmpty()
                ? "<p>No outcome scores in the period.</p>" : "<p>One section per instrument.</p>"));
        for (InstrumentOutcome instrument : outcome.instruments()) {
            SectionComponent sub = outcomes.addSection();
            sub.setTitle(instrument.instrument().title());
            sub.setCode(new CodeableConcept(instrument.instrument().code().copy()));
            sub.setText(narrative(instrumentText(instrument)));
            instrument.points().stream().map(PatientOutcome.Point::source).filter(s -> s != null).forEach(source -> {
                sub.addEntry(cite.apply(source));
                cited.add(source);
            });
        }
        SectionComponent safety = section(composition, "safety", "Safety");
        safety.setText(narrative(safetyText(outcome)));
        for (SafetyEvent event : outcome.safety().events()) {
            if (event.source() != null && !event.kind().equals("stopped-early")) {
                safety.addEntry(cite.apply(event.source()));
                cited.add(event.source());
            }
        }

        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.DOCUMENT);
        bundle.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID()));
        bundle.setTimestamp(Date.from(now));
        bundle.addEntry().setFullUrl("urn:uuid:" + composition.getIdElement().getIdPart()).setResource(composition);
        bundle.addEntry().setFullUrl("urn:uuid:" + author.getIdElement().getIdPart()).setResource(author);
        Map<String, Resource> found = new HashMap<>();
        for (String reference : cited) {
            IBaseResource resource = read.apply(reference);
            if (resource != null) {
                // Its id made absolute: the Composition's references below are written from it, as this URL.
                Resource stored = (Resource) resource;
                stored.setId(new IdType(root + "/" + reference));
                found.put(root + "/" + reference, stored);
                bundle.addEntry().setFullUrl(root + "/" + reference).setResource(stored);
            }
        }
        // The Composition's fullUrl is a urn:uuid, against which a relative reference resolves to nothing (R4 2.36.4.1),
        // so it must cite by absolute URL. A server's parser writes a reference string on its own base as relative; a
        // reference that holds its target is written from the target's (absolute) id instead.
        bind(composition.getSubject(), found);
        // A cited resource that could not be read (deleted since) must not stay referenced from the document.
        composition.getSection().forEach(s -> bind(s, found));
        return bundle;
    }

    private static void bind(SectionComponent section, Map<String, Resource> found) {
        section.getEntry().removeIf(r -> !found.containsKey(r.getReference()));
        section.getEntry().forEach(r -> bind(r, found));
        section.getSection().forEach(s -> bind(s, found));
    }

    private static void bind(Reference reference, Map<String, Resource> found) {
        Resource target = found.get(reference.getReference());
        if (target != null) {
            reference.setReferenceElement((org.hl7.fhir.r4.model.StringType) null);
            reference.setResource(target);
        }
    }

    private static SectionComponent section(Composition composition, String code, String title) {
        SectionComponent section = composition.addSection();
        section.setTitle(title);
        section.setCode(new CodeableConcept(new Coding(SECTION_SYSTEM, code, title)));
        return section;
    }

    private static Narrative narrative(String xhtml) {
        Narrative narrative = new Narrative();
        narrative.setStatus(Narrative.NarrativeStatus.GENERATED);
        narrative.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + xhtml + "</div>");
        return narrative;
    }

    private String courseText(PatientOutcome outcome) {
        StringBuilder html = new StringBuilder("<p>");
        html.append(outcome.exposure().sessions().size()).append(" dosing session(s)");
        if (outcome.exposure().first() != null) {
            html.append(" from ").append(esc(day(outcome.exposure().first()))).append(" to ")
                    .append(esc(day(outcome.exposure().last())));
        }
        html.append("; ").append(outcome.psychotherapySessions().size()).append(" psychotherapy session(s).");
        html.append(outcome.exposure().inductionCompleted()
                ? " Induction completed on " + esc(day(outcome.exposure().endOfInduction())) + "."
                : " Induction not completed: no end of induction.");
        return html.append("</p>").toString();
    }

    private String exposureText(PatientOutcome outcome) {
        PatientOutcome.Exposure e = outcome.exposure();
        StringBuilder html = new StringBuilder("<table><tr><th>Route</th><th>Sessions</th></tr>");
        e.sessionsByRoute().forEach((route, n) -> html.append("<tr><td>").append(esc(codes.describe(route)))
                .append("</td><td>").append(n).append("</td></tr>"));
        html.append("</table><p>Cumulative dose: ").append(e.cumulativeMg() == null ? "unknown" : esc(e.cumulativeMg().toPlainString() + " mg"))
                .append("; mean dose per kg: ").append(e.meanMgPerKg() == null ? "unknown" : esc(e.meanMgPerKg().toPlainString() + " mg/kg"))
                .append(".</p>");
        return html.toString();
    }

    private String instrumentText(InstrumentOutcome o) {
        StringBuilder html = new StringBuilder("<table><tr><th>Figure</th><th>Value</th></tr>");
        row(html, "Baseline", o.baseline() == null ? "none in the baseline window"
                : o.baseline().value() + " (" + day(o.baseline().at()) + ", " + band(o, o.baseline().value()) + ")");
        row(html, "Latest", o.latest().value() + " (" + day(o.latest().at()) + ", " + band(o, o.latest().value()) + ")");
        row(html, "Change", o.change().absolute() == null ? "not evaluable"
                : o.change().absolute() + (o.change().percent() == null ? "" : " points (" + o.change().percent().toPlainString() + " %)"));
        row(html, "Response", yesNo(o.response().met()));
        row(html, "Remission", Boolean.FALSE.equals(o.remission().evaluable())
                ? "not evaluable (baseline " + (o.instrument().remissionBaselineMin() == null ? "already in remission"
                        : "below " + o.instrument().remissionBaselineMin()) + ")"
                : yesNo(o.remission().met()));
        if (o.response().daysToFirst() != null) {
            row(html, "First response", "day " + o.response().daysToFirst() + ", after " + o.response().sessionsToFirst() + " session(s)");
        }
        if (o.remission().daysToFirst() != null) {
            row(html, "First remission", "day " + o.remission().daysToFirst() + ", after " + o.remission().sessionsToFirst() + " session(s)");
        }
        if (o.response().lost() != null) {
            row(html, "Loss of response", yesNo(o.response().lost()));
        }
        for (PatientOutcome.RapidScore rapid : o.rapidResponse()) {
            if (rapid.point() != null) {
                row(html, "Session " + rapid.session() + ", within " + rapid.windowHours() + " h",
                        rapid.point().value() + " (" + (rapid.point().dateOnly() ? day(rapid.point().at()) + ", date only" : rapid.point().at().toString())
                                + "); response " + yesNo(rapid.response()));
            }
        }
        return html.append("</table>").toString();
    }

    private String safetyText(PatientOutcome outcome) {
        PatientOutcome.Safety s = outcome.safety();
        StringBuilder html = new StringBuilder("<p>Adverse events: ").append(s.adverseEvents())
                .append("; safety signals: ").append(s.safetySignals())
                .append("; sessions stopped early: ").append(s.sessionsStoppedEarly()).append(".</p>");
        if (!s.events().isEmpty()) {
            html.append("<ul>");
            for (SafetyEvent event : s.events()) {
                html.append("<li>").append(esc(day(event.at()))).append(": ").append(esc(event.kind())).append(", ")
                        .append(esc(codes.describe(event.code()))).append("</li>");
            }
            html.append("</ul>");
        }
        PatientOutcome.SuicidalIdeation si = outcome.suicidalIdeation();
        html.append("<p>Suicidal-ideation item: positive at baseline ").append(yesNo(si.baselinePositive()))
                .append(", at the latest screen ").append(yesNo(si.latestPositive())).append(".</p>");
        return html.toString();
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><td>").append(esc(name)).append("</td><td>").append(esc(value)).append("</td></tr>");
    }

    private static String band(InstrumentOutcome o, int value) {
        return o.instrument().bandFor(value).map(b -> b.interpretation().getDisplay()).orElse("no band");
    }

    private static String yesNo(Boolean value) {
        return value == null ? "not applicable" : value ? "yes" : "no";
    }

    private static String day(Instant instant) {
        return instant.toString().substring(0, 10);
    }

    private static String esc(String text) {
        return HtmlUtils.htmlEscape(text == null ? "" : text, "UTF-8");
    }
}
