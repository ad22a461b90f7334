package org.ketafhir;

import java.util.Arrays;

import org.ketafhir.demo.DemoCommand;
import org.ketafhir.dosing.DosingConfig;
import org.ketafhir.ig.IgConfig;
import org.ketafhir.outcomes.OutcomesConfig;
import org.ketafhir.outcomes.report.ReportConfig;
import org.ketafhir.scoring.ScoringConfig;
import org.ketafhir.security.SecurityConfig;
import org.ketafhir.server.FhirServerConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * KetaFHIR: a FHIR R4 server for ketamine-therapy clinics on HAPI FHIR JPA.
 *
 * <p>Capabilities are assembled explicitly with {@link Import}: there is no component scan, so what runs
 * is exactly what the configuration classes name. HAPI declares its own JPA repositories, so Spring Data's auto-configuration is off;
 * Elasticsearch is not used (HAPI's client library is on the classpath, Boot would otherwise connect to it).
 */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = {
    ThymeleafAutoConfiguration.class,
    JpaRepositoriesAutoConfiguration.class,
    ElasticsearchRestClientAutoConfiguration.class
})
@Import({FhirServerConfig.class, IgConfig.class, ScoringConfig.class, DosingConfig.class, OutcomesConfig.class,
    SecurityConfig.class, ReportConfig.class})
public class KetaFhirApplication {

    public static void main(String[] args) {
        if (args.length > 0 && "demo".equals(args[0])) {
            // command-line mode: load the demo clinic into a running server; this process starts no server
            System.exit(DemoCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(KetaFhirApplication.class, args);
    }
}
