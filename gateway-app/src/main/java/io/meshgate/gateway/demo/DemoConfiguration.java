package io.meshgate.gateway.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.DisposableServer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.meshgate.admin.api.ConfigOverlay;
import io.meshgate.admin.security.GeneratedAdminLogin;
import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.health.HealthCheckPolicy;
import io.meshgate.policy.health.HealthCheckType;
import io.meshgate.policy.l4.L4Backend;
import io.meshgate.policy.l4.TcpRoute;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.GrpcMatch;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamProtocol;

/**
 * The out-of-the-box demo: upstream servers inside this JVM and routes over them, so that a first
 * {@code curl} shows load balancing and a canary split at once, and a first gRPC call and TCP
 * connection go through the gateway too:
 * <ul>
 * <li>{@code demo-v1} with two endpoints, {@code demo-v2} with one, and {@code demo-v3}, a version
 * that fails one request in four (for a rollout to roll back); the route {@code /demo/**} splits
 * 90/10 between {@code demo-v1} and {@code demo-v2};</li>
 * <li>{@code demo-grpc}, an h2c upstream serving {@code meshgate.demo.Echo} ({@link DemoGrpcServer}),
 * checked with {@code grpc.health.v1.Health/Check}; the route {@code demo-grpc} matches the
 * service;</li>
 * <li>{@code demo-tcp}, a TCP upstream of two echo endpoints ({@link DemoTcpServer}), round robin;
 * the TCP route {@code demo-tcp} on {@code meshgate.demo.tcp-port}.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnDemo
@EnableConfigurationProperties(DemoProperties.class)
public class DemoConfiguration {

	private static final Log log = LogFactory.getLog(DemoConfiguration.class);

	@Bean
	DemoUpstreams demoUpstreams(DemoProperties properties, Environment environment) {
		String host = properties.host();
		return new DemoUpstreams(
				List.of(DemoUpstreamServer.start(host, 0, "v1", "demo-v1-a"),
						DemoUpstreamServer.start(host, 0, "v1", "demo-v1-b"),
						DemoUpstreamServer.start(host, 0, "v2", "demo-v2-a"),
						DemoUpstreamServer.start(host, 0, "v3", "demo-v3-a", FAILING_CANARY_FAILS_EVERY)),
				DemoGrpcServer.start(host, 0, "demo-grpc-a"),
				List.of(DemoTcpServer.start(host, 0, "demo-tcp-a"), DemoTcpServer.start(host, 0, "demo-tcp-b")),
				tcpPort(properties, environment));
	}

	/**
	 * The demo's route and upstreams: they run next to the stored ones, read-only, and are never
	 * stored (the demo servers listen on new ports at every start).
	 */
	static final String DEMO_OVERRIDE_HEADER = "x-canary";

	/**
	 * The gRPC health check of {@code demo-grpc}: the demo runs on laptops and shared CI machines,
	 * where a JVM under load can take seconds to answer, so a check waits up to 5 s (not the default
	 * 1 s) every 10 s; three missed in a row mark the endpoint down.
	 */
	static final HealthCheckPolicy GRPC_HEALTH_CHECK = new HealthCheckPolicy(null, Duration.ofSeconds(10),
			Duration.ofSeconds(5), null, null, HealthCheckType.GRPC, null);

	/** {@code demo-v3} answers one request in this many with 503: a canary to roll back. */
	static final int FAILING_CANARY_FAILS_EVERY = 4;

	@Bean
	ConfigOverlay demoOverlay(DemoUpstreams servers, DemoProperties demo) {
		List<DisposableServer> s = servers.http();
		List<String> tcp = servers.tcp().stream().map(server -> "tcp://" + server.host() + ":" + server.port()).toList();
		MeshConfig config = new MeshConfig(
				List.of(Upstream.of("demo-v1", url(s.get(0)), url(s.get(1))), Upstream.of("demo-v2", url(s.get(2))),
						Upstream.of("demo-v3", url(s.get(3))),
						Upstream.of("demo-grpc", url(servers.grpc()))
							.withProtocol(UpstreamProtocol.H2C)
							.withHealthCheck(GRPC_HEALTH_CHECK),
						Upstream.tcp("demo-tcp", tcp.toArray(String[]::new))),
				List.of(Route.of("demo", "/demo/**", Backend.of("demo-v1", 100 - demo.canaryWeight()),
						Backend.of("demo-v2", demo.canaryWeight()))
					// the demo shows the tester's override, off on any other route unless configured:
					// x-canary: demo-v2 reaches v2 from any client, at weight 0 too
					.withCanary(new CanaryPolicy(null, DEMO_OVERRIDE_HEADER, null, true, null)),
						Route.of("demo-grpc", RouteMatch.grpc(GrpcMatch.exact(DemoGrpcServer.SERVICE, null)),
								List.of(Backend.of("demo-grpc", 1)))))
			.withL4(List.of(TcpRoute.of("demo-tcp", servers.tcpPort(), L4Backend.of("demo-tcp", 1))), List.of());
		log.info("Demo on: upstreams demo-v1 " + List.of(url(s.get(0)), url(s.get(1))) + ", demo-v2 "
				+ List.of(url(s.get(2))) + ", demo-v3 (fails one request in " + FAILING_CANARY_FAILS_EVERY
				+ ", a canary to roll back: docs/rollouts.md) " + List.of(url(s.get(3))) + "; route /demo/** splits "
				+ (100 - demo.canaryWeight()) + "/" + demo.canaryWeight() + ". gRPC service " + DemoGrpcServer.SERVICE
				+ " on the ingress port (h2c), upstream demo-grpc " + List.of(url(servers.grpc()))
				+ ". TCP route demo-tcp on port " + servers.tcpPort() + " to demo-tcp " + tcp
				+ ". Set meshgate.demo.enabled=false to turn it off.");
		return new ConfigOverlay("demo", config);
	}

	/**
	 * The TCP route's port: as configured, or {@link DemoProperties#DEFAULT_TCP_PORT}; a free one
	 * when configured 0, when the ingress port is chosen at start (as tests do), so that two
	 * gateways on one machine never both claim the default, or when the default is taken (a
	 * first start never fails on it; a port configured explicitly does).
	 */
	private static int tcpPort(DemoProperties properties, Environment environment) {
		// probed where the TCP route's listener binds (meshgate.l4.address, L4Properties' default)
		String address = environment.getProperty("meshgate.l4.address", "0.0.0.0");
		Integer configured = properties.tcpPort();
		if (configured != null) {
			return configured == 0 ? freePort(address, 0) : configured;
		}
		boolean ingressChosenAtStart = Integer.valueOf(0).equals(environment.getProperty("server.port", Integer.class));
		if (ingressChosenAtStart) {
			return freePort(address, 0);
		}
		try {
			return freePort(address, DemoProperties.DEFAULT_TCP_PORT);
		}
		catch (UncheckedIOException ex) {
			int free = freePort(address, 0);
			log.warn("Demo: port " + DemoProperties.DEFAULT_TCP_PORT + " is taken; the TCP route demo-tcp listens on " + free
					+ " (meshgate.demo.tcp-port chooses another)");
			return free;
		}
	}

	/** {@code port} when it can be bound now (0: any free one), else {@link UncheckedIOException}. */
	private static int freePort(String host, int port) {
		try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getByName(host))) {
			return free.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("port " + port + " on " + host + " cannot be bound", ex);
		}
	}

	/**
	 * The demo may start without {@code meshgate.admin.users}: the admin port then gets a login
	 * with a generated password, printed once, before the gateway serves. Nowhere else.
	 */
	@Bean
	GeneratedAdminLogin generatedAdminLogin(Environment environment) {
		return GeneratedAdminLogin.forStart("the demo is on and meshgate.admin.users is empty", environment);
	}

	private static String url(DisposableServer server) {
		return "http://" + server.host() + ":" + server.port();
	}

	/** The running demo servers, stopped with the application, and the TCP route's port. */
	public record DemoUpstreams(List<DisposableServer> http, DisposableServer grpc, List<DisposableServer> tcp,
			int tcpPort) implements AutoCloseable {

		@Override
		public void close() {
			http.forEach(DisposableServer::disposeNow);
			grpc.disposeNow();
			tcp.forEach(DisposableServer::disposeNow);
		}

	}

}
