package io.meshgate.gateway.https;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The HTTPS listener's handshakes and the client certificates it checked in them:
 * <ul>
 * <li>{@code meshgate.https.handshakes{outcome}}: {@code verified} (completed with a verified
 * client certificate), {@code anonymous} (completed without one), {@code failed} (a required
 * certificate missing, a certificate refused, no common version or suite, a client gone);</li>
 * <li>{@code meshgate.https.client.certificates{outcome}}: each client certificate checked:
 * {@code verified}, {@code untrusted}, {@code expired}, {@code subject_alt_name}.</li>
 * </ul>
 */
final class ClientCertificateMetrics {

	static final String NAME = "meshgate.https.client.certificates";

	static final String HANDSHAKES = "meshgate.https.handshakes";

	enum Handshake {

		VERIFIED, ANONYMOUS, FAILED

	}

	enum Outcome {

		/** Chains to the CAs, valid now, a listed SAN if any are listed. */
		VERIFIED,

		/** Does not chain to the configured CAs (or the listener has none it could load). */
		UNTRUSTED,

		/** Expired, or not yet valid. */
		EXPIRED,

		/** Verified, but none of its SANs is in {@code subjectAltNames}. */
		SUBJECT_ALT_NAME;

		String tag() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	static final ClientCertificateMetrics NONE = new ClientCertificateMetrics(null);

	private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

	private final Map<Handshake, Counter> handshakes = new EnumMap<>(Handshake.class);

	ClientCertificateMetrics(MeterRegistry meters) {
		if (meters != null) {
			for (Outcome outcome : Outcome.values()) {
				counters.put(outcome, Counter.builder(NAME)
					.description("Client certificates the HTTPS listener checked, by outcome")
					.tag("outcome", outcome.tag())
					.register(meters));
			}
			for (Handshake outcome : Handshake.values()) {
				handshakes.put(outcome, Counter.builder(HANDSHAKES)
					.description("TLS handshakes of the HTTPS listener, by outcome")
					.tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
					.register(meters));
			}
		}
	}

	void count(Handshake outcome) {
		Counter counter = handshakes.get(outcome);
		if (counter != null) {
			counter.increment();
		}
	}

	void count(Outcome outcome) {
		Counter counter = counters.get(outcome);
		if (counter != null) {
			counter.increment();
		}
	}

}
