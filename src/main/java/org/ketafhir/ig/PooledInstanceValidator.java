package org.ketafhir.ig;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.hl7.fhir.validation.ValidatorSettings;

/**
 * HAPI's {@link FhirInstanceValidator} that keeps the core {@link InstanceValidator}s it builds and reuses them,
 * one validation at a time each, instead of building one per validated resource.
 *
 * <p>Why: HAPI builds a new {@code InstanceValidator} for every validation, and its constructor reads and parses
 * the 1.5 MB OID registry ({@code oidregistry.csv}, 21,350 lines) and builds a fresh FHIRPath engine, whose compiled
 * invariants are then thrown away. Profiled under ingest, that construction was half of all request CPU with the
 * guide enforced. {@code InstanceValidator} is built for reuse: each validation starts by clearing its per-resource
 * state (fetched references, the resource tracker, tracked messages).
 *
 * <p>What a reused validator remembers between validations: resolved {@code meta.profile} canonicals (forgotten
 * here, with the validators, whenever a StructureDefinition is written), which draft/deprecated-status warnings it
 * already gave (warnings only; enforcement reads errors), and every coding it has seen: its {@code CodingsObserver}
 * keeps them, with the element trees they sit in, and is never cleared (org.hl7.fhir.core 6.7.9). So a validator is
 * retired after {@link #DEFAULT_USES} validations: memory stays bounded, and the construction cost is spread over
 * that many resources. JSON only; anything else goes to HAPI's own path. Configured like HAPI's (same options, same
 * post-filtering of messages).
 */
@Interceptor
public class PooledInstanceValidator extends FhirInstanceValidator {

    /** Validations per kept validator before it is retired. */
    static final int DEFAULT_USES = 100;

    private final Deque<Pooled> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong built = new AtomicLong();
    private final int uses;

    private static final class Pooled {
        final InstanceValidator validator;
        final long generation;
        int uses;

        Pooled(InstanceValidator validator, long generation) {
            this.validator = validator;
            this.generation = generation;
        }
    }

    public PooledInstanceValidator(FhirContext fhirContext) {
        this(fhirContext, DEFAULT_USES);
    }

    PooledInstanceValidator(FhirContext fhirContext, int uses) {
        super(fhirContext);
        this.uses = uses;
    }

    @Override
    protected List<ValidationMessage> validate(IValidationContext<?> context) {
        if (context.getResourceAsStringEncoding() != EncodingEnum.JSON) {
            return super.validate(context);
        }
        IWorkerContext worker = provideWorkerContext();
        List<ValidationMessage> messages = new ArrayList<>();
        List<StructureDefinition> profiles = profiles(worker, context, messages);
        Pooled pooled = borrow(worker);
        List<ValidationMessage> results = new ArrayList<>();
        // A validator that throws half way is not given back: it is not trusted again.
        pooled.uses++;
        pooled.validator.validate(context.getOptions().getAppContext(), results,
                new ByteArrayInputStream(context.getResourceAsString().getBytes(StandardCharsets.UTF_8)),
                FhirFormat.JSON, profiles);
        giveBack(pooled);
        if (profiles.isEmpty()) {
            results.addAll(messages);
        }
        return results.stream().filter(PooledInstanceValidator::kept).map(this::withProfileSeverity).toList();
    }

