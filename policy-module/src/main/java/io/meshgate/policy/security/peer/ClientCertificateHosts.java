package io.meshgate.policy.security.peer;

/**
 * Which client-certificate requirement a listener applies to a host name, for the
 * misdirected-request check: a TLS connection is made for one SNI name and verified (or not) by
 * that name's requirement, but HTTP/2 clients reuse it for any host its certificate covers
 * (connection coalescing, RFC 9113 section 9.1.1). A request whose host has another requirement
 * than the connection's SNI name is answered 421 (RFC 9110 section 15.5.20), so that the client
 * opens a connection of its own for it, and the host's requirement is checked in that handshake.
 * Without the check a client could reach a host that requires a certificate over a connection
 * opened, without one, for a host that does not (Gateway API GEP-91 and GEP-3567).
 */
public interface ClientCertificateHosts {

	/**
	 * @param localPort the port the connection was accepted on
	 * @param serverName the connection's SNI name (lower case); null when the client sent none
	 * @param host the request's host, lower case, without port
	 * @return whether the host's client-certificate requirement differs from the connection's
	 */
	boolean misdirected(int localPort, String serverName, String host);

}
