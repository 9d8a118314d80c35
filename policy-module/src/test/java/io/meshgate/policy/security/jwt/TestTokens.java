package io.meshgate.policy.security.jwt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * An identity provider in a test: key pairs of every supported kind, its JWKS, and tokens it
 * signs, plus the forged and broken tokens the rejection tests send. Ed25519 is signed with the
 * JDK, as the gateway verifies it.
 */
public final class TestTokens {

	public static final String ISSUER = "https://idp.test";

	final String kidPrefix;

	final KeyPair rsa;

	final KeyPair p256;

	final KeyPair p384;

	final KeyPair ed25519;

	public TestTokens(String kidPrefix) {
		this.kidPrefix = kidPrefix;
		try {
			KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
			rsaGenerator.initialize(2048);
			this.rsa = rsaGenerator.generateKeyPair();
			this.p256 = ec("secp256r1");
			this.p384 = ec("secp384r1");
			this.ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyPair ec(String curve) throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec(curve));
		return generator.generateKeyPair();
	}

	String kid(String kind) {
		return kidPrefix + "-" + kind;
	}

	/** The public keys, as a JWKS serves them. */
	public String jwks() {
		return new JWKSet(publicKeys()).toString(true);
	}

	List<JWK> publicKeys() {
		byte[] x = Arrays.copyOfRange(ed25519.getPublic().getEncoded(), 12, 44);
		return List.of(new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID(kid("rsa")).build(),
				new ECKey.Builder(Curve.P_256, (ECPublicKey) p256.getPublic()).keyID(kid("p256")).build(),
				new ECKey.Builder(Curve.P_384, (ECPublicKey) p384.getPublic()).keyID(kid("p384")).build(),
				new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid("ed25519")).build());
	}

	/** Claims of a valid token for {@code audience}, expiring in an hour. */
	public static JWTClaimsSet.Builder claims(String subject) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject(subject)
			.audience("orders")
			.issueTime(java.util.Date.from(now))
			.expirationTime(java.util.Date.from(now.plusSeconds(3600)));
	}

	public String sign(JWSAlgorithm algorithm, JWTClaimsSet claims) {
		return sign(algorithm, claims, null);
	}

	/** A token signed with this provider's key for {@code algorithm}; {@code kid} as given, else the key's. */
	String sign(JWSAlgorithm algorithm, JWTClaimsSet claims, String kid) {
		try {
			if (JWSAlgorithm.Family.ED.contains(algorithm) || algorithm.equals(JWSAlgorithm.Ed25519)) {
				return signEd25519(algorithm, claims, kid != null ? kid : kid("ed25519"));
			}
			JWSSigner signer;
			String keyId;
			if (JWSAlgorithm.Family.RSA.contains(algorithm)) {
				signer = new RSASSASigner((RSAPrivateKey) rsa.getPrivate());
				keyId = kid("rsa");
			}
			else if (algorithm.equals(JWSAlgorithm.ES256)) {
				signer = new ECDSASigner((ECPrivateKey) p256.getPrivate(), Curve.P_256);
				keyId = kid("p256");
			}
			else {
				signer = new ECDSASigner((ECPrivateKey) p384.getPrivate(), Curve.P_384);
				keyId = kid("p384");
			}
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid != null ? kid : keyId).build(),
					claims);
			jwt.sign(signer);
			return jwt.serialize();
		}
		catch (JOSEException | GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String signEd25519(JWSAlgorithm algorithm, JWTClaimsSet claims, String kid) throws GeneralSecurityException {
		String input = part(Map.of("alg", algorithm.getName(), "kid", kid)) + "." + part(claims.toJSONObject());
		Signature signature = Signature.getInstance("Ed25519");
		signature.initSign(ed25519.getPrivate());
		signature.update(input.getBytes(StandardCharsets.US_ASCII));
		return input + "." + Base64URL.encode(signature.sign());
	}

	/** A header or payload part: base64url of its JSON. */
	static String part(Map<String, Object> json) {
		return Base64URL.encode(JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8)).toString();
	}

	/** An unsigned token ({@code alg: none}) with valid claims. */
	static String unsigned(JWTClaimsSet claims) {
		return part(Map.of("alg", "none")) + "." + part(claims.toJSONObject()) + ".";
	}

	/** HS256 with the RSA public key's encoding as the shared secret: the classic key-confusion forgery. */
	String hmacWithPublicKey(JWTClaimsSet claims) {
		try {
			String input = part(Map.of("alg", "HS256", "kid", kid("rsa"))) + "." + part(claims.toJSONObject());
			javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
			mac.init(new javax.crypto.spec.SecretKeySpec(rsa.getPublic().getEncoded(), "HmacSHA256"));
			return input + "." + Base64URL.encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** {@code token} with its signature's bytes changed. */
	static String tampered(String token) {
		int dot = token.lastIndexOf('.');
		byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
		signature[signature.length / 2] ^= 0x01;
		return token.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
	}

}