    /**
     * The profiles asked for and those the resource declares, each once (HAPI's wrapper lists a profile both asked
     * for and declared twice, and the validator then checks it twice). An unknown profile is an error message.
     */
    private List<StructureDefinition> profiles(IWorkerContext worker, IValidationContext<?> context,
            List<ValidationMessage> unknown) {
        Set<String> urls = new LinkedHashSet<>(context.getOptions().getProfiles());
        declaredProfiles(context).forEach(urls::add);
        List<StructureDefinition> profiles = new ArrayList<>();
        for (String url : urls) {
            StructureDefinition profile;
            try {
                profile = worker.fetchResource(StructureDefinition.class, url);
            } catch (FHIRException unusable) {
                // As HAPI's wrapper: a profile that cannot be loaded is left to the validator's own meta.profile check.
                continue;
            }
            if (profile != null) {
                profiles.add(profile);
            } else {
                ValidationMessage message = new ValidationMessage();
                message.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN);
                message.setLevel(ValidationMessage.IssueSeverity.ERROR);
                message.setMessage("Invalid profile. Failed to retrieve profile with url=" + url);
                unknown.add(message);
            }
        }
        return profiles;
    }

    /** The resource's {@code meta.profile}; none when text given to validate does not parse (the validator says why). */
    private static List<String> declaredProfiles(IValidationContext<?> context) {
        IBaseResource resource;
        try {
            resource = (IBaseResource) context.getResource();
        } catch (DataFormatException unreadable) {
            return List.of();
        }
        if (resource == null || resource.getMeta() == null) {
            return List.of();
        }
        return resource.getMeta().getProfile().stream()
                .map(IPrimitiveType::getValueAsString)
                .filter(Objects::nonNull)
                .toList();
    }

    private Pooled borrow(IWorkerContext worker) {
        long current = generation.get();
        for (Pooled pooled = idle.pollFirst(); pooled != null; pooled = idle.pollFirst()) {
            if (pooled.generation == current) {
                return pooled;
            }
        }
        built.incrementAndGet();
        return new Pooled(newValidator(worker), current);
    }

    private void giveBack(Pooled pooled) {
        if (pooled.generation == generation.get() && pooled.uses < uses) {
            idle.offerFirst(pooled);
        }
    }

    /** The settings HAPI's wrapper gives each validator it builds, from this module's options. */
    private InstanceValidator newValidator(IWorkerContext worker) {
        InstanceValidator validator;
        try {
            validator = new InstanceValidator(worker,
                    Objects.requireNonNullElseGet(getHostApplicationServices(), NullEvaluationContext::new),
                    new XVerExtensionManagerOld(worker), new ValidatorSession(), new ValidatorSettings());
        } catch (Exception e) {
            throw new IllegalStateException("Could not build the instance validator", e);
        }
        validator.setAssumeValidRestReferences(isAssumeValidRestReferences());
        validator.setBestPracticeWarningLevel(getBestPracticeWarningLevel());
        validator.setAnyExtensionsAllowed(isAnyExtensionsAllowed());
        validator.setResourceIdRule(IdStatus.OPTIONAL);
        validator.setNoTerminologyChecks(isNoTerminologyChecks());
        validator.setErrorForUnknownProfiles(isErrorForUnknownProfiles());
        validator.setUnknownCodeSystemsCauseErrors(true);
        validator.getExtensionDomains().addAll(getExtensionDomains());
        validator.setFetcher(getValidatorResourceFetcher());
        validator.setPolicyAdvisor(getValidatorPolicyAdvisor());
        validator.setNoExtensibleWarnings(isNoExtensibleWarnings());
        validator.setNoBindingMsgSuppressed(isNoBindingMsgSuppressed());
        validator.setAllowExamples(isAllowExamples());
        validator.setAllowXsiLocation(true);
        return validator;
    }

    /** HAPI drops these two messages: a binding without a source, and the unresolvable mime-types ValueSet. */
    private static boolean kept(ValidationMessage message) {
        String id = message.getMessageId();
        return id == null
                || !(id.equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
                        || (id.equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
                                && message.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes")));
    }

    private ValidationMessage withProfileSeverity(ValidationMessage message) {
        if (I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(message.getMessageId())
                || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(message.getMessageId())) {
            message.setLevel(isErrorForUnknownProfiles()
                    ? ValidationMessage.IssueSeverity.ERROR
                    : ValidationMessage.IssueSeverity.WARNING);
        }
        return message;
    }

    int keptValidators() {
        return idle.size();
    }

    long builtValidators() {
        return built.get();
    }

    /** Forgets every kept validator (and the profiles they resolved); the next validations build new ones. */
    void forgetValidators() {
        generation.incrementAndGet();
        idle.clear();
    }

    @Override
    public void invalidateCaches() {
        forgetValidators();
        super.invalidateCaches();
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        forgetIfProfile(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        forgetIfProfile(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        forgetIfProfile(resource);
    }

    /** HAPI's own caches are invalidated by its StructureDefinition DAO; the kept validators are not. */
    private void forgetIfProfile(IBaseResource resource) {
        if (resource instanceof org.hl7.fhir.r4.model.StructureDefinition) {
            forgetValidators();
        }
    }
}
