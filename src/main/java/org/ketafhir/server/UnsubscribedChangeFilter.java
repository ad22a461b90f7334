package org.ketafhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps a stored change out of HAPI's subscription pipeline when no active subscription could match its resource
 * type.
 *
 * <p>HAPI queues every create, update and delete for subscription matching, whether or not any subscription
 * exists: it writes the change to a table ({@code HFJ_RESOURCE_MODIFIED}), a scheduled pass reads and deletes it, and
 * the matcher reads the resource back from the database and parses it, only to find nothing to match. Profiled under
 * an audited ingest with no subscription, that was 29 % of the server's CPU (every AuditEvent is a change too).
 * HAPI offers the {@link Pointcut#SUBSCRIPTION_RESOURCE_MODIFIED} hook to stop a change there; this is that hook.
 *
 * <p>It decides as HAPI's matcher would, from the same registry of active subscriptions: a change is kept when a
 * subscription's criteria name its resource type or all types ({@code *}), when any topic-based subscription is
 * active, and always for Subscription and SubscriptionTopic resources (their activation runs through the same
 * pipeline). HAPI's matcher reads the same registry a few seconds later; the only change it could still have sent
 * and this drops is one stored in those seconds before a new subscription was registered on this node, and FHIR
 * promises notifications from a subscription's activation on. On by default; {@code
 * ketafhir.server.skip-unsubscribed-changes=false} restores HAPI's behaviour.
 */
@Interceptor
public class UnsubscribedChangeFilter {

    private static final Set<String> ALWAYS_KEPT = Set.of("Subscription", "SubscriptionTopic");

    private final FhirContext fhirContext;
    private final Supplier<Iterable<ActiveSubscription>> activeSubscriptions;

    UnsubscribedChangeFilter(FhirContext fhirContext, SubscriptionRegistry registry) {
        this(fhirContext, registry::getAll);
    }

    UnsubscribedChangeFilter(FhirContext fhirContext, Supplier<Iterable<ActiveSubscription>> activeSubscriptions) {
        this.fhirContext = fhirContext;
        this.activeSubscriptions = activeSubscriptions;
    }

    /** {@code false} stops HAPI from queueing the change for matching. */
    @Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
    public boolean keep(ResourceModifiedMessage change) {
        String type = change.getResourceType(fhirContext);
        if (type == null || ALWAYS_KEPT.contains(type)) {
            return true;
        }
        for (ActiveSubscription active : activeSubscriptions.get()) {
            if (couldMatch(active, type)) {
                return true;
            }
        }
        return false;
    }

    private static boolean couldMatch(ActiveSubscription active, String type) {
        if (active.getSubscription() != null && active.getSubscription().isTopicSubscription()) {
            return true;
        }
        var criteria = active.getCriteria();
        if (criteria == null) {
            return false;
        }
        return switch (criteria.getType()) {
            case STARTYPE_EXPRESSION -> true;
            case SEARCH_EXPRESSION, MULTITYPE_EXPRESSION -> criteria.getApplicableResourceTypes().contains(type);
        };
    }
}
