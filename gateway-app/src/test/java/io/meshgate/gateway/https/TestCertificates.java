package io.meshgate.gateway.https;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.meshgate.policy.testing.TestPki;

/**
 * Server certificates as a Kubernetes TLS Secret carries them (PEM text), issued by a CA the test
 * makes. Every certificate also names 127.0.0.1, so that a client can connect to the loopback
 * address, send any SNI name and still verify the host.
 */
final class TestCertificates {

	final TestPki pki = TestPki.create("HTTPS Test CA");

	private final Path dir;

	TestCertificates() {
		try {
			this.dir = Files.createTempDirectory("meshgate-https");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A certificate whose subject is {@code CN=commonName}, for {@code hostnames}, valid now. */
	ServerCertificate certificate(String name, String commonName, String... hostnames) {
		return pem(name, pki.issue(commonName, sans(hostnames)), hostnames);
	}

	ServerCertificate expired(String name, String hostname) {
		return pem(name, pki.issue(name, sans(hostname), Instant.now().minus(Duration.ofDays(10)), Duration.ofDays(1)),
				hostname);
	}

	/** The certificate of one key pair with the private key of another. */
	ServerCertificate mismatched(String name, String hostname) {
		return new ServerCertificate(name, List.of(hostname), read(pki.issue(name, sans(hostname)), ".crt"),
				read(pki.issue("other", sans(hostname)), ".key"));
	}

	/** Writes a certificate and key as a Spring Boot PEM bundle reads them: {@code name.crt}, {@code name.key}. */
	Path bundleFiles(String name, String commonName) {
		pki.issue(commonName, sans()).write(dir, name);
		return dir;
	}

	private ServerCertificate pem(String name, TestPki.Issued issued, String... hostnames) {
		return new ServerCertificate(name, List.of(hostnames), read(issued, ".crt"), read(issued, ".key"));
	}

	private String read(TestPki.Issued issued, String suffix) {
		String file = "c" + System.nanoTime();
		issued.write(dir, file);
		try {
			return Files.readString(dir.resolve(file + suffix));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> sans(String... hostnames) {
		List<String> sans = new ArrayList<>();
		for (String hostname : hostnames) {
			sans.add("dns:" + hostname);
		}
		sans.add("ip:127.0.0.1");
		return sans;
	}

}
