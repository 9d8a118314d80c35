package io.meshgate.policy.stream;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WebSocketPolicyTest {

	@Test
	void defaultsAreFiveMinutesIdleAndFramesOf64KB() {
		assertThat(WebSocketPolicy.DEFAULT.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
		assertThat(WebSocketPolicy.DEFAULT.maxFrameSize()).isEqualTo(DataSize.ofKilobytes(64));
		assertThat(WebSocketPolicy.DEFAULT.maxFramePayloadLength()).isEqualTo(65536);
	}

	@Test
	void anIdleTimeoutOfZeroIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> WebSocketPolicy.idleTimeout(Duration.ZERO))
			.withMessage("webSocket.idleTimeout: PT0S (expected: > 0 and at most 24h, as in 5m)");
	}

	@Test
	void anIdleTimeoutOverADayIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> WebSocketPolicy.idleTimeout(Duration.ofHours(25)))
			.withMessage("webSocket.idleTimeout: PT25H (expected: > 0 and at most 24h, as in 5m)");
	}

	@Test
	void aFrameSizeBelowAControlFramesIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WebSocketPolicy(null, DataSize.ofBytes(124)))
			.withMessage("webSocket.maxFrameSize: 124B (expected: from 125B to 16MB, as in 64KB)");
	}

	@Test
	void aFrameSizeOver16MBIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WebSocketPolicy(null, DataSize.ofMegabytes(17)))
			.withMessage("webSocket.maxFrameSize: 17825792B (expected: from 125B to 16MB, as in 64KB)");
	}

}
