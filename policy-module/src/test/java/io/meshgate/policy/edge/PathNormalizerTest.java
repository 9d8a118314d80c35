package io.meshgate.policy.edge;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.meshgate.policy.edge.PathNormalization.EscapedSlashes;
import io.meshgate.policy.edge.PathNormalization.PathParameters;

import static org.assertj.core.api.Assertions.assertThat;

/** The normalizer on a table of paths, Envoy's own cases among them ({@code path_utility_test.cc}). */
class PathNormalizerTest {

	private static final PathNormalizer DEFAULTS = new PathNormalizer(PathNormalization.defaults());

	@ParameterizedTest
	@ValueSource(strings = { "/", "/xyz", "/x/y/z", "/A/B/C", "/a/", "/orders/7", "/a.b/c.", "/a-b_c~d/!$&'()*+,=:@",
			"/.well-known/acme" })
	void keepsNormalPathsAsTheSameString(String path) {
		assertThat(DEFAULTS.normalize(path)).isSameAs(path);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			// Envoy's cases
			"/a/b/../c | /a/c", "/a/b/./c | /a/b/c", "/a/b/../../../../c | /c", "/a/..\\c | /c",
			"/%c0%af | /%C0%AF", "/a/b/%2E%2E/c | /a/c", "/a/b/%2E./c | /a/c", "/a/b/%2E/c | /a/b/c",
			"/../a/b | /a/b", "/./a/b | /a/b", "/a/b/%2e%2e/c | /a/c", "/a//b/c/ | /a/b/c/", "//a/b/c | /a/b/c",
			"/a/b/c// | /a/b/c/", "/a////b/c | /a/b/c",
			// the attacks of issue 22
			"/x/../secret/a | /secret/a", "//secret/a | /secret/a", "/./secret/a | /secret/a",
			"/public/%2e%2e/secret/a | /secret/a", "/%69nternal/a | /internal/a", "/shop/../admin | /admin",
			// RFC 3986 section 6.2.2: unreserved decoded, the rest upper-case hex
			"/%41%7a%30%2D%2E%5F%7E | /Az0-._~", "/a%3fb | /a%3Fb", "/a%25b | /a%25b", "/%3B | /%3B",
			// dot segments at the end leave a directory; above the root stays at the root
			"/a/b/.. | /a/", "/a/. | /a/", "/.. | /", "/. | /", "/a/..%2F | /a/..%2F",
			// a byte above 127 as Reactor Netty hands it over (ISO-8859-1)
			"/caf\u00e9 | /caf%E9" })
	void normalizes(String raw, String normalized) {
		PathNormalizer keepEscaped = new PathNormalizer(new PathNormalization(null, EscapedSlashes.KEEP, null));
		String result = keepEscaped.normalize(raw);
		assertThat(result).isEqualTo(normalized);
		assertThat(keepEscaped.normalize(result)).as("a normal form").isSameAs(result);
		if (!normalized.contains("%2F")) {
			assertThat(DEFAULTS.normalize(raw)).isEqualTo(normalized);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "secret", "*", "/a%", "/a%2", "/a%zz", "/a%%0000", "/xyz/.%00../abc",
			"/xyz/%00.%00./abc", "/a\u0000b", "/a\tb", "/a\u007fb", "/a\u0100", "/a%2Fb", "/a%2fb", "/a%5Cb", "/a%5cb",
			"/internal;x/a", "/public/..;/secret/a", "/a;" })
	void refusesByDefault(String raw) {
		assertThat(DEFAULTS.normalize(raw)).isNull();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "/a%2Fb | /a/b", "/a/b%2F..%2Fc | /a/c", "/a%5cb | /a/b",
			"/secret%2F%2E%2E%2Fpublic | /public" })
	void decodesEscapedSlashesBeforeDotSegmentsWhenAsked(String raw, String normalized) {
		PathNormalizer decoding = new PathNormalizer(new PathNormalization(null, EscapedSlashes.DECODE, null));
		assertThat(decoding.normalize(raw)).isEqualTo(normalized);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "/internal;x/a | /internal/a", "/public/..;/secret/a | /secret/a",
			"/a;jsessionid=1 | /a", "/;x/a | /a", "/a;b%2Fc/d | /a/d", "/a/b;c/..;d/e | /a/e" })
	void stripsParametersBeforeDotSegmentsWhenAsked(String raw, String normalized) {
		PathNormalizer stripping = new PathNormalizer(new PathNormalization(null, null, PathParameters.STRIP));
		assertThat(stripping.normalize(raw)).isEqualTo(normalized);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "/a//b | /a//b", "//a | //a", "/a//../b | /a/b", "/a/b// | /a/b//" })
	void keepsEmptySegmentsWithoutMerging(String raw, String normalized) {
		PathNormalizer keeping = new PathNormalizer(new PathNormalization(false, null, null));
		assertThat(keeping.normalize(raw)).isEqualTo(normalized);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/a%zz;x", "/a;x%" })
	void refusesBadEncodingInsideParametersToo(String raw) {
		PathNormalizer stripping = new PathNormalizer(new PathNormalization(null, null, PathParameters.STRIP));
		assertThat(stripping.normalize(raw)).isNull();
	}

}
