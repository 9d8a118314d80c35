package io.meshgate.policy.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made by the test: issues server and client certificates (EC P-256)
 * with the subject alternative names a test needs, and writes them as PEM files.
 */
public final class TestPki {

	private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

	private final KeyPair caKeys;

	private final X509Certificate ca;

	private TestPki(String name) {
		this.caKeys = keyPair();
		X500Name subject = new X500Name("CN=" + name);
		this.ca = sign(subject, caKeys.getPublic(), subject, caKeys.getPrivate(), true, List.of(), Instant.now(),
				Duration.ofDays(30));
	}

	public static TestPki create(String name) {
		return new TestPki(name);
	}

	public X509Certificate ca() {
		return ca;
	}

	/** A client-side TLS context that trusts {@code ca} alone. */
	public static SSLContext trusting(X509Certificate ca) {
		try {
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			store.setCertificateEntry("ca", ca);
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("cannot build a TLS context trusting " + ca.getSubjectX500Principal(), ex);
		}
	}

	/** A key pair and the certificate this CA issued for it. */
	public record Issued(X509Certificate certificate, PrivateKey privateKey) {

		/** Writes {@code name.crt} and {@code name.key} into {@code dir}, each replaced atomically. */
		public Issued write(Path dir, String name) {
			writeAtomically(dir.resolve(name + ".crt"), pem(certificate));
			writeAtomically(dir.resolve(name + ".key"), pem(privateKey));
			return this;
		}

	}

	/**
	 * @param subjectAltNames {@code dns:localhost}, {@code uri:spiffe://…} or {@code ip:127.0.0.1}
	 */
	public Issued issue(String commonName, List<String> subjectAltNames) {
		return issue(commonName, subjectAltNames, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(7));
	}

	public Issued issue(String commonName, List<String> subjectAltNames, Instant notBefore, Duration validity) {
		KeyPair keys = keyPair();
		X509Certificate certificate = sign(new X500Name("CN=" + commonName), keys.getPublic(),
				new X500Name(ca.getSubjectX500Principal().getName()), caKeys.getPrivate(), false, subjectAltNames,
				notBefore, validity);
		return new Issued(certificate, keys.getPrivate());
	}

	public Path writeCa(Path dir) {
		Path file = dir.resolve("ca.crt");
		writeAtomically(file, pem(ca));
		return file;
	}

	private static X509Certificate sign(X500Name subject, java.security.PublicKey key, X500Name issuer,
			PrivateKey issuerKey, boolean authority, List<String> subjectAltNames, Instant notBefore,
			Duration validity) {
		try {
			JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
					BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore),
					Date.from(notBefore.plus(validity)), subject, key);
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
			builder.addExtension(Extension.keyUsage, true, authority
					? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
					: new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
			if (!subjectAltNames.isEmpty()) {
				builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
						subjectAltNames.stream().map(TestPki::generalName).toArray(GeneralName[]::new)));
			}
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static GeneralName generalName(String san) {
		int colon = san.indexOf(':');
		String kind = san.substring(0, colon);
		String value = san.substring(colon + 1);
		return switch (kind) {
			case "dns" -> new GeneralName(GeneralName.dNSName, value);
			case "uri" -> new GeneralName(GeneralName.uniformResourceIdentifier, value);
			case "ip" -> new GeneralName(GeneralName.iPAddress, value);
			default -> throw new IllegalArgumentException(san);
		};
	}

	private static KeyPair keyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(256);
			return generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String pem(Object object) {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			writer.writeObject(object instanceof PrivateKey key
					? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return text.toString();
	}

	/** Temp file and move, as a Kubernetes Secret update or cert-manager renewal replaces files. */
	static void writeAtomically(Path file, String content) {
		try {
			Path temp = Files.createTempFile(file.getParent(), ".tmp", ".pem");
			Files.writeString(temp, content);
			Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
