package io.meshgate.policy.edge;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import io.meshgate.policy.fault.FaultPolicy;
import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.rewrite.RewritePolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.PathType;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.RawHttp;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.testing.TestUpstream.Received;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The path confusions of issue 22, sent byte for byte: a route that denies {@code /secret} and
 * {@code /internal} (a fault abort with 403) stands before a catch-all route to {@code public};
 * after normalization every hostile path meets the deny route or is refused (400), and never
 * reaches {@code public}.
 */
class PathConfusionTest extends GatewayTest {

	/** Each resolves, at an upstream that normalizes paths, to /secret/a or /internal/a. */
	private static final List<String> HOSTILE = List.of("/x/../secret/a", "//secret/a", "/./secret/a",
			"/public/%2e%2e/secret/a", "/public/..;/secret/a", "/%69nternal/a", "/internal;x/a", "/%73ecret/a",
			"/public/..%2Fsecret/a", "/public/..\\secret/a");

	TestUpstream publicUpstream;

	TestUpstream secret;

	@BeforeEach
	void upstreams() {
		publicUpstream = start("public");
		secret = start("secret");
	}

	@ParameterizedTest
	@EnumSource(PathType.class)
	void hostilePathsNeverPassTheDenyRoute(PathType type) {
		String secretPath = switch (type) {
			case PATTERN -> "/secret/**";
			case EXACT -> "/secret/a";
			case PREFIX -> "/secret";
			case REGEX -> "/secret/.*";
		};
		apply(List.of(Upstream.of("public", publicUpstream.url()), Upstream.of("secret", secret.url())),
				denied("deny-secret", new RouteMatch(secretPath, type, null, null, null, null, null, null, null, null)),
				denied("deny-internal",
						new RouteMatch(secretPath.replace("secret", "internal"), type, null, null, null, null, null, null, null, null)),
				Route.of("public", "/**", Backend.of("public", 1)));

		for (String path : HOSTILE) {
			RawHttp.Response response = RawHttp.get(port, path);
			assertThat(response.status()).as(path).isIn(403, 400);
		}
		assertThat(publicUpstream.received()).isEmpty();
		assertThat(secret.hits()).isZero();
		assertThat(RawHttp.get(port, "/public/a").status()).isEqualTo(200);
	}

	@Test
	void theUpstreamReceivesTheNormalizedPathAndTheRawQuery() {
		apply(List.of(Upstream.of("public", publicUpstream.url())), Route.of("public", "/**", Backend.of("public", 1)));

		assertThat(RawHttp.get(port, "/public//a/./b/../%7e%41%c3%a9?q=%2F..&r=/../x").status()).isEqualTo(200);
		assertThat(RawHttp.get(port, "/plain/path?x=1").status()).isEqualTo(200);

		assertThat(publicUpstream.received()).extracting(Received::uri)
			.containsExactly("/public/a/~A%C3%A9?q=%2F..&r=/../x", "/plain/path?x=1");
	}

	@Test
	void aRefusedPathIsAnswered400WithoutRepeatingIt() {
		apply(List.of(Upstream.of("public", publicUpstream.url())), Route.of("public", "/**", Backend.of("public", 1)));

		for (String path : List.of("/evil%2Fmarker", "/evil;marker", "/evil%5cmarker", "/evil%00marker")) {
			RawHttp.Response response = RawHttp.get(port, path);
			assertThat(response.status()).as(path).isEqualTo(400);
			assertThat(response.body()).as(path)
				.contains(PathNormalizationFilter.REFUSED)
				.doesNotContain("marker")
				.doesNotContain("evil");
		}
		// java.net.URI refuses this one before any filter runs; the answer is 400 without a body
		RawHttp.Response invalid = RawHttp.get(port, "/evil%zzmarker");
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.body()).doesNotContain("marker");
		assertThat(publicUpstream.hits()).isZero();
	}

	@Test
	void hostileSpellingsOfARateLimitedPathShareItsLimit() {
		apply(List.of(Upstream.of("public", publicUpstream.url())),
				Route.of("login", RouteMatch.path(PathType.PREFIX, "/login"), List.of(Backend.of("public", 1)))
					.withRateLimit(new RateLimitPolicy(1, 1, Duration.ofHours(1), HashKey.of("header:x-none"), null)),
				Route.of("public", "/**", Backend.of("public", 1)));

		assertThat(RawHttp.get(port, "/login").status()).isEqualTo(200);
		for (String path : List.of("//login", "/x/../login", "/./login", "/%6Cogin", "/public/%2e%2e/login",
				"/login;x", "/public/..;/login")) {
			assertThat(RawHttp.get(port, path).status()).as(path).isIn(429, 400);
		}
		assertThat(publicUpstream.hits()).isEqualTo(1);
	}

	@Test
	void aPrefixRewriteCannotBeEscapedWithDotSegments() {
		TestUpstream shop = start("shop");
		apply(List.of(Upstream.of("shop", shop.url())),
				Route.of("shop", RouteMatch.path(PathType.PREFIX, "/shop"), List.of(Backend.of("shop", 1)))
					.withRewrite(new RewritePolicy(null, null, "/v2", false)));

		assertThat(RawHttp.get(port, "/shop/../admin").status()).isEqualTo(404);
		assertThat(RawHttp.get(port, "/shop/%2E%2E/admin").status()).isEqualTo(404);
		assertThat(RawHttp.get(port, "/shop/./cart/../items").status()).isEqualTo(200);

		assertThat(shop.received()).extracting(Received::uri).containsExactly("/v2/items");
	}

	private static Route denied(String id, RouteMatch match) {
		return Route.of(id, match, List.of(Backend.of("secret", 1)))
			.withFault(new FaultPolicy(null, new FaultPolicy.Abort(100.0, 403)));
	}

}
