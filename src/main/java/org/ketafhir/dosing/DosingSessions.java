package org.ketafhir.dosing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationAdministration.MedicationAdministrationStatus;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.ketafhir.dosing.DosingFacts.Medication;
import org.ketafhir.dosing.DosingFacts.Rate;
import org.ketafhir.dosing.DosingFacts.Route;
import org.ketafhir.dosing.DosingFacts.Session;
import org.ketafhir.dosing.DosingFacts.Weight;

/**
 * Reads a MedicationAdministration as a dosing session and writes back what the rules compute (the guide's
 * dose-per-kg and body-weight-used extensions). Plain FHIR model code, no storage.
 */
final class DosingSessions {

    static final String DOSE_PER_KG = "http://ketafhir.org/fhir/StructureDefinition/dose-per-kg";
    static final String BODY_WEIGHT_USED = "http://ketafhir.org/fhir/StructureDefinition/body-weight-used";
    static final String OBSERVATION_END = "http://ketafhir.org/fhir/StructureDefinition/post-dose-observation-end";
    static final String OVERRIDE_REASON = "http://ketafhir.org/fhir/StructureDefinition/override-reason";
    static final String UCUM = "http://unitsofmeasure.org";

    private final MedicationCodes codes;
    private final Function<String, Optional<CodeableConcept>> storedMedications;

    /** Sessions that name their drug by a code or by a contained Medication. */
    DosingSessions(MedicationCodes codes) {
        this(codes, reference -> Optional.empty());
    }

    /** @param storedMedications the code of a stored Medication by its reference ({@code Medication/id}) */
    DosingSessions(MedicationCodes codes, Function<String, Optional<CodeableConcept>> storedMedications) {
        this.codes = Objects.requireNonNull(codes, "codes");
        this.storedMedications = Objects.requireNonNull(storedMedications, "storedMedications");
    }

    /**
     * Ketamine or esketamine, from medicationCodeableConcept or from the code of the Medication medicationReference
     * names (contained, or stored): a session naming its drug by reference gets the same rules.
     */
    Optional<Medication> medicationOf(MedicationAdministration administration) {
        return MedicationCodes.medication(administration, storedMedications).flatMap(codes::classify);
    }

    /**
     * The session the rules check: a ketamine or esketamine administration with a start and a dose in mg, that is
     * not entered-in-error or not-done (nothing was given). Anything else is left to the profile.
     */
    Optional<Session> read(MedicationAdministration administration) {
        Optional<Medication> medication = medicationOf(administration);
        MedicationAdministrationStatus status = administration.getStatus();
        if (medication.isEmpty() || status == MedicationAdministrationStatus.ENTEREDINERROR
                || status == MedicationAdministrationStatus.NOTDONE) {
            return Optional.empty();
        }
        Optional<Instant> start = start(administration);
        Quantity dose = administration.getDosage().getDose();
        if (start.isEmpty() || !dose.hasValue() || !"mg".equals(dose.getCode())) {
            return Optional.empty();
        }
        Instant doseEnd = administration.hasEffectivePeriod() && administration.getEffectivePeriod().hasEnd()
                ? administration.getEffectivePeriod().getEnd().toInstant()
                : start.get();
        Optional<Instant> observationEnd = Optional.ofNullable(administration.getExtensionByUrl(OBSERVATION_END))
                .filter(e -> e.getValue() instanceof DateTimeType dt && dt.getValue() != null)
                .map(e -> ((DateTimeType) e.getValue()).getValue().toInstant());
        return Optional.of(new Session(medication.get(), route(administration), dose.getValue(), start.get(), doseEnd,
                observationEnd, status == MedicationAdministrationStatus.COMPLETED, !overrideReasons(administration).isEmpty(),
                rate(administration)));
    }

    static Optional<Rate> rate(MedicationAdministration administration) {
        if (!administration.getDosage().hasRateQuantity()) {
            return Optional.empty();
        }
        Quantity rate = administration.getDosage().getRateQuantity();
        return rate.hasValue() && rate.hasCode() ? Optional.of(new Rate(rate.getValue(), rate.getCode())) : Optional.empty();
    }

    static Route route(MedicationAdministration administration) {
        return administration.getDosage().getRoute().getCoding().stream()
                .filter(c -> Route.SNOMED.equals(c.getSystem()))
                .flatMap(c -> Route.ofSnomed(c.getCode()).stream())
                .findFirst()
                .orElse(Route.OTHER);
    }

    static Optional<Instant> start(MedicationAdministration administration) {
        return EffectiveTimes.of(administration.getEffective());
    }

    static List<CodeableConcept> overrideReasons(MedicationAdministration administration) {
        return administration.getExtensionsByUrl(OVERRIDE_REASON).stream()
                .map(Extension::getValue)
                .filter(CodeableConcept.class::isInstance)
                .map(CodeableConcept.class::cast)
                .toList();
    }

    /**
     * Puts the computed dose per kilogram and the weight used on the session, replacing what the client sent; with
     * no weight used, leaves the session as sent. Returns whether anything changed.
     */
    static boolean record(MedicationAdministration administration, Optional<BigDecimal> mgPerKg, Optional<Weight> weight) {
        if (mgPerKg.isEmpty() || weight.isEmpty()) {
            return false;
        }
        BigDecimal rounded = mgPerKg.get().setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
        if (rounded.scale() < 0) {
            rounded = rounded.setScale(0);
        }
        MedicationAdministration.MedicationAdministrationDosageComponent dosage = administration.getDosage();
        Extension currentDose = dosage.getExtensionByUrl(DOSE_PER_KG);
        Extension currentWeight = administration.getExtensionByUrl(BODY_WEIGHT_USED);
        boolean sameDose = currentDose != null && currentDose.getValue() instanceof Quantity q && q.hasValue()
                && q.getValue().compareTo(rounded) == 0 && "mg/kg".equals(q.getCode());
        boolean sameWeight = currentWeight != null && currentWeight.getValue() instanceof Reference r
                && weight.get().reference().equals(r.getReference());
        if (sameDose && sameWeight) {
            return false;
        }
        dosage.getExtension().removeIf(e -> DOSE_PER_KG.equals(e.getUrl()));
        dosage.addExtension(DOSE_PER_KG, new Quantity().setValue(rounded).setUnit("mg/kg").setSystem(UCUM).setCode("mg/kg"));
        administration.getExtension().removeIf(e -> BODY_WEIGHT_USED.equals(e.getUrl()));
        administration.addExtension(BODY_WEIGHT_USED, new Reference(weight.get().reference()));
        return true;
    }
}
