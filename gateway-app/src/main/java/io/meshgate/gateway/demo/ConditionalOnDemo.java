package io.meshgate.gateway.demo;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * On when {@code meshgate.demo.enabled} is {@code true}, or when it is not set and the user
 * configured no upstreams of their own: the demo never mixes into a real configuration.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Conditional(ConditionalOnDemo.DemoCondition.class)
public @interface ConditionalOnDemo {

	class DemoCondition implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Binder binder = Binder.get(context.getEnvironment());
			return binder.bind("meshgate.demo.enabled", Boolean.class)
				.orElseGet(() -> !binder.bind("meshgate.upstreams[0].name", String.class).isBound());
		}

	}

}
