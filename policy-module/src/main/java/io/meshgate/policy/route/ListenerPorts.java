package io.meshgate.policy.route;

import java.net.InetSocketAddress;
import java.util.Arrays;

import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;

/**
 * Which listener port each server of this gateway stands for: the servers are bound to local
 * ports (8080, or a free one in tests) that differ from the ports clients address (a Service's 80
 * in front of the container's 8080), and routes match on the latter ({@link ListenerMatch}). A
 * server whose bound port is not registered stands for that port itself. Registrations are rare
 * (at start) and copy two small arrays; a lookup reads them without a lock or an allocation.
 */
public final class ListenerPorts {

	/** Bound ports and the listener ports they stand for, index by index; replaced whole. */
	private volatile int[][] table = { new int[0], new int[0] };

	/** The listener port of the ingress server: where a synthetic request (the route tester's) is taken to arrive. */
	private volatile int ingress;

	/** The ingress server, bound to {@code boundPort}, stands for listener port {@code listenerPort}. */
	public void registerIngress(int boundPort, int listenerPort) {
		register(boundPort, listenerPort);
		ingress = listenerPort;
	}

	/** The server bound to {@code boundPort} stands for listener port {@code listenerPort} from now on. */
	public synchronized void register(int boundPort, int listenerPort) {
		int[][] current = table;
		int index = indexOf(current[0], boundPort);
		int[] bound = index < 0 ? Arrays.copyOf(current[0], current[0].length + 1) : current[0].clone();
		int[] listener = index < 0 ? Arrays.copyOf(current[1], current[1].length + 1) : current[1].clone();
		int at = index < 0 ? bound.length - 1 : index;
		bound[at] = boundPort;
		listener[at] = listenerPort;
		table = new int[][] { bound, listener };
	}

	/** The listener port of the server bound to {@code boundPort}. */
	public int listenerPort(int boundPort) {
		int[][] current = table;
		int index = indexOf(current[0], boundPort);
		return index < 0 ? boundPort : current[1][index];
	}

	/**
	 * The listener port a request arrived on, computed at the first call of a request and kept in
	 * {@link ExchangeAttributes#LISTENER_PORT}. A request without a local address is a synthetic
	 * one (the route tester's, never a client's): it is taken to arrive on the ingress server's
	 * listener port, as the request it stands for would; 0 (no listener) before the ingress server
	 * is registered.
	 */
	public int of(ServerWebExchange exchange) {
		if (exchange.getAttributes().get(ExchangeAttributes.LISTENER_PORT) instanceof Integer port) {
			return port;
		}
		InetSocketAddress local = exchange.getRequest().getLocalAddress();
		int port = local == null ? ingress : listenerPort(local.getPort());
		exchange.getAttributes().put(ExchangeAttributes.LISTENER_PORT, port);
		return port;
	}

	private static int indexOf(int[] ports, int port) {
		for (int i = 0; i < ports.length; i++) {
			if (ports[i] == port) {
				return i;
			}
		}
		return -1;
	}

}
