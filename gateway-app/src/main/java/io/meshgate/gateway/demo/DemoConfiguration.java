package io.meshgate.gateway.demo;

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
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.Upstream;

/**
 * The out-of-the-box demo: four upstream servers inside this JVM ({@code demo-v1} with two
 * endpoints, {@code demo-v2} with one, and {@code demo-v3}, a version that fails one request in
 * four, for a rollout to roll back) and a route {@code /demo/**} that splits 90/10 between
 * {@code demo-v1} and {@code demo-v2}, so that a first {@code curl} shows load balancing and a
 * canary split at once.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnDemo
@EnableConfigurationProperties(DemoProperties.class)
public class DemoConfiguration {

	private static final Log log = LogFactory.getLog(DemoConfiguration.class);

	@Bean
	DemoUpstreams demoUpstreams(DemoProperties properties) {
		return new DemoUpstreams(List.of(
				DemoUpstreamServer.start(properties.host(), 0, "v1", "demo-v1-a"),
				DemoUpstreamServer.start(properties.host(), 0, "v1", "demo-v1-b"),
				DemoUpstreamServer.start(properties.host(), 0, "v2", "demo-v2-a"),
				DemoUpstreamServer.start(properties.host(), 0, "v3", "demo-v3-a", FAILING_CANARY_FAILS_EVERY)));
	}

	/**
	 * The demo's route and upstreams: they run next to the stored ones, read-only, and are never
	 * stored (the demo servers listen on new ports at every start).
	 */
	static final String DEMO_OVERRIDE_HEADER = "x-canary";

	/** {@code demo-v3} answers one request in this many with 503: a canary to roll back. */
	static final int FAILING_CANARY_FAILS_EVERY = 4;

	@Bean
	ConfigOverlay demoOverlay(DemoUpstreams servers, DemoProperties demo) {
		List<DisposableServer> s = servers.servers();
		MeshConfig config = new MeshConfig(
				List.of(Upstream.of("demo-v1", url(s.get(0)), url(s.get(1))), Upstream.of("demo-v2", url(s.get(2))),
						Upstream.of("demo-v3", url(s.get(3)))),
				List.of(Route.of("demo", "/demo/**", Backend.of("demo-v1", 100 - demo.canaryWeight()),
						Backend.of("demo-v2", demo.canaryWeight()))
					// the demo shows the tester's override, off on any other route unless configured:
					// x-canary: demo-v2 reaches v2 from any client, at weight 0 too
					.withCanary(new CanaryPolicy(null, DEMO_OVERRIDE_HEADER, null, true, null))));
		log.info("Demo on: upstreams demo-v1 " + List.of(url(s.get(0)), url(s.get(1))) + ", demo-v2 "
				+ List.of(url(s.get(2))) + ", demo-v3 (fails one request in " + FAILING_CANARY_FAILS_EVERY
				+ ", a canary to roll back: docs/rollouts.md) " + List.of(url(s.get(3))) + "; route /demo/** splits "
				+ (100 - demo.canaryWeight()) + "/" + demo.canaryWeight() + ". Set meshgate.demo.enabled=false to turn it off.");
		return new ConfigOverlay("demo", config);
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

	/** The running demo servers, stopped with the application. */
	public record DemoUpstreams(List<DisposableServer> servers) implements AutoCloseable {

		@Override
		public void close() {
			servers.forEach(DisposableServer::disposeNow);
		}

	}

}
