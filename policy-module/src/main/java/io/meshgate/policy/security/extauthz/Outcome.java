package io.meshgate.policy.security.extauthz;

/** What a check came to: the auth service's answer, or a {@link Failure} to get one. */
sealed interface Outcome permits AuthServiceClient.Answer, Failure {

}
