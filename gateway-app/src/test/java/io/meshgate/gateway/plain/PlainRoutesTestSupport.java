package io.meshgate.gateway.plain;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

/**
 * One Meshgate (the application, as users run it) with Spring Cloud Gateway's documented
 * examples in plain gateway YAML ({@code plain/builtin-examples.yml}) and a Meshgate route,
 * {@code /mesh/**}, next to them; two echoing upstreams on loopback. Draws of the application's
 * {@link RandomGenerator} cycle through 0.05, 0.15 … 0.95, so weighted choices are exact.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.demo.enabled=false",
				"meshgate.store.path=target/stores/plain-${random.uuid}", "meshgate.admin.users[0].name=olga",
				"meshgate.admin.users[0].password=$2a$04$7IBBOYAtF6pRFDBNZ1WncusyfOIqCFHQNW3I/xI7.zbkkp6mdBZDa",
				"spring.config.import=classpath:plain/builtin-examples.yml" })
@Import(PlainRoutesTestSupport.TenthsDraws.class)
abstract class PlainRoutesTestSupport {

	static final EchoUpstream ECHO = new EchoUpstream("echo");

	static final EchoUpstream OTHER = new EchoUpstream("other");

	/** Meshgate's own route, served next to the plain ones. */
	static final MeshConfig MESH = new MeshConfig(List.of(Upstream.of("mesh", OTHER.url())),
			List.of(Route.of("mesh", "/mesh/**", Backend.of("mesh", 1))));

	@LocalServerPort
	int port;

	@Autowired
	MeshRouting routing;

	ExampleClient client;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry properties) {
		properties.add("plain-test.echo", ECHO::url);
		properties.add("plain-test.other", OTHER::url);
		properties.add("plain-test.other-port", OTHER::port);
		properties.add("plain-test.refusing", TestUpstream::refusingUrl);
	}

	@BeforeEach
	void meshgateRoutes() {
		client = new ExampleClient(port);
		if (!routing.current().equals(MESH)) {
			routing.apply(MESH);
		}
	}

	/** 0.05, 0.15 … 0.95, again and again: any ten draws in a row cover every tenth once. */
	@TestConfiguration(proxyBeanMethods = false)
	static class TenthsDraws {

		@Bean
		RandomGenerator tenthsRandom() {
			AtomicLong draws = new AtomicLong();
			return new RandomGenerator() {

				@Override
				public long nextLong() {
					return draws.getAndIncrement() * 0x9E3779B97F4A7C15L;
				}

				@Override
				public double nextDouble() {
					return (Math.floorMod(draws.getAndIncrement(), 10) + 0.5) / 10;
				}

			};
		}

	}

}
