package io.meshgate.policy.security.authz;

import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.meshgate.policy.binding.PolicyBinding;

/** Authorization policies written in tests as users write them: YAML, bound into the records. */
final class Policies {

	private Policies() {
	}

	/** The policies of a YAML list, each bound as configuration binding binds it. */
	static List<AuthorizationPolicy> yaml(String text) {
		List<?> items = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
		return items.stream().map(item -> bind((Map<?, ?>) item)).toList();
	}

	static AuthorizationPolicy bind(Map<?, ?> tree) {
		@SuppressWarnings("unchecked")
		Map<String, ?> given = (Map<String, ?>) tree;
		return PolicyBinding.bind(AuthorizationPolicy.class, given, List.of());
	}

}
