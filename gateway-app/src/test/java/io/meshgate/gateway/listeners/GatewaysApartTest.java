package io.meshgate.gateway.listeners;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.KubernetesApi;
import io.meshgate.gateway.testing.ServicePods;
import io.meshgate.policy.testing.RawHttp;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Gateways apart (issue 28 item 8), beyond the conformance tests: two Gateways of one deployment,
 * each with a catch-all HTTPRoute, on listener ports 80 (the ingress port) and 8080 (a further
 * listener port, {@code meshgate.listeners.ports}) never answer for each other, and a Gateway on a
 * port the deployment does not open is refused with a listener condition saying why and serves
 * nothing. Against fabric8's mock API server, with real upstreams on loopback and raw sockets.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its informers watch the mock API server, which lives only as long as this class's statics
class GatewaysApartTest {

	static final String NAMESPACE = "apart";

	@RegisterExtension
	static final KubernetesApi API = new KubernetesApi();

	static final KubernetesClient KUBE = API.client();

	static final TestUpstream FRONT = TestUpstream.start("front-backend", "127.0.0.2", 0);

	static final TestUpstream BACK = TestUpstream.start("back-backend", "127.0.0.3", 0);

	@LocalServerPort
	int port;

	@Autowired
	ListenerServers listeners;

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		API.controllerProperties(properties, NAMESPACE, "gateways-apart");
		properties.add("meshgate.kubernetes.ingress.addresses[0]", () -> "192.0.2.10");
		properties.add("meshgate.kubernetes.ingress.debounce", () -> "20ms");
		properties.add("meshgate.kubernetes.ingress.resync", () -> "1s");
		properties.add("meshgate.listeners.ports.8080", () -> "0");
		API.apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: GatewayClass
				metadata: {name: meshgate}
				spec: {controllerName: meshgate.io/gateway-controller}
				---
				apiVersion: gateway.networking.k8s.io/v1
				kind: Gateway
				metadata: {name: front, namespace: apart}
				spec:
				  gatewayClassName: meshgate
				  listeners: [{name: http, port: 80, protocol: HTTP}]
				---
				apiVersion: gateway.networking.k8s.io/v1
				kind: Gateway
				metadata: {name: back, namespace: apart}
				spec:
				  gatewayClassName: meshgate
				  listeners: [{name: http, port: 8080, protocol: HTTP}]
				---
				apiVersion: gateway.networking.k8s.io/v1
				kind: Gateway
				metadata: {name: closed, namespace: apart}
				spec:
				  gatewayClassName: meshgate
				  listeners: [{name: http, port: 9000, protocol: HTTP}]
				---
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: to-front, namespace: apart}
				spec:
				  parentRefs: [{name: front}]
				  rules: [{backendRefs: [{name: front-backend, port: 8080}]}]
				---
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: to-back, namespace: apart}
				spec:
				  parentRefs: [{name: back}]
				  rules: [{backendRefs: [{name: back-backend, port: 8080}]}]
				---
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: to-closed, namespace: apart}
				spec:
				  parentRefs: [{name: closed}]
				  rules: [{matches: [{path: {type: PathPrefix, value: /closed}}], backendRefs: [{name: back-backend, port: 8080}]}]
				""");
		ServicePods.apply(KUBE, NAMESPACE, "front-backend", null, 8080, FRONT.host(), FRONT.port(), Map.of());
		ServicePods.apply(KUBE, NAMESPACE, "back-backend", null, 8080, BACK.host(), BACK.port(), Map.of());
	}

	@AfterAll
	static void stopServers() {
		FRONT.close();
		BACK.close();
	}

	@Test
	void twoGatewaysWithCatchAllRoutesOnTheirOwnPortsNeverShareTraffic() {
		int backPort = listeners.localPort(8080);
		assertThat(backPort).isPositive().isNotEqualTo(port);
		await().atMost(Duration.ofSeconds(15)).until(() -> answer(port, "x.example", "/a").equals("front-backend")
				&& answer(backPort, "x.example:8080", "/a").equals("back-backend"));

		List<String> front = new ArrayList<>();
		List<String> back = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			front.add(answer(port, "x.example", "/" + i));
			back.add(answer(backPort, "x.example:8080", "/" + i));
		}
		assertThat(front).containsOnly("front-backend").hasSize(20);
		assertThat(back).containsOnly("back-backend").hasSize(20);
		assertThat(FRONT.received()).noneMatch(r -> r.headers().get("host").endsWith(":8080"));
		assertThat(BACK.received()).allMatch(r -> r.headers().get("host").equals("x.example:8080"));
	}

	@Test
	void aListenerOnAPortTheDeploymentDoesNotOpenIsRefusedAndServesNothing() {
		await().atMost(Duration.ofSeconds(15)).until(() -> listenerCondition("closed", "Accepted"),
				c -> c != null && c.getStatus().equals("False"));
		Condition accepted = listenerCondition("closed", "Accepted");
		assertThat(accepted.getReason()).isEqualTo("PortUnavailable");
		assertThat(accepted.getMessage()).isEqualTo(
				"port: 9000 (expected: one of [80, 8080], the HTTP ports this gateway serves; meshgate.listeners.ports opens more)");
		assertThat(listenerCondition("closed", "Programmed").getStatus()).isEqualTo("False");
		assertThat(gatewayCondition("closed", "Accepted").getReason()).isEqualTo("ListenersNotValid");
		await().atMost(Duration.ofSeconds(15)).until(() -> routeAccepted("to-closed"),
				c -> c != null && c.getReason().equals("NotAllowedByListeners"));
		// the ports that are served: the Gateways on them are programmed, with the deployment's address
		assertThat(listenerCondition("back", "Accepted").getStatus()).isEqualTo("True");
		assertThat(gatewayCondition("back", "Programmed").getStatus()).isEqualTo("True");
		assertThat(KUBE.resources(Gateway.class).inNamespace(NAMESPACE).withName("back").get().getStatus().getAddresses())
			.singleElement()
			.satisfies(a -> assertThat(List.of(a.getType(), a.getValue())).containsExactly("IPAddress", "192.0.2.10"));
		// nothing on any served port takes the refused Gateway's path
		await().atMost(Duration.ofSeconds(15)).until(() -> answer(port, "x.example", "/a").equals("front-backend"));
		assertThat(answer(port, "x.example", "/closed")).isEqualTo("front-backend");
		assertThat(answer(listeners.localPort(8080), "x.example:8080", "/closed")).isEqualTo("back-backend");
	}

	/** The backend that answered, or the status when it is not 200. */
	private static String answer(int port, String host, String path) {
		RawHttp.Response response = RawHttp.send(port, "GET", path, Map.of("Host", host));
		return response.status() == 200 ? response.body() : String.valueOf(response.status());
	}

	private static Condition listenerCondition(String gateway, String type) {
		Gateway object = KUBE.resources(Gateway.class).inNamespace(NAMESPACE).withName(gateway).get();
		if (object.getStatus() == null || object.getStatus().getListeners() == null) {
			return null;
		}
		return object.getStatus().getListeners().stream().map(ListenerStatus::getConditions)
			.flatMap(List::stream).filter(c -> c.getType().equals(type)).findFirst().orElse(null);
	}

	private static Condition gatewayCondition(String gateway, String type) {
		Gateway object = KUBE.resources(Gateway.class).inNamespace(NAMESPACE).withName(gateway).get();
		return object.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
	}

	private static Condition routeAccepted(String route) {
		HTTPRoute object = KUBE.resources(HTTPRoute.class).inNamespace(NAMESPACE).withName(route).get();
		if (object.getStatus() == null || object.getStatus().getParents() == null || object.getStatus().getParents().isEmpty()) {
			return null;
		}
		return object.getStatus().getParents().get(0).getConditions().stream()
			.filter(c -> c.getType().equals("Accepted")).findFirst().orElse(null);
	}

}
