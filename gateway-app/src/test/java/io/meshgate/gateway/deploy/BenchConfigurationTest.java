package io.meshgate.gateway.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import io.meshgate.policy.config.MeshProperties;
import io.meshgate.policy.observe.MeshObservabilityAutoConfiguration;
import io.meshgate.policy.route.MeshConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's Meshgate configurations ({@code bench/config/}) bind without unknown keys and
 * pass the whole-configuration checks, so that {@code bench/run.sh} does not find out after
 * minutes of building and warming up that a contender cannot start.
 */
class BenchConfigurationTest {

	static final Path BENCH_CONFIG = Path.of("..", "bench", "config");

	/** The cold starts: one route, no policies. */
	@Test
	void coldStartConfigurationHasOneCatchAllRoute() throws IOException {
		MeshConfig config = bind("plain");

		assertThat(config.routes()).singleElement().satisfies(route -> assertThat(route.match().path()).isEqualTo("/**"));
	}

	/** bench/run.sh measures contender mg-X on the route /X/** of its JVM, each with its own upstream. */
	@Test
	void contendersAreOneRouteEachWithItsOwnUpstream() throws IOException {
		assertThat(paths("policies")).containsExactly("/plain/**", "/canary/**", "/mirror/**", "/mtls/**", "/resilience/**");
		assertThat(paths("observed")).containsExactly("/tracing/**", "/all/**");
	}

	/** What one shadow copy costs (bench/ab.sh, bench/allocations.sh): its one route mirrors every request. */
	@Test
	void mirrorAllMirrorsEveryRequest() throws IOException {
		MeshConfig config = bind("mirror-all");

		assertThat(config.routes()).singleElement().satisfies(route -> {
			assertThat(route.match().path()).isEqualTo("/mirrored/**");
			assertThat(route.mirrors()).singleElement()
				.satisfies(mirror -> assertThat(mirror.percentage()).isEqualTo(100.0));
		});
	}

	/** bench/protocols.sh's two JVMs: the routes of issue 25's rows, passthrough in one only. */
	@Test
	void protocolRowsHaveEveryKindOfRouteTheyMeasure() throws IOException {
		MeshConfig protocols = bind("protocols");

		assertThat(protocols.routes()).extracting(route -> route.id()).containsExactly("plain", "grpc");
		assertThat(protocols.tcpRoutes()).singleElement().satisfies(route -> assertThat(route.port()).isEqualTo(18302));
		assertThat(protocols.tlsPassthroughRoutes()).singleElement()
			.satisfies(route -> assertThat(route.hosts()).containsExactly("localhost"));
		assertThat(bind("terminated").tlsPassthroughRoutes()).isEmpty();
	}

	private static List<String> paths(String jvm) throws IOException {
		MeshConfig config = bind(jvm);
		assertThat(config.routes()).extracting(route -> route.backends().get(0).upstream()).doesNotHaveDuplicates();
		return config.routes().stream().map(route -> route.match().path()).toList();
	}

	private static MeshConfig bind(String contender) throws IOException {
		String yaml = Files.readString(BENCH_CONFIG.resolve(contender + ".yml"), StandardCharsets.UTF_8)
			.replace("@WORK@", "/tmp/meshbench-work");
		Map<String, Object> properties = new LinkedHashMap<>();
		for (PropertySource<?> source : new YamlPropertySourceLoader().load(contender,
				new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)))) {
			properties.putAll(((MapPropertySource) source).getSource());
		}
		// switches of the gateway's own beside the route model, which MeshProperties does not hold
		properties.keySet().removeIf(key -> key.startsWith(MeshObservabilityAutoConfiguration.REQUEST_METRICS_ENABLED));
		Binder binder = new Binder(ConfigurationPropertySources.from(new OriginTrackedMapPropertySource(contender, properties)), null,
				ApplicationConversionService.getSharedInstance());
		return binder
			.bind("meshgate", Bindable.of(MeshProperties.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
			.get()
			.toConfig();
	}

}
