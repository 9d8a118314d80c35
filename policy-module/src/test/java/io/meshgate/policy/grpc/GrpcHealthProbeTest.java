package io.meshgate.policy.grpc;

import java.util.Arrays;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written wire form against protobuf's own encoding of the health messages. */
class GrpcHealthProbeTest {

	private static byte[] framed(byte[] message) {
		byte[] frame = new byte[5 + message.length];
		frame[1] = (byte) (message.length >>> 24);
		frame[2] = (byte) (message.length >>> 16);
		frame[3] = (byte) (message.length >>> 8);
		frame[4] = (byte) message.length;
		System.arraycopy(message, 0, frame, 5, message.length);
		return frame;
	}

	@Test
	void requestsAreEncodedAsProtobufDoes() {
		for (String service : new String[] { "", "meshgate.test.Echo", "a".repeat(127), "b".repeat(128), "c".repeat(255) }) {
			assertThat(GrpcHealthProbe.request(service)).as(service)
				.isEqualTo(framed(HealthCheckRequest.newBuilder().setService(service).build().toByteArray()));
		}
	}

	@Test
	void onlyAServingAnswerIsServing() {
		for (ServingStatus status : ServingStatus.values()) {
			if (status == ServingStatus.UNRECOGNIZED) {
				continue;
			}
			byte[] answer = framed(HealthCheckResponse.newBuilder().setStatus(status).build().toByteArray());
			assertThat(GrpcHealthProbe.serving(answer)).as(status.name()).isEqualTo(status == ServingStatus.SERVING);
		}
	}

	@Test
	void malformedAnswersAreNotServing() {
		byte[] serving = framed(HealthCheckResponse.newBuilder().setStatus(ServingStatus.SERVING).build().toByteArray());
		assertThat(GrpcHealthProbe.serving(serving)).isTrue();

		assertThat(GrpcHealthProbe.serving(new byte[0])).as("no message").isFalse();
		byte[] compressed = serving.clone();
		compressed[0] = 1;
		assertThat(GrpcHealthProbe.serving(compressed)).as("compressed flag").isFalse();
		assertThat(GrpcHealthProbe.serving(Arrays.copyOf(serving, serving.length - 1))).as("cut short").isFalse();
		byte[] twoMessages = new byte[serving.length * 2];
		System.arraycopy(serving, 0, twoMessages, 0, serving.length);
		System.arraycopy(serving, 0, twoMessages, serving.length, serving.length);
		assertThat(GrpcHealthProbe.serving(twoMessages)).as("a second message").isFalse();
		assertThat(GrpcHealthProbe.serving(framed(new byte[] { 0x08, (byte) 0x81 }))).as("varint cut off").isFalse();
		assertThat(GrpcHealthProbe.serving(framed(new byte[] { 0x0A, 0x01, 0x01 }))).as("not a varint field").isFalse();
		byte[] endless = new byte[12];
		Arrays.fill(endless, (byte) 0xFF);
		assertThat(GrpcHealthProbe.serving(framed(endless))).as("a varint over 63 bits").isFalse();
	}

	@Test
	void serviceNamesAreDottedIdentifiers() {
		assertThat(GrpcHealthProbe.validService("orders.v1.Orders")).isTrue();
		assertThat(GrpcHealthProbe.validService("Orders")).isTrue();
		assertThat(GrpcHealthProbe.validService("")).isFalse();
		assertThat(GrpcHealthProbe.validService("orders/v1")).isFalse();
		assertThat(GrpcHealthProbe.validService("orders..v1")).isFalse();
		assertThat(GrpcHealthProbe.validService("x".repeat(256))).isFalse();
	}

}
