package io.meshgate.gateway.demo;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.config.MeshProperties;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.SeededRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** What a newcomer sees: the gateway with no configuration at all. */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.store.path=target/stores/demo-${random.uuid}" })
@ExtendWith(OutputCaptureExtension.class)
class DemoTest {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int adminPort;

	@Autowired
	SeededRandom random;

	@Test
	void printsAGeneratedAdminPasswordOnceAndShowsTheDemoRouteReadOnly(CapturedOutput output) {
		Matcher printed = Pattern.compile("Meshgate admin login: user 'admin', password '([^']+)'").matcher(output.getOut());
		assertThat(printed.find()).as("the generated password is printed").isTrue();
		String password = printed.group(1);
		assertThat(printed.find()).as("printed once").isFalse();
		AdminClient admin = AdminClient.basic(adminPort, "admin", password);

		AdminClient.Answer routes = admin.get("/api/routes");

		assertThat(routes.status()).isEqualTo(200);
		assertThat(routes.body()).contains("\"source\":\"demo\",\"readOnly\":true").contains("\"id\":\"demo\"");

		AdminClient.Answer write = admin.put("/api/routes/demo",
				"{\"match\":{\"path\":\"/x/**\"},\"backends\":[{\"upstream\":\"demo-v1\"}]}", null);
		assertThat(write.status()).isEqualTo(400);
		assertThat(write.body()).contains("comes from demo and is read-only");
	}

	@Test
	void demoRouteBalancesOverBothV1EndpointsAndSendsOneInTenToV2() {
		random.reseed(SeededRandom.SEED);
		List<String> bodies = new GatewayClient(port).bodies(1000, 4, i -> "/demo/");

		Map<String, Long> byEndpoint = bodies.stream()
			.map(body -> body.replaceAll(".*\"endpoint\":\"([^\"]+)\".*", "$1"))
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(byEndpoint).containsOnlyKeys("demo-v1-a", "demo-v1-b", "demo-v2-a");
		// one draw per request: seed 23's first 1,000 draws of nextInt(100) fall 100 times on 90-99
		assertThat(byEndpoint.get("demo-v2-a")).isEqualTo(100L);
		// round robin inside demo-v1: its two endpoints differ by at most one request
		assertThat(Math.abs(byEndpoint.get("demo-v1-a") - byEndpoint.get("demo-v1-b"))).isLessThanOrEqualTo(1L);
		assertThat(bodies.get(0)).startsWith("{\"service\":\"demo\",\"version\":\"v").contains("\"path\":\"/demo/\"");
	}

	@Test
	void aTesterForcesTheCanaryWithTheReadmesHeader() {
		List<String> bodies = new GatewayClient(port, Map.of("x-canary", "demo-v2")).bodies(20, 4, i -> "/demo/");

		assertThat(bodies).allSatisfy(body -> assertThat(body).contains("\"endpoint\":\"demo-v2-a\""));
	}

	@Test
	void demoStaysOffWhenTheUserConfiguresUpstreams() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withUserConfiguration(DemoConfiguration.class, Properties.class);

		runner.run(context -> assertThat(context).hasSingleBean(DemoConfiguration.DemoUpstreams.class));
		runner.withPropertyValues("meshgate.upstreams[0].name=orders", "meshgate.upstreams[0].endpoints[0]=http://10.0.0.1:80")
			.run(context -> assertThat(context).doesNotHaveBean(DemoConfiguration.DemoUpstreams.class));
		runner.withPropertyValues("meshgate.demo.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(DemoConfiguration.DemoUpstreams.class));
	}

	@org.springframework.boot.context.properties.EnableConfigurationProperties(MeshProperties.class)
	static class Properties {

	}

}
