package io.meshgate.gateway;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopsTest {

	@Test
	void oneLoopPerCpuWhereReactorNettyWouldStartFour() {
		Properties properties = new Properties();
		EventLoops.onePerCpu(properties, 1);
		assertThat(properties.getProperty("reactor.netty.ioWorkerCount")).isEqualTo("1");

		properties = new Properties();
		EventLoops.onePerCpu(properties, 8);
		assertThat(properties.getProperty("reactor.netty.ioWorkerCount")).isEqualTo("8");
	}

	@Test
	void anExplicitCountWins() {
		Properties properties = new Properties();
		properties.setProperty("reactor.netty.ioWorkerCount", "3");
		EventLoops.onePerCpu(properties, 1);
		assertThat(properties.getProperty("reactor.netty.ioWorkerCount")).isEqualTo("3");
	}

}
