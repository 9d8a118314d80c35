package io.meshgate.gateway.https;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

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

	/**
	 * A self-signed RSA certificate for {@code hostname}: the key type the static-RSA cipher suites
	 * ({@code TLS_RSA_WITH_*}) need, which the CA's EC certificates cannot serve.
	 */
	ServerCertificate rsaSelfSigned(String name, String hostname) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair keys = generator.generateKeyPair();
			X500Name subject = new X500Name("CN=" + hostname);
			Instant now = Instant.now();
			X509Certificate certificate = new JcaX509CertificateConverter()
				.getCertificate(new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
						Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
						keys.getPublic())
					.addExtension(Extension.subjectAlternativeName, false,
							new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)))
					.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
			return new ServerCertificate(name, List.of(hostname), pem(certificate),
					pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
		}
		catch (GeneralSecurityException | OperatorCreationException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String pem(Object object) throws IOException {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			writer.writeObject(object);
		}
		return text.toString();
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
