package io.meshgate.policy.health;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** One test per invalid argument of a health check, each with its message. */
class HealthCheckPolicyTest {

	@Test
	void aPathStartsWithASlash() {
		assertThatIllegalArgumentException().isThrownBy(() -> HealthCheckPolicy.of("healthz"))
			.withMessage("healthCheck.path: healthz (expected: a path starting with /)");
	}

	@Test
	void aGrpcCheckHasNoPath() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HealthCheckPolicy("/healthz", null, null, null, null, HealthCheckType.GRPC, null))
			.withMessage("healthCheck.path: /healthz (expected: no path with type GRPC, which calls /grpc.health.v1.Health/Check)");
	}

	@Test
	void aServiceNameOnlyWithGrpc() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HealthCheckPolicy("/healthz", null, null, null, null, null, "orders.v1.Orders"))
			.withMessage("healthCheck.grpcService: orders.v1.Orders (expected: only with type GRPC)");
	}

	@Test
	void aServiceNameIsADottedName() {
		assertThatIllegalArgumentException().isThrownBy(() -> HealthCheckPolicy.grpc("orders/v1 Orders"))
			.withMessage("healthCheck.grpcService: orders/v1 Orders (expected: a gRPC service name such as "
					+ "orders.v1.Orders, at most 255 characters)");
	}

	@Test
	void defaultsAreHttpAndTheWholeServer() {
		assertThat(HealthCheckPolicy.of("/healthz").type()).isEqualTo(HealthCheckType.HTTP);
		HealthCheckPolicy grpc = HealthCheckPolicy.grpc(null);
		assertThat(grpc.grpcService()).isNull();
		assertThat(grpc.describe()).isEqualTo("grpc.health.v1.Health/Check");
		assertThat(HealthCheckPolicy.grpc("orders.v1.Orders").describe())
			.isEqualTo("grpc.health.v1.Health/Check orders.v1.Orders");
	}

	@Test
	void aGrpcCheckNeedsAnUpstreamSpeakingHttp2() {
		Upstream plain = Upstream.of("orders", "http://127.0.0.1:9001");
		for (UpstreamProtocol protocol : new UpstreamProtocol[] { UpstreamProtocol.HTTP1, UpstreamProtocol.AUTO }) {
			assertThatIllegalArgumentException().as(protocol.name())
				.isThrownBy(() -> plain.withProtocol(protocol).withHealthCheck(HealthCheckPolicy.grpc(null)))
				.withMessage("healthCheck.type: GRPC (expected: an upstream speaking HTTP/2: protocol H2C, H2, or AUTO with tls)");
		}
		assertThat(plain.withProtocol(UpstreamProtocol.H2C).withHealthCheck(HealthCheckPolicy.grpc(null)).healthCheck())
			.isNotNull();
	}

}
