package io.meshgate.gateway.https;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks the CA files of the listener's client-certificate requirements for changes (size and
 * modification time), on a thread of its own, and reloads those that changed: a CA rotated on
 * disk (a Kubernetes Secret update, cert-manager) is used for the next handshakes, as upstream TLS
 * files and {@code spring.ssl.bundle} certificates are.
 */
final class CaFileReloader implements AutoCloseable {

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "meshgate-https-ca-reload");
		thread.setDaemon(true);
		return thread;
	});

	CaFileReloader(HttpsCertificates certificates, Duration interval) {
		long millis = interval.toMillis();
		executor.scheduleWithFixedDelay(certificates::reloadChangedCaFiles, millis, millis, TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		executor.shutdownNow();
	}

}
