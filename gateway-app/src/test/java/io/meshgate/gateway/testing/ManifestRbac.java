package io.meshgate.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * What the ServiceAccount of {@code config/kubernetes/} may do: its Role ({@code role.yaml}, in
 * the gateway's own namespace) and its ClusterRole ({@code clusterrole.yaml}), read as the API
 * server reads them. {@link #ungranted} maps each request the gateway sent to the mock API server
 * to the verb and resource the API server's authorizer would check (GET of a name: get; of a
 * collection: list, or watch with {@code ?watch=true}; POST: create; PUT: update; PATCH: patch;
 * DELETE: delete or deletecollection) and answers those neither grants.
 */
public final class ManifestRbac {

	/** Maven runs tests in the module directory; an IDE may run them in the repository root. */
	private static final Path DIR = Stream.of(Path.of("..", "config", "kubernetes"), Path.of("config", "kubernetes"))
		.filter(Files::isDirectory)
		.findFirst()
		.orElse(Path.of("..", "config", "kubernetes"));

	private final List<PolicyRule> namespaced;

	private final List<PolicyRule> clusterWide;

	private ManifestRbac(List<PolicyRule> namespaced, List<PolicyRule> clusterWide) {
		this.namespaced = namespaced;
		this.clusterWide = clusterWide;
	}

	/** The rules of {@code role.yaml} and {@code clusterrole.yaml}. */
	public static ManifestRbac ofManifests() {
		KubernetesSerialization serialization = new KubernetesSerialization();
		try (InputStream role = Files.newInputStream(DIR.resolve("role.yaml"));
				InputStream clusterRole = Files.newInputStream(DIR.resolve("clusterrole.yaml"))) {
			return new ManifestRbac(serialization.unmarshal(role, Role.class).getRules(),
					serialization.unmarshal(clusterRole, ClusterRole.class).getRules());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * With the Role docs/admin.md gives the kubernetes store ({@code meshgate-route-store}, the
	 * first YAML block naming it) granted as well, in the gateway's namespace.
	 */
	public ManifestRbac withTheStoreRoleOfTheDocs() {
		String docs;
		try {
			docs = Files.readString(DIR.resolve(Path.of("..", "..", "docs", "admin.md")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String block = Arrays.stream(docs.split("```")).filter(text -> text.startsWith("yaml")
				&& text.contains("kind: Role\n") && text.contains("name: meshgate-route-store")).findFirst()
			.orElseThrow(() -> new AssertionError("docs/admin.md has no Role meshgate-route-store"));
		String role = Arrays.stream(block.substring("yaml".length()).split("(?m)^---$"))
			.filter(document -> document.contains("kind: Role\n")).findFirst().orElseThrow();
		List<PolicyRule> rules = new ArrayList<>(namespaced);
		rules.addAll(new KubernetesSerialization().unmarshal(role, Role.class).getRules());
		return new ManifestRbac(rules, clusterWide);
	}

	/**
	 * The requests neither role grants, as {@code verb resource (METHOD path)}, each once, with the
	 * Role granting in {@code namespace} (the gateway's own, {@code meshgate} in the manifests).
	 */
	public List<String> ungranted(List<RecordedRequest> requests, String namespace) {
		Set<String> missing = new LinkedHashSet<>();
		for (RecordedRequest request : requests) {
			Access access = Access.of(request.getMethod(), request.getPath());
			if (access != null && !allows(clusterWide, access)
					&& !(namespace.equals(access.namespace()) && allows(namespaced, access))) {
				missing.add(access.verb() + " " + access.resource() + (access.group().isEmpty() ? "" : "." + access.group())
						+ (access.namespace() == null ? " (cluster-wide)" : " in " + access.namespace()));
			}
		}
		return List.copyOf(missing);
	}

	private static boolean allows(List<PolicyRule> rules, Access access) {
		return rules.stream().anyMatch(rule -> matches(rule.getApiGroups(), access.group())
				&& matches(rule.getResources(), access.resource()) && matches(rule.getVerbs(), access.verb()));
	}

	private static boolean matches(List<String> granted, String asked) {
		return granted != null && (granted.contains(asked) || granted.contains("*"));
	}

	/** The authorizer's view of one request; {@code namespace} null for a cluster-wide one. */
	record Access(String verb, String group, String resource, String namespace) {

		/** Null for a request that is not about a resource (discovery: {@code /api}, {@code /version}). */
		static Access of(String method, String target) {
			int query = target.indexOf('?');
			String path = query < 0 ? target : target.substring(0, query);
			boolean watch = query >= 0 && Arrays.asList(target.substring(query + 1).split("&")).contains("watch=true");
			List<String> parts = Arrays.stream(path.split("/")).filter(part -> !part.isEmpty()).toList();
			int from = parts.isEmpty() ? 0 : parts.get(0).equals("api") ? 2 : parts.get(0).equals("apis") ? 3 : 0;
			if (from == 0 || parts.size() <= from) {
				return null;
			}
			String group = from == 2 ? "" : parts.get(1);
			List<String> rest = new ArrayList<>(parts.subList(from, parts.size()));
			String namespace = null;
			if (rest.get(0).equals("namespaces") && rest.size() > 2) {
				namespace = rest.get(1);
				rest = rest.subList(2, rest.size());
			}
			String resource = rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
			boolean named = rest.size() > 1;
			String verb = switch (method) {
				case "GET" -> watch ? "watch" : named ? "get" : "list";
				case "POST" -> "create";
				case "PUT" -> "update";
				case "PATCH" -> "patch";
				case "DELETE" -> named ? "delete" : "deletecollection";
				default -> method.toLowerCase(java.util.Locale.ROOT);
			};
			return new Access(verb, group, resource, namespace);
		}

	}

}
