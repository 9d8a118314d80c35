package io.meshgate.gateway.testing;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

import io.meshgate.gateway.MeshgateApplication;

/**
 * A gateway started as an application by the test, with Reactor Netty resources of its own: closing
 * it does not dispose the global event loops that the cached test contexts' servers, the test
 * upstreams and other gateways of the test run on (what Spring Boot's test support does for test
 * contexts).
 */
public final class OwnResourcesApplication {

	private OwnResourcesApplication() {
	}

	public static ConfigurableApplicationContext run(String... args) {
		return new SpringApplicationBuilder(MeshgateApplication.class)
			.initializers(context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
				@Override
				public Object postProcessBeforeInitialization(Object bean, String name) {
					if (bean instanceof ReactorResourceFactory resources) {
						resources.setUseGlobalResources(false);
					}
					return bean;
				}
			}))
			.run(args);
	}

}
