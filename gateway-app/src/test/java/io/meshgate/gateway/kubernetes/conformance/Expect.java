package io.meshgate.gateway.kubernetes.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One case of an upstream test's traffic, field for field the suite's {@code http.ExpectedResponse}
 * ({@code conformance/utils/http/http.go}): the request, what the backend must have seen
 * ({@code ExpectedRequest}, by default the request itself), the response (status codes, by
 * default 200; headers present and absent), the redirect, and the backend (a pod name prefix)
 * and namespace that must have answered. Built as the Go struct literals read:
 * {@code Expect.get("/v2").backend("infra-backend-v2").namespace(ns)}.
 */
final class Expect {

	String host = "";

	String method = "GET";

	String path;

	final Map<String, String> headers = new LinkedHashMap<>();

	/** {@code ExpectedRequest}; null: the request as sent. */
	String expectedHost;

	String expectedPath;

	String expectedMethod;

	Map<String, String> expectedHeaders;

	final List<String> absentRequestHeaders = new ArrayList<>();

	final Map<String, String> backendSetResponseHeaders = new LinkedHashMap<>();

	final List<Integer> statusCodes = new ArrayList<>();

	final Map<String, String> responseHeaders = new LinkedHashMap<>();

	final List<String> absentResponseHeaders = new ArrayList<>();

	/** {@code RedirectRequest}: scheme, host, port, path; empty strings take the suite's defaults. */
	String[] redirect;

	String backend = "";

	String namespace = "";

	/** HTTPS through the HTTPS listener, with this SNI name (the request's host when empty). */
	boolean https;

	/** The Gateway listener port the request is sent to, as {@code gwAddr}'s port; 0: 80, or 443 with HTTPS. */
	int port;

	/** {@code Request.SNI}: sent over HTTPS (else the host is), and what the backend must see unless {@link #expectedSni}. */
	String sni;

	/** {@code ExpectedRequest.SNI}: the server name the (TLS) backend must have been sent. */
	String expectedSni;

	private Expect(String path) {
		this.path = path;
	}

	static Expect get(String path) {
		return new Expect(path);
	}

	Expect host(String value) {
		host = value;
		return this;
	}

	Expect method(String value) {
		method = value;
		return this;
	}

	Expect header(String name, String value) {
		headers.put(name, value);
		return this;
	}

	Expect backend(String value) {
		backend = value;
		return this;
	}

	Expect namespace(String value) {
		namespace = value;
		return this;
	}

	Expect status(int... codes) {
		for (int code : codes) {
			statusCodes.add(code);
		}
		return this;
	}

	Expect expectedHost(String value) {
		expectedHost = value;
		return this;
	}

	Expect expectedPath(String value) {
		expectedPath = value;
		return this;
	}

	Expect expectedMethod(String value) {
		expectedMethod = value;
		return this;
	}

	/** A header the backend must have seen (with the ExpectedRequest's other fields as sent unless set). */
	Expect expectedHeader(String name, String value) {
		if (expectedHeaders == null) {
			expectedHeaders = new LinkedHashMap<>();
		}
		expectedHeaders.put(name, value);
		return this;
	}

	Expect absentRequestHeader(String... names) {
		absentRequestHeaders.addAll(List.of(names));
		return this;
	}

	Expect backendSetsHeader(String name, String value) {
		backendSetResponseHeaders.put(name, value);
		return this;
	}

	Expect responseHeader(String name, String value) {
		responseHeaders.put(name, value);
		return this;
	}

	Expect absentResponseHeader(String... names) {
		absentResponseHeaders.addAll(List.of(names));
		return this;
	}

	Expect redirect(String scheme, String host, String port, String path) {
		redirect = new String[] { scheme, host, port, path };
		return this;
	}

	Expect sni(String value) {
		sni = value;
		return this;
	}

	Expect expectedSni(String value) {
		expectedSni = value;
		return this;
	}

	Expect https() {
		https = true;
		return this;
	}

	/** To the listener port {@code value} of the Gateway's address, as the suite's {@code gwAddr} of that listener. */
	Expect port(int value) {
		port = value;
		return this;
	}

	int listenerPort() {
		return port != 0 ? port : https ? 443 : 80;
	}

	List<Integer> codes() {
		return statusCodes.isEmpty() ? List.of(200) : statusCodes;
	}

	@Override
	public String toString() {
		return method + " " + (host.isEmpty() ? "" : host) + path + (headers.isEmpty() ? "" : " " + headers);
	}

}
