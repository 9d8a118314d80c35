#!/bin/sh
# The TLS backend of the TLS passthrough example (docs/l4.md "Try TLS passthrough"), with openssl:
# makes two self-signed certificates, then runs `openssl s_server` in the foreground (Ctrl-C ends it).
#   backend.crt / backend.key   the backend's own: CN and DNS name backend.example.test
#   gateway.crt / gateway.key   the gateway's, for the names it terminates itself: localhost, 127.0.0.1
# Certificates already there are kept. The backend listens on 127.0.0.1 and answers each HTTP
# request with an HTML page about the TLS session it terminated (s_server -www).
# Usage, from the repository's root: config/tls-passthrough/start-backend.sh
#   PASSTHROUGH_EXAMPLE_DIR           where the certificates go (default: data/tls-passthrough)
#   PASSTHROUGH_EXAMPLE_BACKEND_PORT  the backend's port (default: 9443; 0: a free one, printed)
# config/tls-passthrough/gateway.yml reads the same two variables. Example only: the keys are
# unencrypted and the certificates self-signed.
set -eu
dir="${PASSTHROUGH_EXAMPLE_DIR:-data/tls-passthrough}"
port="${PASSTHROUGH_EXAMPLE_BACKEND_PORT:-9443}"
mkdir -p "$dir"

certificate() { # name common-name subjectAltName
  if [ ! -s "$dir/$1.crt" ] || [ ! -s "$dir/$1.key" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 30 \
      -subj "/CN=$2" -addext "subjectAltName=$3" -keyout "$dir/$1.key" -out "$dir/$1.crt" 2>/dev/null
    chmod 600 "$dir/$1.key"
  fi
}

certificate backend backend.example.test DNS:backend.example.test
certificate gateway localhost DNS:localhost,IP:127.0.0.1
echo "Certificates in $dir; the backend (CN=backend.example.test) on 127.0.0.1:$port"
exec openssl s_server -accept "127.0.0.1:$port" -cert "$dir/backend.crt" -key "$dir/backend.key" -www
