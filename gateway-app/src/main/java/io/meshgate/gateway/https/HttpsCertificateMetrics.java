package io.meshgate.gateway.https;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * {@code meshgate.https.certificate.expiry{name, source}}: seconds until each certificate the
 * HTTPS listener serves expires, for an alert long before a renewal is missed. Rows follow the
 * certificates as they come and go.
 */
final class HttpsCertificateMetrics {

	static final String EXPIRY = "meshgate.https.certificate.expiry";

	private HttpsCertificateMetrics() {
	}

	static void bind(HttpsCertificates certificates, MeterRegistry meters, Clock clock) {
		MultiGauge expiry = MultiGauge.builder(EXPIRY)
			.description("Seconds until a certificate of the HTTPS listener expires")
			.baseUnit("seconds")
			.register(meters);
		Runnable update = () -> expiry.register(certificates.list()
			.stream()
			.filter(view -> view.notAfter() != null)
			.map(view -> MultiGauge.Row.of(Tags.of("name", view.name(), "source", view.source()), view,
					v -> Duration.between(clock.instant(), v.notAfter()).toSeconds()))
			.toList(), true);
		certificates.onChange(update);
		update.run();
	}

}
