package io.meshgate.policy.match;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.route.ListenerMatch;
import io.meshgate.policy.route.ListenerPorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The {@code ListenerMatch} predicate and the listener ports it reads ({@link ListenerPorts}). */
class ListenerMatchTest {

	final ListenerPorts ports = new ListenerPorts();

	final ListenerMatchRoutePredicateFactory factory = new ListenerMatchRoutePredicateFactory(ports);

	@Test
	void aServerStandsForTheListenerPortItIsRegisteredForElseForItsOwnPort() {
		ports.register(18080, 80);
		ports.register(18443, 443);
		ports.register(18080, 8080);

		assertThat(ports.listenerPort(18080)).isEqualTo(8080);
		assertThat(ports.listenerPort(18443)).isEqualTo(443);
		assertThat(ports.listenerPort(9000)).isEqualTo(9000);
	}

	@Test
	void matchesRequestsOfItsListenerPortOnly() {
		ports.register(18080, 80);
		ports.register(18081, 8080);
		Predicate<ServerWebExchange> on80 = factory.predicate(new ListenerMatch(80, null));

		assertThat(on80.test(exchange(18080, "a.example"))).isTrue();
		assertThat(on80.test(exchange(18081, "a.example"))).isFalse();
		assertThat(on80.test(exchange(80, "a.example"))).as("an unregistered port stands for itself").isTrue();
	}

	@Test
	void leavesTheHostsOfMoreSpecificListenersToThem() {
		ports.register(18080, 80);
		Predicate<ServerWebExchange> any = factory.predicate(new ListenerMatch(80, List.of("*.example.com", "abc.foo.example.com")));

		assertThat(any.test(exchange(18080, "bar.com"))).isTrue();
		assertThat(any.test(exchange(18080, "example.com"))).as("a wildcard never takes its apex").isTrue();
		assertThat(any.test(exchange(18080, "bar.example.com"))).isFalse();
		assertThat(any.test(exchange(18080, "ABC.foo.example.com:80"))).isFalse();
	}

	@Test
	void aRequestWithoutALocalAddressIsOnNoListenerBeforeTheIngressServerIsRegistered() {
		ServerWebExchange synthetic = MockServerWebExchange.from(MockServerHttpRequest.get("/").header("Host", "a.example"));

		assertThat(factory.predicate(new ListenerMatch(80, null)).test(synthetic)).isFalse();
		assertThat(synthetic.getAttributes().get(ExchangeAttributes.LISTENER_PORT)).isEqualTo(0);
	}

	/** The route tester's request stands for one a client sends to the ingress port. */
	@Test
	void aSyntheticRequestArrivesOnTheIngressListener() {
		ports.registerIngress(18080, 80);
		ports.register(18443, 443);

		assertThat(factory.predicate(new ListenerMatch(80, null))
			.test(MockServerWebExchange.from(MockServerHttpRequest.get("/").header("Host", "a.example")))).isTrue();
		assertThat(factory.predicate(new ListenerMatch(443, null))
			.test(MockServerWebExchange.from(MockServerHttpRequest.get("/").header("Host", "a.example")))).isFalse();
	}

	@Test
	void theListenerPortIsTaggedOnTheExchangeOnce() {
		ports.register(18080, 80);
		ServerWebExchange exchange = exchange(18080, "a.example");

		assertThat(ports.of(exchange)).isEqualTo(80);
		ports.register(18080, 8080);
		assertThat(ports.of(exchange)).as("kept for the rest of the request").isEqualTo(80);
		assertThat(exchange.getAttributes().get(ExchangeAttributes.LISTENER_PORT)).isEqualTo(80);
	}

	@Test
	void refusesAPortOutOfRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ListenerMatch(0, null))
			.withMessage("listener.port: 0 (expected: 1-65535)");
		assertThatIllegalArgumentException().isThrownBy(() -> new ListenerMatch(null, null))
			.withMessage("listener.port: null (expected: 1-65535)");
	}

	@Test
	void refusesAnExceptHostThatIsNoHostPattern() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ListenerMatch(80, List.of("a.example:80")))
			.withMessageStartingWith("listener.exceptHosts: a.example:80 (expected: a host name");
	}

	private static ServerWebExchange exchange(int localPort, String host) {
		return MockServerWebExchange.from(MockServerHttpRequest.get("/")
			.header("Host", host)
			.localAddress(new InetSocketAddress("127.0.0.1", localPort)));
	}

}
