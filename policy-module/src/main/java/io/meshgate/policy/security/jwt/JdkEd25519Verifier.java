package io.meshgate.policy.security.jwt;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

/**
 * Verifies Ed25519 signatures ({@code alg: EdDSA} or {@code Ed25519}) with the JDK's own
 * implementation (Java 15+), where Nimbus' verifier needs Google Tink on the classpath. Like
 * Nimbus' verifiers it refuses tokens with critical header parameters.
 */
final class JdkEd25519Verifier implements JWSVerifier {

	/** The DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), before the 32 key bytes. */
	private static final byte[] X509_PREFIX = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21,
			0x00 };

	private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

	private final PublicKey key;

	private final JCAContext jca = new JCAContext();

	JdkEd25519Verifier(OctetKeyPair jwk) throws JOSEException {
		if (!Curve.Ed25519.equals(jwk.getCurve())) {
			throw new JOSEException("curve " + jwk.getCurve() + " is not Ed25519");
		}
		byte[] x = jwk.getDecodedX();
		if (x.length != 32) {
			throw new JOSEException("an Ed25519 public key has 32 bytes");
		}
		byte[] encoded = new byte[X509_PREFIX.length + 32];
		System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
		System.arraycopy(x, 0, encoded, X509_PREFIX.length, 32);
		try {
			this.key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
		}
		catch (GeneralSecurityException ex) {
			throw new JOSEException("not an Ed25519 public key", ex);
		}
	}

	@Override
	public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
		if (!ALGORITHMS.contains(header.getAlgorithm()) || header.getCriticalParams() != null) {
			return false;
		}
		try {
			Signature verifier = Signature.getInstance("Ed25519");
			verifier.initVerify(key);
			verifier.update(signingInput);
			return verifier.verify(signature.decode());
		}
		catch (GeneralSecurityException ex) {
			// a signature of the wrong length or form: not valid
			return false;
		}
	}

	@Override
	public Set<JWSAlgorithm> supportedJWSAlgorithms() {
		return ALGORITHMS;
	}

	@Override
	public JCAContext getJCAContext() {
		return jca;
	}

}
