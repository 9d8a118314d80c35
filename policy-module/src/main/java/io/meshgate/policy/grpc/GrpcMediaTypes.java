package io.meshgate.policy.grpc;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.MediaType;

/** The content types of gRPC answers, which the response writer flushes message by message. */
public final class GrpcMediaTypes {

	private static final List<MediaType> GRPC = List.of(MediaType.parseMediaType("application/grpc"),
			MediaType.parseMediaType("application/grpc+proto"));

	private GrpcMediaTypes() {
	}

	/** {@code streaming} and the gRPC types: each message of a server stream reaches the client as it comes. */
	public static List<MediaType> streamed(List<MediaType> streaming) {
		List<MediaType> all = new ArrayList<>(streaming);
		for (MediaType type : GRPC) {
			if (!all.contains(type)) {
				all.add(type);
			}
		}
		return List.copyOf(all);
	}

}
