package io.meshgate.policy;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest gateway application: Spring Cloud Gateway plus the policy module, nothing else. */
@SpringBootApplication
public class PolicyTestApplication {

}
