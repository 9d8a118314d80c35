package io.meshgate.policy.route;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** One test per invalid gRPC match, each with its message, and the path conditions they compile to. */
class GrpcMatchTest {

	@Test
	void aServiceOrAMethodIsNeeded() {
		assertThatIllegalArgumentException().isThrownBy(() -> GrpcMatch.exact(null, ""))
			.withMessage("grpc.service: null (expected: a service, a method or both)");
	}

	@Test
	void exactNamesAreNamesNotPaths() {
		assertThatIllegalArgumentException().isThrownBy(() -> GrpcMatch.exact("orders/v1", null))
			.withMessage("grpc.service: orders/v1 (expected: a service name such as orders.v1.Orders)");
		assertThatIllegalArgumentException().isThrownBy(() -> GrpcMatch.exact(null, "Get/All"))
			.withMessage("grpc.method: Get/All (expected: a method name such as Get)");
	}

	@Test
	void regexesMustBeRe2() {
		assertThatIllegalArgumentException().isThrownBy(() -> GrpcMatch.regex("(a)\\1", null))
			.withMessageStartingWith("grpc.service: (a)\\1 (expected: a regular expression RE2 accepts");
	}

	@Test
	void aPathGivenBesideGrpcIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RouteMatch("/x", null, null, null, null, null, null, null, null, GrpcMatch.exact("a.B", null)))
			.withMessage("path: /x (expected: no path with grpc, which sets the path)");
	}

	@Test
	void matchesCompileToPathConditions() {
		assertThat(GrpcMatch.exact("orders.v1.Orders", "Get").pathMatch())
			.isEqualTo(new PathMatch(PathType.EXACT, "/orders.v1.Orders/Get"));
		assertThat(GrpcMatch.exact("orders.v1.Orders", null).pathMatch())
			.isEqualTo(new PathMatch(PathType.PREFIX, "/orders.v1.Orders"));
		assertThat(GrpcMatch.exact(null, "Get").pathMatch()).isEqualTo(new PathMatch(PathType.REGEX, "/[^/]+/Get"));
		assertThat(GrpcMatch.regex("orders\\..*", "Get|List").pathMatch())
			.isEqualTo(new PathMatch(PathType.REGEX, "/(?:orders\\..*)/(?:Get|List)"));

		RouteMatch match = RouteMatch.grpc(GrpcMatch.exact("orders.v1.Orders", null));
		assertThat(match.matchesPath("/orders.v1.Orders/Get")).isTrue();
		assertThat(match.matchesPath("/orders.v1.OrdersAdmin/Get")).as("element-wise prefix").isFalse();
		assertThat(RouteMatch.grpc(GrpcMatch.regex(null, "Get|List")).matchesPath("/a.B/List")).isTrue();
		assertThat(RouteMatch.grpc(GrpcMatch.regex(null, "Get|List")).matchesPath("/a.B/Lists")).isFalse();
	}

}
