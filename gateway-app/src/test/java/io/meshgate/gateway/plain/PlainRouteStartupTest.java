package io.meshgate.gateway.plain;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.http.client.ReactorResourceFactory;

import io.meshgate.gateway.MeshgateApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Plain gateway routes in YAML that cannot be built stop the start, with one message naming each
 * route and what is wrong with it: an unknown predicate (the issue's {@code Weight}, switched off
 * here), an unknown filter, an argument of the wrong type.
 */
class PlainRouteStartupTest {

	private static final String ROUTES = "--spring.cloud.gateway.server.webflux.routes";

	@Test
	void routesThatCannotBeBuiltStopTheStartNamingEachRouteAndWhatIsWrong() {
		Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(MeshgateApplication.class)
			.initializers(context -> context.getBeanFactory().addBeanPostProcessor(new OwnEventLoops()))
			.run("--server.port=0", "--management.server.port=0", "--meshgate.demo.enabled=false",
					"--meshgate.store.path=target/stores/plain-startup-" + UUID.randomUUID(),
					"--meshgate.admin.users[0].name=olga",
					"--meshgate.admin.users[0].password=$2a$04$7IBBOYAtF6pRFDBNZ1WncusyfOIqCFHQNW3I/xI7.zbkkp6mdBZDa",
					"--spring.cloud.gateway.server.webflux.predicate.weight.enabled=false",
					ROUTES + "[0].id=weight_high", ROUTES + "[0].uri=http://127.0.0.1:9",
					ROUTES + "[0].predicates[0]=Weight=group1, 8",
					ROUTES + "[1].id=good", ROUTES + "[1].uri=http://127.0.0.1:9",
					ROUTES + "[1].predicates[0]=Path=/good/**",
					ROUTES + "[2].id=typo", ROUTES + "[2].uri=http://127.0.0.1:9",
					ROUTES + "[2].predicates[0]=Path=/typo/**", ROUTES + "[2].filters[0]=AddRequestHeaderz=X-A, b",
					ROUTES + "[3].id=strip", ROUTES + "[3].uri=http://127.0.0.1:9",
					ROUTES + "[3].predicates[0]=Path=/strip/**", ROUTES + "[3].filters[0]=StripPrefix=two"));

		Throwable cause = failure;
		while (cause != null && !String.valueOf(cause.getMessage()).startsWith("Gateway routes cannot be built:")) {
			cause = cause.getCause();
		}
		assertThat(cause).as(String.valueOf(failure))
			.isNotNull()
			.hasMessageStartingWith("Gateway routes cannot be built:")
			.hasMessageContaining("route weight_high: Unable to find RoutePredicateFactory with name Weight")
			.hasMessageContaining("route typo: Unable to find GatewayFilterFactory with name AddRequestHeaderz")
			.hasMessageContaining("route strip: ")
			.hasMessageContaining("two")
			.hasMessageNotContaining("route good");
	}

	/**
	 * The application's Reactor Netty resources are its own, so that its failed start does not
	 * dispose the global event loops the cached test contexts' servers run on.
	 */
	private static final class OwnEventLoops implements BeanPostProcessor {

		@Override
		public Object postProcessBeforeInitialization(Object bean, String name) {
			if (bean instanceof ReactorResourceFactory resources) {
				resources.setUseGlobalResources(false);
			}
			return bean;
		}

	}

}
