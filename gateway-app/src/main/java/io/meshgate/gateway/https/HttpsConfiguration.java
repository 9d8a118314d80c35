package io.meshgate.gateway.https;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTPS listener's certificates ({@link HttpsCertificates}, always present so that sources can
 * feed it whether or not the listener runs) and, with {@code meshgate.https.port}, the listener.
 */
@Configuration(proxyBeanMethods = false)
public class HttpsConfiguration {

	@Bean
	HttpsCertificates httpsCertificates() {
		return new HttpsCertificates(Clock.systemUTC());
	}

}
