package org.ketafhir.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * The values an AuditEvent is found by, one per search parameter value, as the audit log indexes them. References
 * are kept as recorded (BALP records absolute URLs of this server) and as {@code Type/id}, so that
 * {@code AuditEvent?patient=Patient/123} finds them; codes as {@code system|code} and as the bare code, as FHIR
 * token search allows both.
 */
final class AuditValues {

    /** The search parameters of the log, by the name they have in FHIR's AuditEvent. */
    enum Kind { PATIENT, ENTITY, AGENT, TYPE, SUBTYPE, ACTION, OUTCOME }

    record Value(Kind kind, String value) {}

    /** The longest value indexed; longer ones (a query string given as a reference) are left out of the index. */
    static final int MAX_LENGTH = 500;

    private static final Pattern RESOURCE_URL =
            Pattern.compile("^(?:https?://[^?#]*/)?([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?$");
    private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";

    private AuditValues() {}

    static List<Value> of(AuditEvent event) {
        Set<Value> values = new LinkedHashSet<>();
        coding(values, Kind.TYPE, event.getType());
        event.getSubtype().forEach(subtype -> coding(values, Kind.SUBTYPE, subtype));
        if (event.hasAction()) {
            add(values, Kind.ACTION, event.getAction().toCode());
        }
        if (event.hasOutcome()) {
            add(values, Kind.OUTCOME, event.getOutcome().toCode());
        }
        for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
            Reference who = agent.getWho();
            reference(values, Kind.AGENT, who.getReference());
            if (who.hasIdentifier() && who.getIdentifier().hasValue()) {
                String value = who.getIdentifier().getValue();
                add(values, Kind.AGENT, value);
                if (who.getIdentifier().hasSystem()) {
                    add(values, Kind.AGENT, who.getIdentifier().getSystem() + "|" + value);
                }
            }
            if (isPatient(who.getReference())) {
                reference(values, Kind.PATIENT, who.getReference());
            }
        }
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            String what = entity.getWhat().getReference();
            reference(values, Kind.ENTITY, what);
            boolean patientRole = OBJECT_ROLE.equals(entity.getRole().getSystem()) && "1".equals(entity.getRole().getCode());
            if (isPatient(what) || patientRole && relative(what) != null) {
                reference(values, Kind.PATIENT, what);
            }
        }
        return List.copyOf(values);
    }

    /**
     * A reference as the log indexes it: {@code Type/id} for a URL or relative reference to a resource (any version),
     * else null.
     */
    static String relative(String reference) {
        if (reference == null) {
            return null;
        }
        Matcher matcher = RESOURCE_URL.matcher(reference);
        return matcher.matches() ? matcher.group(1) + "/" + matcher.group(2) : null;
    }

    private static boolean isPatient(String reference) {
        String relative = relative(reference);
        return relative != null && relative.startsWith("Patient/");
    }

    private static void reference(Set<Value> values, Kind kind, String reference) {
        if (reference == null || reference.isBlank()) {
            return;
        }
        add(values, kind, reference);
        add(values, kind, relative(reference));
    }

    private static void coding(Set<Value> values, Kind kind, Coding coding) {
        if (coding.hasCode()) {
            add(values, kind, coding.getCode());
            if (coding.hasSystem()) {
                add(values, kind, coding.getSystem() + "|" + coding.getCode());
            }
        }
    }

    private static void add(Set<Value> values, Kind kind, String value) {
        if (value != null && !value.isBlank() && value.length() <= MAX_LENGTH) {
            values.add(new Value(kind, value));
        }
    }
}
