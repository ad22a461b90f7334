package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.model.CanonicalSubscription;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.rest.server.messaging.BaseResourceMessage.OperationTypeEnum;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;

class UnsubscribedChangeFilterTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final List<ActiveSubscription> active = new ArrayList<>();
    private final UnsubscribedChangeFilter filter = new UnsubscribedChangeFilter(FHIR, () -> active);

    @Test
    void shouldDropEveryChangeButSubscriptionsWhenNoSubscriptionIsActive() {
        assertThat(filter.keep(change(new Observation(), "Observation/1"))).isFalse();
        assertThat(filter.keep(change(new AuditEvent(), "AuditEvent/2"))).isFalse();
        assertThat(filter.keep(change(new Subscription(), "Subscription/3"))).isTrue();
    }

    @Test
    void shouldKeepAChangeOfATypeNamedByAnActiveSubscriptionsCriteria() {
        active.add(subscription("s1", "Flag?subject=Patient/7"));
        active.add(subscription("s2", "[Condition,AllergyIntolerance]"));

        assertThat(filter.keep(change(new Flag(), "Flag/1"))).isTrue();
        assertThat(filter.keep(change(new Condition(), "Condition/2"))).isTrue();
        assertThat(filter.keep(change(new Observation(), "Observation/3"))).isFalse();
    }

    @Test
    void shouldKeepEveryChangeForAnAllTypesOrATopicSubscription() {
        active.add(subscription("all", "[*]"));
        assertThat(filter.keep(change(new Observation(), "Observation/1"))).isTrue();

        active.clear();
        CanonicalSubscription topic = new CanonicalSubscription();
        topic.setIdElement(new org.hl7.fhir.r4.model.IdType("Subscription/topic"));
        topic.setTopicSubscription(true);
        topic.setCriteriaString(null);
        active.add(new ActiveSubscription(topic, "channel"));
        assertThat(filter.keep(change(new Observation(), "Observation/1"))).isTrue();
    }

    private static ActiveSubscription subscription(String id, String criteria) {
        CanonicalSubscription subscription = new CanonicalSubscription();
        subscription.setIdElement(new org.hl7.fhir.r4.model.IdType("Subscription/" + id));
        subscription.setCriteriaString(criteria);
        return new ActiveSubscription(subscription, "channel-" + id);
    }

    private static ResourceModifiedMessage change(IBaseResource resource, String id) {
        resource.setId(id);
        return new ResourceModifiedMessage(FHIR, resource, OperationTypeEnum.CREATE);
    }
}
