package io.meshgate.policy.edge;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;

import org.springframework.http.HttpHeaders;
import org.springframework.util.StringUtils;

/**
 * What a client may not send on: headers named {@code x-meshgate-*} (Meshgate's own markers, such
 * as a mirror copy's {@code x-meshgate-shadow}, any case), and the headers its {@code Connection}
 * header names. Those are hop-by-hop for the client's connection only, so they go before any
 * route filter runs; the {@code Connection} header keeps only {@code close}, {@code keep-alive}
 * and {@code upgrade}, so that nothing later (the upstream call's hop-by-hop removal) can read a
 * client's list and remove what a route added.
 *
 * <p>A request as received is checked on Reactor Netty's own headers, one pass over the names
 * without a copy; only a request that needs a change gets a changed copy of its headers.
 */
final class ClientHeaders {

	static final String INTERNAL_PREFIX = "x-meshgate-";

	private ClientHeaders() {
	}

	/** Whether a request with these headers (Reactor Netty's, as received) needs {@link #sanitize}. */
	static boolean needsSanitizing(io.netty.handler.codec.http.HttpHeaders received) {
		Iterator<Map.Entry<CharSequence, CharSequence>> headers = received.iteratorCharSequence();
		while (headers.hasNext()) {
			Map.Entry<CharSequence, CharSequence> header = headers.next();
			CharSequence name = header.getKey();
			if (internal(name) || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)
					&& namesOthers(header.getValue().toString())) {
				return true;
			}
		}
		return false;
	}

	/** {@link #needsSanitizing(io.netty.handler.codec.http.HttpHeaders)} for other servers' headers. */
	static boolean needsSanitizing(HttpHeaders headers) {
		for (String name : headers.headerNames()) {
			if (internal(name)) {
				return true;
			}
		}
		List<String> connection = headers.get(HttpHeaders.CONNECTION);
		return connection != null && connection.stream().anyMatch(ClientHeaders::namesOthers);
	}

	/** Removes the internal headers and those {@code Connection} names; {@code headers} is a writable copy. */
	static void sanitize(HttpHeaders headers) {
		List<String> connection = headers.get(HttpHeaders.CONNECTION);
		if (connection != null) {
			List<String> kept = new ArrayList<>(2);
			for (String value : connection) {
				for (String option : StringUtils.tokenizeToStringArray(value, ",")) {
					if (connectionOwn(option)) {
						kept.add(option);
					}
					else {
						headers.remove(option);
					}
				}
			}
			headers.remove(HttpHeaders.CONNECTION);
			if (!kept.isEmpty()) {
				headers.set(HttpHeaders.CONNECTION, String.join(", ", kept));
			}
		}
		List<String> internal = new ArrayList<>(1);
		for (String name : headers.headerNames()) {
			if (internal(name)) {
				internal.add(name);
			}
		}
		internal.forEach(headers::remove);
	}

	static boolean internal(CharSequence name) {
		return AsciiString.regionMatches(name, true, 0, INTERNAL_PREFIX, 0, INTERNAL_PREFIX.length());
	}

	/** Whether a {@code Connection} value lists anything but the connection's own options; no copies made. */
	private static boolean namesOthers(String value) {
		int start = 0;
		while (start <= value.length()) {
			int comma = value.indexOf(',', start);
			int end = comma < 0 ? value.length() : comma;
			while (start < end && value.charAt(start) <= ' ') {
				start++;
			}
			int last = end;
			while (last > start && value.charAt(last - 1) <= ' ') {
				last--;
			}
			if (last > start && !connectionOwn(value, start, last - start)) {
				return true;
			}
			start = end + 1;
		}
		return false;
	}

	/** Options about the connection itself, not names of headers to drop at this hop. */
	private static boolean connectionOwn(String option) {
		return connectionOwn(option, 0, option.length());
	}

	private static boolean connectionOwn(String text, int start, int length) {
		return is(text, start, length, "close") || is(text, start, length, "keep-alive")
				|| is(text, start, length, "upgrade");
	}

	private static boolean is(String text, int start, int length, String option) {
		return length == option.length() && text.regionMatches(true, start, option, 0, length);
	}

}
