package io.meshgate.policy.rewrite;

import java.util.List;
import java.util.Map;

/**
 * Spring's bindable carrier of the header modifier filters; converted once into a
 * {@link HeaderModifier}. Header names go in brackets, which keep their case:
 * {@code args: {"set[X-Env]": prod, "add[X-Via]": meshgate, remove: "X-Debug,X-Trace"}}.
 */
public class HeaderModifierConfig {

	private Map<String, String> set;

	private Map<String, String> add;

	private List<String> remove;

	public Map<String, String> getSet() {
		return set;
	}

	public void setSet(Map<String, String> set) {
		this.set = set;
	}

	public Map<String, String> getAdd() {
		return add;
	}

	public void setAdd(Map<String, String> add) {
		this.add = add;
	}

	public List<String> getRemove() {
		return remove;
	}

	public void setRemove(List<String> remove) {
		this.remove = remove;
	}

	HeaderModifier toModifier() {
		return new HeaderModifier(set, add, remove);
	}

}
