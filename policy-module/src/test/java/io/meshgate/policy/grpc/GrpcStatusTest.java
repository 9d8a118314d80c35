package io.meshgate.policy.grpc;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The gRPC headers Meshgate reads and writes: status, timeout, message; read as hostile input. */
class GrpcStatusTest {

	@Test
	void statusIsAtMostTwoDigits() {
		assertThat(GrpcStatus.parse("0")).isZero();
		assertThat(GrpcStatus.parse("14")).isEqualTo(GrpcStatus.UNAVAILABLE);
		assertThat(GrpcStatus.parse(null)).isEqualTo(GrpcStatus.NONE);
		assertThat(GrpcStatus.parse("")).isEqualTo(GrpcStatus.NONE);
		assertThat(GrpcStatus.parse("140")).isEqualTo(GrpcStatus.NONE);
		assertThat(GrpcStatus.parse("-1")).isEqualTo(GrpcStatus.NONE);
		assertThat(GrpcStatus.parse(" 1")).isEqualTo(GrpcStatus.NONE);
		assertThat(GrpcStatus.name(14)).isEqualTo("UNAVAILABLE");
		assertThat(GrpcStatus.name(99)).isEqualTo("UNKNOWN");
	}

	@Test
	void onlyServerFailuresCountAgainstTheUpstream() {
		assertThat(GrpcStatus.asHttpOutcome(GrpcStatus.UNAVAILABLE)).isEqualTo(503);
		assertThat(GrpcStatus.asHttpOutcome(GrpcStatus.DEADLINE_EXCEEDED)).isEqualTo(504);
		assertThat(GrpcStatus.asHttpOutcome(GrpcStatus.INTERNAL)).isEqualTo(500);
		assertThat(GrpcStatus.asHttpOutcome(5)).as("NOT_FOUND: the caller's problem").isEqualTo(200);
		assertThat(GrpcStatus.asHttpOutcome(GrpcStatus.RESOURCE_EXHAUSTED)).isEqualTo(200);
	}

	@Test
	void gatewayErrorsMapAsTheGrpcProjectMapsHttp() {
		assertThat(GrpcStatus.forGatewayError(401)).isEqualTo(GrpcStatus.UNAUTHENTICATED);
		assertThat(GrpcStatus.forGatewayError(403)).isEqualTo(GrpcStatus.PERMISSION_DENIED);
		assertThat(GrpcStatus.forGatewayError(404)).isEqualTo(GrpcStatus.UNIMPLEMENTED);
		assertThat(GrpcStatus.forGatewayError(429)).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
		assertThat(GrpcStatus.forGatewayError(502)).isEqualTo(GrpcStatus.UNAVAILABLE);
		assertThat(GrpcStatus.forGatewayError(503)).isEqualTo(GrpcStatus.UNAVAILABLE);
		assertThat(GrpcStatus.forGatewayError(504)).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
		assertThat(GrpcStatus.forGatewayError(418)).isEqualTo(GrpcStatus.UNKNOWN);
	}

	@Test
	void timeoutHasEightDigitsAndAUnit() {
		assertThat(GrpcTimeout.parse("100m")).isEqualTo(Duration.ofMillis(100));
		assertThat(GrpcTimeout.parse("5S")).isEqualTo(Duration.ofSeconds(5));
		assertThat(GrpcTimeout.parse("2M")).isEqualTo(Duration.ofMinutes(2));
		assertThat(GrpcTimeout.parse("1H")).isEqualTo(Duration.ofHours(1));
		assertThat(GrpcTimeout.parse("250u")).isEqualTo(Duration.ofNanos(250_000));
		assertThat(GrpcTimeout.parse("99999999n")).isEqualTo(Duration.ofNanos(99_999_999));
		assertThat(GrpcTimeout.parse("99999999H")).as("capped: the timers count nanoseconds").isEqualTo(GrpcTimeout.LONGEST);
		assertThat(GrpcTimeout.parse("123456789m")).as("nine digits").isNull();
		assertThat(GrpcTimeout.parse("10")).isNull();
		assertThat(GrpcTimeout.parse("m")).isNull();
		assertThat(GrpcTimeout.parse("1x")).isNull();
		assertThat(GrpcTimeout.parse("-1S")).isNull();
		assertThat(GrpcTimeout.parse(null)).isNull();
	}

	@Test
	void timeoutIsWrittenInTheFinestUnitThatFits() {
		assertThat(GrpcTimeout.format(Duration.ofMillis(50))).isEqualTo("50000000n");
		assertThat(GrpcTimeout.format(Duration.ofMillis(800))).isEqualTo("800000u");
		assertThat(GrpcTimeout.format(Duration.ofSeconds(30))).isEqualTo("30000000u");
		assertThat(GrpcTimeout.format(Duration.ofSeconds(300))).isEqualTo("300000m");
		assertThat(GrpcTimeout.format(Duration.ofDays(3))).isEqualTo("259200S");
		for (Duration d : new Duration[] { Duration.ofMillis(7), Duration.ofSeconds(3), Duration.ofHours(5) }) {
			assertThat(GrpcTimeout.parse(GrpcTimeout.format(d))).isEqualTo(d);
		}
	}

	@Test
	void messagesArePercentEncoded() {
		assertThat(GrpcErrors.percentEncoded("upstream echo refused the connection"))
			.isEqualTo("upstream echo refused the connection");
		assertThat(GrpcErrors.percentEncoded("100% é\n")).isEqualTo("100%25 %C3%A9%0A");
	}

}
