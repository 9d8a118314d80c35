package io.meshgate.policy.security.jwt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * A provider's signature keys, each with its verifier built once when the key set is loaded, not
 * per token. Keys the gateway would not verify with are left out: encryption keys, symmetric
 * keys, RSA keys under 2048 bits, curves other than P-256, P-384 and Ed25519. Immutable.
 */
final class VerificationKeys {

	static final VerificationKeys NONE = new VerificationKeys(List.of());

	/** Every algorithm a token may be signed with: asymmetric only, so {@code none} and HMAC never verify. */
	static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
			JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
			JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

	private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
			JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);

	/** One usable key: its id, the algorithms it verifies, its verifier. */
	record Key(String kid, Set<JWSAlgorithm> algorithms, JWSVerifier verifier) {
	}

	private final List<Key> keys;

	private VerificationKeys(List<Key> keys) {
		this.keys = List.copyOf(keys);
	}

	static VerificationKeys of(JWKSet set) {
		List<Key> keys = new ArrayList<>();
		for (JWK jwk : set.getKeys()) {
			if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
				continue;
			}
			try {
				Key key = key(jwk);
				if (key != null && (jwk.getAlgorithm() == null || key.algorithms().contains(jwk.getAlgorithm()))) {
					Set<JWSAlgorithm> algorithms = jwk.getAlgorithm() == null ? key.algorithms()
							: Set.of(JWSAlgorithm.parse(jwk.getAlgorithm().getName()));
					keys.add(new Key(jwk.getKeyID(), algorithms, key.verifier()));
				}
			}
			catch (JOSEException ex) {
				// a key the JDK cannot use verifies nothing: left out like an unsupported one
			}
		}
		return new VerificationKeys(keys);
	}

	private static Key key(JWK jwk) throws JOSEException {
		if (jwk instanceof RSAKey rsa) {
			return rsa.size() < 2048 ? null : new Key(null, RSA, new RSASSAVerifier(rsa));
		}
		if (jwk instanceof ECKey ec) {
			if (Curve.P_256.equals(ec.getCurve())) {
				return new Key(null, Set.of(JWSAlgorithm.ES256), new ECDSAVerifier(ec));
			}
			if (Curve.P_384.equals(ec.getCurve())) {
				return new Key(null, Set.of(JWSAlgorithm.ES384), new ECDSAVerifier(ec));
			}
			return null;
		}
		if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
			return new Key(null, Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519), new JdkEd25519Verifier(okp));
		}
		return null;
	}

	/**
	 * The keys that may have signed a token with {@code header}: of its {@code kid} when it has
	 * one, else every key for its algorithm. Empty when the keys lack its {@code kid}.
	 */
	List<Key> candidates(JWSHeader header) {
		String kid = header.getKeyID();
		List<Key> found = null;
		for (Key key : keys) {
			if ((kid == null || kid.equals(key.kid())) && key.algorithms().contains(header.getAlgorithm())) {
				if (found == null) {
					found = new ArrayList<>(1);
				}
				found.add(key);
			}
		}
		return found == null ? List.of() : found;
	}

	boolean isEmpty() {
		return keys.isEmpty();
	}

	int size() {
		return keys.size();
	}

}
