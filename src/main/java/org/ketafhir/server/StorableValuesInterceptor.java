package org.ketafhir.server;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.util.IModelVisitor2;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DecimalType;

/**
 * Refuses, with 400 naming the element, a decimal the database cannot hold. FHIR decimals have no range, but HAPI
 * indexes quantities as double-precision numbers: {@code valueQuantity.value = 1e400} used to fail inside the
 * database layer with a 500. Runs on HAPI's storage interceptor service, so transaction entries are checked too.
 */
@Interceptor
final class StorableValuesInterceptor {

    private final FhirContext fhirContext;

    StorableValuesInterceptor(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        check(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        check(resource);
    }

    void check(IBaseResource resource) {
        String type = fhirContext.getResourceType(resource);
        fhirContext.newTerser().visit(resource, new IModelVisitor2() {
            @Override
            public boolean acceptElement(IBase element, List<IBase> containingElements,
                    List<BaseRuntimeChildDefinition> children, List<BaseRuntimeElementDefinition<?>> definitions) {
                if (element instanceof DecimalType decimal && !storable(decimal.getValue())) {
                    throw new InvalidRequestException(path(type, containingElements, children)
                            + ": the decimal " + shortForm(decimal.getValue()) + " is outside the range this server can "
                            + "store and search (a double-precision number, about ±1.8E308)");
                }
                return true;
            }
        });
    }

    /** 1E+400 rather than its 401 digits. */
    private static String shortForm(BigDecimal value) {
        return value.round(new MathContext(8)).stripTrailingZeros().toString();
    }

    static boolean storable(BigDecimal value) {
        return value == null || Double.isFinite(value.doubleValue());
    }

    /** A FHIRPath-like location: {@code Observation.component[1].valueQuantity.value}. */
    private static String path(String type, List<IBase> containingElements, List<BaseRuntimeChildDefinition> children) {
        StringBuilder path = new StringBuilder(type);
        // containingElements[0] is the resource; children[i] leads from containingElements[i] to element i + 1
        for (int i = 0; i < children.size(); i++) {
            BaseRuntimeChildDefinition child = children.get(i);
            IBase value = i + 1 < containingElements.size() ? containingElements.get(i + 1) : null;
            String name = child.getElementName();
            if (child instanceof RuntimeChildChoiceDefinition choice && value != null) {
                name = choice.getChildNameByDatatype(value.getClass());
            }
            path.append('.').append(name);
            if (child.getMax() != 1 && value != null) {
                path.append('[').append(child.getAccessor().getValues(containingElements.get(i)).indexOf(value))
                        .append(']');
            }
        }
        return path.toString();
    }
}
