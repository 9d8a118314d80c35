package io.meshgate.admin.model;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.admin.store.Yaml;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.security.CredentialHash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * JWT providers and consumers are top-level kinds like upstreams and routes: bound, checked with
 * paths that name them, stored, reused when unchanged, and written back the same.
 */
class IdentityObjectsBindingTest {

	private static final String HASH = CredentialHash.text("3f1c9a7e5b2d4f608a1c3e5b7d9f1a2c");

	private static final String CONFIG = """
			upstreams: [{name: orders, endpoints: [http://127.0.0.1:9001]}]
			routes:
			  - id: orders
			    match: {path: /orders/**}
			    backends: [{upstream: orders}]
			    authentication: {jwt: {providers: [idp]}, apiKey: {fromHeader: x-api-key}}
			jwtProviders:
			  - name: idp
			    issuer: https://idp.example.com
			    jwksUri: https://idp.example.com/.well-known/jwks.json
			    audiences: [orders]
			    claimsToHeaders: [{claim: sub, header: x-user}]
			consumers:
			  - name: shop-frontend
			    apiKeys: ["%s"]
			""".formatted(HASH);

	@Test
	void providersAndConsumersBindAndWriteBackTheSame() {
		BoundConfig bound = ConfigBinder.bind(Yaml.read(CONFIG), MeshConfig.EMPTY, BoundConfig.EMPTY);

		assertThat(bound.config().jwtProviders()).singleElement()
			.satisfies(provider -> assertThat(provider.audiences()).containsExactly("orders"));
		assertThat(bound.config().consumers()).singleElement()
			.satisfies(consumer -> assertThat(consumer.apiKeys()).containsExactly(HASH));
		assertThat(bound.config().routes().get(0).authentication().jwt().providers()).containsExactly("idp");
		assertThat(bound.tree()).containsOnlyKeys("upstreams", "routes", "jwtProviders", "consumers");
		BoundConfig again = ConfigBinder.bind(Yaml.read(Yaml.write(bound.tree())), MeshConfig.EMPTY, bound);
		assertThat(again.config()).isEqualTo(bound.config());
		assertThat(again.config().jwtProviders().get(0)).isSameAs(bound.config().jwtProviders().get(0));
	}

	@Test
	void aDocumentWithoutThemKeepsItsShape() {
		BoundConfig bound = ConfigBinder.bind(Yaml.read("upstreams: []\nroutes: []\n"), MeshConfig.EMPTY,
				BoundConfig.EMPTY);

		assertThat(bound.tree()).containsOnlyKeys("upstreams", "routes");
	}

	@Test
	void everyErrorHasAPathThroughTheNamedObject() {
		String invalid = CONFIG.replace(HASH, "plain-key-pasted-by-mistake")
			.replace("claimsToHeaders: [{claim: sub, header: x-user}]", "claimsToHeaders: [{claim: sub, header: Host}]");

		InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class,
				() -> ConfigBinder.bind(Yaml.read(invalid), MeshConfig.EMPTY, BoundConfig.EMPTY));

		assertThat(error.errors()).extracting(ConfigError::path)
			.containsExactly("jwtProviders[idp].claimsToHeaders[0].header", "consumers[shop-frontend].apiKeys[0]");
		assertThat(error.errors().toString()).doesNotContain("plain-key-pasted-by-mistake");
		InvalidConfigException issuer = catchThrowableOfType(InvalidConfigException.class, () -> ConfigBinder
			.bind(Yaml.read(CONFIG.replace("issuer: https://idp.example.com", "issuer: ' '")), MeshConfig.EMPTY));
		assertThat(issuer.errors()).containsExactly(new ConfigError("jwtProviders[idp].issuer",
				"issuer:   (expected: the tokens' iss, at most 1024)"));
	}

	@Test
	void aRouteNamesAStoredProvider() {
		String invalid = CONFIG.replace("providers: [idp]", "providers: [idp, nobody]");

		InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class,
				() -> ConfigBinder.bind(Yaml.read(invalid), MeshConfig.EMPTY, BoundConfig.EMPTY));

		assertThat(error.errors()).containsExactly(new ConfigError("routes[orders].authentication.jwt.providers[1]",
				"providers[1]: nobody (expected: one of the JWT providers [idp])"));
	}

	@Test
	void namesAreUniquePerKind() {
		String twice = CONFIG + """
				  - name: shop-frontend
				""";

		InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class,
				() -> ConfigBinder.bind(Yaml.read(twice), MeshConfig.EMPTY, BoundConfig.EMPTY));

		assertThat(error.errors()).containsExactly(new ConfigError("consumers[shop-frontend].name",
				"name: shop-frontend (expected: unique)"));
	}

	@Test
	void unknownTopLevelFieldsNameEveryKind() {
		InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class,
				() -> ConfigBinder.bind(Map.of("providers", List.of()), MeshConfig.EMPTY));

		assertThat(error.errors()).containsExactly(new ConfigError("providers",
				"providers: unknown field (expected: upstreams, routes, jwtProviders, consumers, authorizationPolicies, tcpRoutes, tlsPassthroughRoutes)"));
	}

	@Test
	void anEmptyAuthenticationPartIsRefusedRatherThanLeavingTheRouteOpen() {
		String empty = CONFIG.replace("apiKey: {fromHeader: x-api-key}", "apiKey: {}");

		InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class,
				() -> ConfigBinder.bind(Yaml.read(empty), MeshConfig.EMPTY));

		assertThat(error.errors()).containsExactly(new ConfigError("routes[orders].authentication.apiKey",
				"apiKey: {} (expected: at least one field written out, defaults included; an empty object binds to "
						+ "nothing)"));
	}

}
