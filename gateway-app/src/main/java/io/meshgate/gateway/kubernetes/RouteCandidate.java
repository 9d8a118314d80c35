package io.meshgate.gateway.kubernetes;

import io.meshgate.policy.route.Route;

/** A route translated from a Kubernetes object, with the object it comes from and its place in the order. */
public record RouteCandidate(ObjectKey owner, Route route, Precedence precedence) {

}
