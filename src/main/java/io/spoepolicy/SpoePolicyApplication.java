package io.spoepolicy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of the SPOE policy service: an HAProxy SPOP agent whose decisions come from Spring
 * policy beans.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SpoePolicyApplication {

    public static void main(String[] args) {
        SpringApplication.run(SpoePolicyApplication.class, args);
    }
}
