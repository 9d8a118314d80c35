package io.meshgate.gateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import io.meshgate.policy.config.MeshProperties;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration files we ship bind exactly as the gateway binds them at startup, and pass
 * the whole-configuration checks: a sample that does not start is worse than none.
 */
class SampleConfigurationTest {

	static final Path CONFIG = Path.of("..", "config");

	/** The pages whose YAML examples a user copies into a configuration. */
	static final List<Path> DOCUMENTED_PAGES = Stream.of("README.md", "docs/routes.md", "docs/upstreams.md",
			"docs/access.md", "docs/operations.md", "docs/library.md")
		.map(Path::of)
		.toList();

	@Test
	void userSampleBinds() throws IOException {
		MeshConfig config = bind(Files.readAllBytes(CONFIG.resolve("meshgate-sample.yml")));

		assertThat(config.upstreams()).extracting(u -> u.name()).containsExactly("orders-v1", "orders-v2", "orders-v3",
				"search", "profiles");
		assertThat(config.upstreams().get(0).endpoints()).extracting(e -> e.weight()).containsExactly(1, 2);
		assertThat(config.routes()).extracting(r -> r.id()).containsExactly("orders-beta", "orders", "search",
				"profiles");
		Route orders = config.routes().get(1);
		assertThat(orders.canary().stickyOn()).hasToString("cookie:session");
		assertThat(orders.mirrors()).singleElement().satisfies(m -> assertThat(m.percentage()).isEqualTo(5.0));
		assertThat(orders.retries().perTryTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(orders.timeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(config.routes().get(3).rateLimit().keyOn()).hasToString("header:x-api-key");
	}

	@Test
	void documentedExamplesBindWithoutUnknownKeys() throws IOException {
		int bound = 0;
		for (Path page : DOCUMENTED_PAGES) {
			bound += bindExamples(Files.readString(Path.of("..").resolve(page)));
		}
		assertThat(bound).isGreaterThanOrEqualTo(3);
	}

	@Test
	void everyPolicyPageExampleBindsWithoutUnknownKeys() throws IOException {
		try (Stream<Path> pages = Files.list(Path.of("..", "docs", "policies"))) {
			for (Path page : pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
				String text = Files.readString(page);
				assertThat(bindExamples(text)).as(page + ": examples bound").isEqualTo(countExamples(text));
			}
		}
	}

	private static int countExamples(String page) {
		return (int) Pattern.compile("```yaml\\nmeshgate:\\n").matcher(page).results().count();
	}

	/** Binds every {@code meshgate:} YAML example of a page that declares upstreams or routes. */
	private static int bindExamples(String page) throws IOException {
		Matcher blocks = Pattern.compile("```yaml\\n(meshgate:\\n.*?)```", Pattern.DOTALL).matcher(page);
		int bound = 0;
		while (blocks.find()) {
			if (!blocks.group(1).contains("\n  upstreams:") && !blocks.group(1).contains("\n  routes:")) {
				continue; // other meshgate.* settings (admin users) bind elsewhere
			}
			List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("example",
					new ByteArrayResource(blocks.group(1).getBytes()));
			Binder binder = new Binder(ConfigurationPropertySources.from(sources), null,
					ApplicationConversionService.getSharedInstance());
			// a misspelt key in a documented example would be silently ignored by a user's gateway: fail on it here
			binder.bind("meshgate", Bindable.of(MeshProperties.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
			bound++;
		}
		return bound;
	}

	@Test
	void composeConfigurationBinds() throws IOException {
		MeshConfig config = bind(Files.readAllBytes(CONFIG.resolve("compose").resolve("gateway.yml")));

		assertThat(config.upstreams()).extracting(u -> u.name()).containsExactly("demo-v1", "demo-v2", "orders-mtls");
		assertThat(config.upstreams().get(2).tls().mode()).hasToString("MUTUAL");
		assertThat(config.routes()).extracting(route -> route.id()).containsExactly("orders-mtls", "demo");
	}

	@Test
	void kubernetesConfigMapBinds() throws IOException {
		ConfigMap configMap = new KubernetesSerialization().unmarshal(
				Files.newInputStream(CONFIG.resolve("kubernetes").resolve("configmap.yaml")), ConfigMap.class);

		MeshConfig config = bind(configMap.getData().get("application.yml").getBytes());

		assertThat(config.upstreams()).allSatisfy(upstream -> assertThat(upstream.discovered()).isTrue());
		assertThat(config.routes()).isNotEmpty();
	}

	@Test
	void noShippedFileIsPickedUpByAccidentFromTheRepositoryRoot() throws IOException {
		// Spring Boot reads ./config/application.* and ./config/*/application.* from the working
		// directory: the demo would silently turn off for anyone starting the jar from a clone.
		try (var files = Files.walk(CONFIG, 2)) {
			assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("application."));
		}
	}

	private static MeshConfig bind(byte[] yaml) throws IOException {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("sample", new ByteArrayResource(yaml));
		Binder binder = new Binder(ConfigurationPropertySources.from(sources), null,
				ApplicationConversionService.getSharedInstance());
		return binder.bind("meshgate", MeshProperties.class).get().toConfig();
	}

}
