#!/usr/bin/env python3
"""The identity-and-access contenders' keys, token and configurations (bench/run.sh).

    bench/identity.py WORK_DIR

Writes, under WORK_DIR (bench/target/work):
  identity/key.pem, identity/jwks.json   an RSA 2048 key (openssl) and its public JWK Set
  identity/token                         an RS256 JWT signed with it (openssl), valid for 2 days
  config/identity.yml                    the mg-identity JVM: the no-policy route /idplain/** and
                                         /jwt/** (JWT required), /authz/** (100 authorization rules),
                                         /cors/** (a CORS policy; its contender sends preflights)
  config/uncached.yml                    the mg-uncached JVM: /uncached-plain/** and /uncached/**
                                         (JWT required) with meshgate.jwt.verified-token-cache-size: 0
The JWK Set is inline in the configurations: no JWKS server, nothing outside the machine.
"""
import base64
import json
import os
import subprocess
import sys
import time

ISSUER = "https://bench.meshgate.test"
KID = "bench-rs256"
# The authz contender's requests carry this header; only the very last rule matches it.
ENV_HEADER = "x-env"
ENV_VALUE = "prod"
CORS_ORIGIN = "https://app.example.com"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def openssl(*args, data=None):
    return subprocess.run(("openssl",) + args, input=data, capture_output=True, check=True).stdout


def key_and_jwks(directory):
    key = os.path.join(directory, "key.pem")
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key)
    modulus = openssl("rsa", "-in", key, "-noout", "-modulus").decode().strip().split("=", 1)[1]
    n = bytes.fromhex(modulus)
    jwks = {"keys": [{"kty": "RSA", "kid": KID, "use": "sig", "alg": "RS256", "n": b64url(n),
                      "e": b64url((65537).to_bytes(3, "big"))}]}
    return key, json.dumps(jwks, separators=(",", ":"))


def token(key):
    now = int(time.time())
    header = {"alg": "RS256", "typ": "JWT", "kid": KID}
    claims = {"iss": ISSUER, "sub": "bench-user", "aud": "bench", "iat": now, "exp": now + 2 * 86400,
              "tier": "gold"}
    signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64url(json.dumps(claims, separators=(",", ":")).encode()))
    signature = openssl("dgst", "-sha256", "-sign", key, data=signing_input.encode())
    return signing_input + "." + b64url(signature)


def provider(jwks):
    # single quotes: YAML keeps the JSON as it is (it has no single quote)
    return ("  jwt-providers:\n"
            "    - name: bench\n"
            "      issuer: %s\n"
            "      audiences: [bench]\n"
            "      jwks: '%s'\n" % (ISSUER, jwks))


def authorization_policies():
    """100 rules that each run all their checks: five DENY policies of ten rules that do not match,
    then five ALLOW policies of ten of which only the last rule matches. Every rule checks the
    client address, the method, a path prefix and a header, and fails only at the header."""
    lines = ["  authorization-policies:"]
    for p in range(10):
        lines += ["    - name: bench-%d" % p,
                  "      action: %s" % ("DENY" if p < 5 else "ALLOW"),
                  "      targets: {routes: [authz]}",
                  "      rules:"]
        for r in range(10):
            value = ENV_VALUE if (p, r) == (9, 9) else "env-%d-%d" % (p, r)
            lines += ["        - from: {ipBlocks: [127.0.0.0/8, 10.0.0.0/8]}",
                      "          to: {methods: [GET, POST], paths: [\"/authz/*\"]}",
                      "          when: [{key: \"request.headers[%s]\", values: [\"%s\"]}]" % (ENV_HEADER, value)]
    return "\n".join(lines) + "\n"


def route(route_id, extra=""):
    return ("    - id: %s\n"
            "      match: {path: /%s/**}\n"
            "      backends: [{upstream: up-id}]\n%s" % (route_id, route_id, extra))


JWT = "      authentication: {jwt: {providers: [bench]}}\n"
CORS = ("      cors: {allowOrigins: [\"%s\"], allowMethods: [GET, POST], allowHeaders: [authorization, content-type],"
        " maxAge: 600}\n" % CORS_ORIGIN)
UPSTREAM = "  upstreams:\n    - name: up-id\n      endpoints: [http://127.0.0.1:18080]\n"
HEAD = "# Written by bench/identity.py for bench/run.sh; do not edit.\n"


def main():
    work = sys.argv[1]
    directory = os.path.join(work, "identity")
    os.makedirs(directory, exist_ok=True)
    os.makedirs(os.path.join(work, "config"), exist_ok=True)
    key, jwks = key_and_jwks(directory)
    with open(os.path.join(directory, "jwks.json"), "w") as f:
        f.write(jwks + "\n")
    with open(os.path.join(directory, "token"), "w") as f:
        f.write(token(key) + "\n")
    with open(os.path.join(work, "config", "identity.yml"), "w") as f:
        f.write(HEAD + "meshgate:\n" + UPSTREAM + provider(jwks) + authorization_policies() + "  routes:\n"
                + route("idplain") + route("jwt", JWT) + route("authz") + route("cors", CORS))
    with open(os.path.join(work, "config", "uncached.yml"), "w") as f:
        f.write(HEAD + "meshgate:\n  jwt:\n    verified-token-cache-size: 0\n" + UPSTREAM + provider(jwks)
                + "  routes:\n" + route("uncached-plain") + route("uncached", JWT))


if __name__ == "__main__":
    main()
