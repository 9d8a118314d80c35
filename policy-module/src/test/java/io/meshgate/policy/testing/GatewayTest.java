package io.meshgate.policy.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.meshgate.policy.PolicyTestApplication;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.Upstream;

/**
 * A real gateway (Spring Cloud Gateway with the policy module) on a loopback port, shared by all
 * tests of the module: each test starts its upstreams, applies its routes, and leaves an empty
 * configuration behind. Its randomness is {@link #random}: a test that counts draws reseeds it.
 */
@SpringBootTest(classes = PolicyTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class GatewayTest {

	@LocalServerPort
	protected int port;

	@Autowired
	protected MeshRouting routing;

	@Autowired
	protected MeterRegistry meters;

	@Autowired
	protected SeededRandom random;

	protected GatewayClient client;

	private final List<AutoCloseable> servers = new ArrayList<>();

	@BeforeEach
	void startClient() {
		client = new GatewayClient(port);
	}

	@AfterEach
	void stopServers() throws Exception {
		routing.apply(MeshConfig.EMPTY);
		for (AutoCloseable server : servers) {
			server.close();
		}
	}

	/** Starts an upstream server that is closed after the test. */
	protected TestUpstream start(String name) {
		TestUpstream server = TestUpstream.start(name);
		servers.add(server);
		return server;
	}

	/** {@code server}, closed after the test. */
	protected <T extends AutoCloseable> T closeAfter(T server) {
		servers.add(server);
		return server;
	}

	/** Starts an upstream that records raw bytes and never answers ({@link RawUpstream}), closed after the test. */
	protected RawUpstream startRaw() {
		RawUpstream server = new RawUpstream();
		servers.add(server);
		return server;
	}

	protected void apply(List<Upstream> upstreams, Route... routes) {
		routing.apply(new MeshConfig(upstreams, List.of(routes)));
	}

	protected double counter(String name, String... tags) {
		var counter = meters.find(name).tags(tags).counter();
		return counter == null ? 0 : counter.count();
	}

	protected static Map<String, Long> count(List<String> values) {
		return values.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

}
