package io.meshgate.policy.rewrite;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** One test per invalid argument of header modifiers, rewrites and redirects, and the prefix rule. */
class RewriteValidationTest {

	@Test
	void headerNamesAreTokens() {
		assertThatIllegalArgumentException().isThrownBy(() -> new HeaderModifier(Map.of("x env", "a"), null, null))
			.withMessage("set: x env (expected: a header name)");
		assertThatIllegalArgumentException().isThrownBy(() -> new HeaderModifier(null, null, List.of("x:y")))
			.withMessage("remove[0]: x:y (expected: a header name)");
	}

	@Test
	void headerNamesAppearOncePerChange() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HeaderModifier(new java.util.TreeMap<>(Map.of("X-Env", "a", "x-env", "b")), null, null))
			.withMessageEndingWith(" (expected: each header once; names are case-insensitive)");
	}

	@Test
	void headerValuesStayOnOneLine() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HeaderModifier(null, Map.of("x-a", "1\r\nx-b: 2"), null))
			.withMessageStartingWith("add.x-a: 1")
			.withMessageEndingWith("(expected: a header value on one line)");
	}

	@Test
	void headerValuesAreNotGatewayExpressions() {
		assertThatIllegalArgumentException().isThrownBy(() -> HeaderModifier.set("x-a", "#{@bean}"))
			.withMessage("set.x-a: #{@bean} (expected: a literal value, not #{...}, which Spring Cloud Gateway would "
					+ "evaluate as an expression)");
	}

	@Test
	void hostIsNotAHeaderToModify() {
		assertThatIllegalArgumentException().isThrownBy(() -> HeaderModifier.set("Host", "a.example"))
			.withMessage("set: Host (expected: a header other than Host; rewrite.hostname sets the Host an upstream sees)");
	}

	@Test
	void rewriteHostnameIsAHostName() {
		assertThatIllegalArgumentException().isThrownBy(() -> RewritePolicy.hostname("orders.internal:8080"))
			.withMessage("hostname: orders.internal:8080 (expected: a host name as in api.example.com, without port)");
	}

	@Test
	void rewritePathIsAPath() {
		assertThatIllegalArgumentException().isThrownBy(() -> RewritePolicy.fullPath("v2/orders"))
			.withMessage("replaceFullPath: v2/orders (expected: a path starting with /, without query, spaces or "
					+ "other characters to escape)");
		assertThatIllegalArgumentException().isThrownBy(() -> RewritePolicy.prefix("/a b"))
			.withMessageStartingWith("replacePrefixMatch: /a b (expected: a path starting with /");
	}

	@Test
	void rewriteHasOnePathForm() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RewritePolicy(null, "/a", "/b", false))
			.withMessage("replacePrefixMatch: /b (expected: either replaceFullPath or replacePrefixMatch, not both)");
	}

	@Test
	void preserveHostIsNotTogetherWithAHostname() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RewritePolicy("orders.internal", null, null, true))
			.withMessage("preserveHost: true (expected: false with hostname, which sets the Host)");
	}

	@Test
	void redirectSchemeIsHttpOrHttps() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedirectPolicy("ftp", null, null, null, null, 0))
			.withMessage("scheme: ftp (expected: http or https)");
		assertThat(new RedirectPolicy("HTTPS", null, null, null, null, 0).scheme()).isEqualTo("https");
	}

	@Test
	void redirectPortIsAPort() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedirectPolicy(null, null, 70000, null, null, 0))
			.withMessage("port: 70000 (expected: 1-65535)");
	}

	@Test
	void redirectStatusIsARedirectStatus() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedirectPolicy(null, null, null, null, null, 300))
			.withMessage("statusCode: 300 (expected: 301, 302, 303, 307 or 308)");
		assertThat(new RedirectPolicy(null, null, null, null, null, 0).statusCode()).isEqualTo(302);
	}

	@Test
	void redirectHostnameAndPathsAreChecked() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RedirectPolicy(null, "-bad-", null, null, null, 0))
			.withMessageStartingWith("hostname: -bad- (expected: a host name");
		assertThatIllegalArgumentException().isThrownBy(() -> new RedirectPolicy(null, null, null, "/a", "/b", 0))
			.withMessage("replacePrefixMatch: /b (expected: either replaceFullPath or replacePrefixMatch, not both)");
		assertThatIllegalArgumentException().isThrownBy(() -> RedirectPolicy.toPath("/new?x=1", 301))
			.withMessageStartingWith("replaceFullPath: /new?x=1 (expected: a path starting with /");
	}

	@Test
	void prefixIsReplacedElementWiseAsGatewayApiSpecifies() {
		// the table of Gateway API's HTTPPathModifier.ReplacePrefixMatch
		assertThat(PathRewrites.replacePrefix("/foo/bar", "/foo", "/xyz")).isEqualTo("/xyz/bar");
		assertThat(PathRewrites.replacePrefix("/foo/bar", "/foo", "/xyz/")).isEqualTo("/xyz/bar");
		assertThat(PathRewrites.replacePrefix("/foo/bar", "/foo/", "/xyz")).isEqualTo("/xyz/bar");
		assertThat(PathRewrites.replacePrefix("/foo/bar", "/foo/", "/xyz/")).isEqualTo("/xyz/bar");
		assertThat(PathRewrites.replacePrefix("/foo", "/foo", "/xyz")).isEqualTo("/xyz");
		assertThat(PathRewrites.replacePrefix("/foo/", "/foo", "/xyz")).isEqualTo("/xyz/");
		assertThat(PathRewrites.replacePrefix("/foo/bar", "/foo", "/")).isEqualTo("/bar");
		assertThat(PathRewrites.replacePrefix("/foo/", "/foo", "/")).isEqualTo("/");
		assertThat(PathRewrites.replacePrefix("/foo", "/foo", "/")).isEqualTo("/");
		assertThat(PathRewrites.replacePrefix("/bar", "/", "/foo")).isEqualTo("/foo/bar");
	}

	@Test
	void redirectLocationLeavesOutTheSchemesPort() {
		RedirectPolicy toHttps = RedirectPolicy.toHttps();
		assertThat(toHttps.location("http", "a.example", 8080, "/x", "q=1", null)).isEqualTo("https://a.example/x?q=1");
		RedirectPolicy host = new RedirectPolicy(null, "b.example", null, null, null, 0);
		assertThat(host.location("http", "a.example", 8080, "/x", null, null)).isEqualTo("http://b.example:8080/x");
		assertThat(host.location("http", "a.example", -1, "/x", null, null)).isEqualTo("http://b.example/x");
		assertThat(host.location("https", "a.example", 443, "/x", null, null)).isEqualTo("https://b.example/x");
	}

}
