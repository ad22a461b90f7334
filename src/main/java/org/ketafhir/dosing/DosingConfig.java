package org.ketafhir.dosing;

import java.util.Optional;

import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Medication;
import org.ketafhir.ig.GuidePackage;
import org.ketafhir.ig.GuideValueSets;
import org.ketafhir.server.FhirServerCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;

/**
 * Dosing rules on every stored ketamine or esketamine session (see {@link DosingRules}); thresholds under
 * {@code ketafhir.dosing}. Off with {@code ketafhir.dosing.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "ketafhir.dosing", name = "enabled", havingValue = "true", matchIfMissing = true)
@Import(DosingSettingsConfig.class)
public class DosingConfig {

    /** A stored Medication a session refers to is read as the server (the client may not be allowed to read it). */
    @Bean
    DosingSessions dosingSessions(GuidePackage guide, DaoRegistry daos) {
        DosingFacts.Route.requireListed(GuideValueSets.enumerated(guide, "ketafhir-routes").keySet());
        return new DosingSessions(MedicationCodes.fromGuide(guide), reference -> {
            IdType id = new IdType(reference);
            if (!"Medication".equals(id.getResourceType()) || !id.hasIdPart() || id.hasBaseUrl()) {
                return Optional.empty();
            }
            try {
                Medication medication = daos.getResourceDao(Medication.class)
                        .read(id.toUnqualifiedVersionless(), new SystemRequestDetails());
                return medication.hasCode() ? Optional.of(medication.getCode()) : Optional.empty();
            } catch (ResourceNotFoundException | ResourceGoneException e) {
                return Optional.empty();
            }
        });
    }

    /** The guide's CodeSystem ketafhir-dosing-rule: each rule's default severity, overridability, value set. */
    @Bean
    DosingRuleCatalogue dosingRuleCatalogue(GuidePackage guide) {
        return DosingRuleCatalogue.fromGuide(guide);
    }

    @Bean
    DosingRecords dosingRecords(DaoRegistry daos, DosingProperties properties, ReadingWindows windows,
            DosingSessions sessions, DosingRuleCatalogue catalogue, GuidePackage guide) {
        return new DosingRecords(daos, properties, windows, sessions,
                ContraindicationGroups.fromGuide(guide, catalogue, properties.contraindications()),
                ContraindicationGroups.ofValueSet(guide, "ketafhir-acute-suicidal-ideation"),
                ReadingCodes.fromGuide(guide));
    }

    /** On HAPI's JPA interceptor service: storage hooks there fire once per stored resource, transactions included. */
    @Bean
    DosingStorageInterceptor dosingStorageInterceptor(
            DosingProperties properties, DosingSessions sessions, DosingRecords records, DosingRuleCatalogue catalogue,
            IInterceptorService jpaInterceptors) {
        DosingStorageInterceptor interceptor = new DosingStorageInterceptor(new DosingRules(properties, catalogue),
                sessions, records);
        jpaInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    /** Warnings returned in OperationOutcome responses, and {@code MedicationAdministration/[id]/$rems-record}. */
    @Bean
    FhirServerCustomizer dosingEndpoint(DosingProperties properties, DosingSessions sessions, DosingRecords records,
            GuidePackage guide) {
        DosingWarningsInterceptor warnings = new DosingWarningsInterceptor();
        RemsRecordProvider rems = new RemsRecordProvider(sessions, records, new RemsRecord(properties,
                GuideValueSets.enumerated(guide, "ketafhir-serious-adverse-events").keySet()));
        return server -> {
            server.registerInterceptor(warnings);
            server.registerProvider(rems);
        };
    }
}
