package io.meshgate.policy.route;

/** How a gRPC match reads its service and method (Gateway API's {@code GRPCMethodMatch.type}). */
public enum GrpcMatchType {

	/** The names as they are, case-sensitive. */
	EXACT,

	/** Regular expressions (RE2 syntax, {@link LinearRegex}) the names must match wholly. */
	REGEX

}
