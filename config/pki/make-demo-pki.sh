#!/usr/bin/env bash
# Makes a demo PKI for mTLS between Meshgate and its upstreams, with openssl:
#   ca.crt / ca.key            a demo certificate authority
#   gateway.crt / gateway.key  Meshgate's client certificate (SPIFFE ID of the gateway)
#   orders.crt / orders.key    an upstream's server certificate (DNS name + SPIFFE ID)
# Usage: config/pki/make-demo-pki.sh [output-dir]   (default: config/pki/out)
# Demo only: real deployments get their certificates from cert-manager, SPIRE or their own CA.
set -euo pipefail
out="${1:-$(dirname "$0")/out}"
days="${DAYS:-30}"
mkdir -p "$out"
cd "$out"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

key ca.key
openssl req -x509 -new -key ca.key -sha256 -days "$days" -subj "/CN=Meshgate Demo CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt

issue() { # name subject subjectAltNames extendedKeyUsage
  key "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=%s\nsubjectAltName=%s\n' \
    "$4" "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days "$days" \
    -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

issue gateway "meshgate" "URI:spiffe://cluster.local/ns/meshgate/sa/gateway" "clientAuth"
issue orders "orders-mtls" "DNS:orders-mtls,URI:spiffe://cluster.local/ns/shop/sa/orders" "serverAuth"
rm -f ca.srl
chmod 600 ./*.key
echo "Demo PKI written to $out: ca.crt, gateway.crt/.key (client), orders.crt/.key (server)"
