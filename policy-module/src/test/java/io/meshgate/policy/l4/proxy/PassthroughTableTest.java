package io.meshgate.policy.l4.proxy;

import io.meshgate.policy.l4.L4Backend;
import io.meshgate.policy.l4.L4ConnectionPolicy;
import io.meshgate.policy.l4.TlsPassthroughRoute;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which passthrough route an SNI name picks: exact names first, then the most specific wildcard. */
class PassthroughTableTest {

	private static L4Route route(String name) {
		return new L4Route(name, List.of(L4Backend.of("pg", 1)), L4ConnectionPolicy.DEFAULT, null,
				new SimpleMeterRegistry(), new AtomicInteger());
	}

	@Test
	void exactNamesWinOverWildcardsAndLongerWildcardsOverShorter() {
		L4Route exact = route("exact");
		L4Route below = route("below");
		L4Route deeper = route("deeper");
		Map<TlsPassthroughRoute, L4Route> routes = new LinkedHashMap<>();
		routes.put(TlsPassthroughRoute.of("below", List.of("*.example.com"), L4Backend.of("pg", 1)), below);
		routes.put(TlsPassthroughRoute.of("deeper", List.of("**.db.example.com"), L4Backend.of("pg", 1)), deeper);
		routes.put(TlsPassthroughRoute.of("exact", List.of("a.db.example.com"), L4Backend.of("pg", 1)), exact);
		PassthroughTable table = PassthroughTable.of(routes);
		assertThat(table.lookup("a.db.example.com")).isSameAs(exact);
		assertThat(table.lookup("A.DB.example.com.")).isSameAs(exact);
		assertThat(table.lookup("b.db.example.com")).isSameAs(deeper);
		assertThat(table.lookup("db.example.com")).isSameAs(deeper);
		assertThat(table.lookup("shop.example.com")).isSameAs(below);
		assertThat(table.lookup("example.com")).isNull();
		assertThat(table.lookup(null)).isNull();
		assertThat(PassthroughTable.EMPTY.lookup("a.db.example.com")).isNull();
	}

}
