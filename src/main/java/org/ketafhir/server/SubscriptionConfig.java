package org.ketafhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Standard FHIR R4 Subscriptions with the rest-hook channel: a clinic system registers a Subscription with
 * criteria such as {@code Flag?status=active} and receives matching resources by HTTP POST. Matching runs in
 * memory on the node that stored the resource.
 */
@Configuration(proxyBeanMethods = false)
@Import({SubscriptionSubmitterConfig.class, SubscriptionProcessorConfig.class, SubscriptionChannelConfig.class})
public class SubscriptionConfig {

    @Bean
    public SubscriptionSettings subscriptionSettings() {
        SubscriptionSettings settings = new SubscriptionSettings();
        settings.addSupportedSubscriptionType(SubscriptionChannelType.RESTHOOK);
        return settings;
    }

    /** Changes no active subscription could match are not queued for matching (see the class). */
    @Bean
    public UnsubscribedChangeFilter unsubscribedChangeFilter(FhirServerProperties properties, FhirContext fhirContext,
            SubscriptionRegistry registry, IInterceptorService jpaInterceptors) {
        UnsubscribedChangeFilter filter = new UnsubscribedChangeFilter(fhirContext, registry);
        if (properties.skipUnsubscribedChanges()) {
            jpaInterceptors.registerInterceptor(filter);
        }
        return filter;
    }

    /**
     * HAPI's delivery machinery asks for an e-mail sender even when only rest-hook is enabled. E-mail is not a
     * supported channel (Subscriptions asking for it are refused), so this sender is never reached.
     */
    @Bean
    public IEmailSender emailSender() {
        return details -> {
            throw new UnsupportedOperationException("E-mail subscriptions are not supported by this server");
        };
    }
}
