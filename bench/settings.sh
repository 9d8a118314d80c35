# Sourced by every benchmark script that starts Meshgate: the settings they share.
# JVM_FLAGS: every Meshgate and Spring Cloud Gateway JVM's flags, BENCH_JVM_FLAGS to override.
# TrimNativeHeapInterval as in the container image (Dockerfile): the JVM hands the native memory it
# freed back to the OS every 5 s, so RSS shows what is in use rather than what glibc kept.
JVM_FLAGS="${BENCH_JVM_FLAGS:--Xmx256m -XX:+UseSerialGC -Xss512k -XX:TrimNativeHeapInterval=5000}"
# Without the demo a gateway starts only with a login. This one is for loopback benchmarks only:
# user "bench", password "bench-only-password" (bcrypt, cost 4), role editor.
BENCH_LOGIN=('--meshgate.admin.users[0].name=bench' '--meshgate.admin.users[0].roles[0]=editor'
  '--meshgate.admin.users[0].password={bcrypt}$2a$04$gVUWJHqmJEYawGt70wTLyOUA6yUEnM6GToeTQ8jSaaQaWJZ0mKJ3i')
# The header every load sends: the canary routes hash it (sticky), so their split is stable.
USER_HEADER="x-user: bench-user-42"
# Tracing is off in a Meshgate JVM unless its configuration turns it on: Spring Boot 4 has no switch
# for it but leaving out its auto-configurations (docs/observability.md).
NO_TRACING="--spring.autoconfigure.exclude=org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration,org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration"
# tracing_args CONFIG: sets TRACING to what a Meshgate JVM on CONFIG gets for tracing: nothing where
# CONFIG sets management.tracing (observed.yml, parts.yml, mirror-all.yml: 10 % sampled), else
# NO_TRACING.
tracing_args() {
  TRACING=("$NO_TRACING")
  if grep -q '^  tracing:' "$1"; then TRACING=(); fi
}
