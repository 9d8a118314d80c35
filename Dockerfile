# syntax=docker/dockerfile:1
#
# Meshgate container image.
#   docker build -t meshgate:0.1.0 .
#   docker run --rm -p 8080:8080 -p 8081:8081 meshgate:0.1.0      # built-in demo: curl localhost:8080/demo/
# (the demo prints a generated admin password once; nothing else does)
# Own configuration: mount it and point Spring Boot at it; it needs meshgate.admin.users (bcrypt
# hashes, docs/admin.md) or the start fails, e.g.
#   docker run --rm -p 8080:8080 -v "$PWD/config/application.yml:/config/application.yml:ro" \
#     -e SPRING_CONFIG_ADDITIONAL_LOCATION=/config/ meshgate:0.1.0
# Ports: 8080 routed traffic, 8081 admin (actuator, /actuator/health/liveness|readiness).

# ---- build: the whole reactor, tests skipped (CI runs them) ----
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 (the Maven the wrapper downloads, and the dependencies) between
# builds; it needs BuildKit, the default builder since Docker 23.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests package

# ---- runtime: JRE only, non-root ----
# Java 25 here while the build stays on Java 17 (the project's floor, and the Java README's
# `java -jar` start runs on): the jar is Java 17 bytecode and runs unchanged on 25, whose AOT cache
# (JEP 483) starts the gateway faster than Java 17's class-data sharing can.
FROM eclipse-temurin:25-jre
# Numeric UID/GID so that Kubernetes' runAsNonRoot can verify the user (deployment.yaml uses
# the same 10001).
RUN groupadd --gid 10001 meshgate \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin meshgate
WORKDIR /app
# ./data is the file route store (meshgate.store.path): the only directory the gateway writes
RUN mkdir -p /app/data && chown 10001:10001 /app/data
VOLUME /app/data
# Start-up, as Spring Boot documents it for Java 25 (the extracted layout plus an AOT cache written
# at the exit of a training run, -XX:AOTCacheOutput, JEP 514), with a training run that serves
# requests through the built-in demo and the admin port before it stops (config/training-run.sh):
# the cache then holds the classes of the request path, loaded and linked, and the profiles of
# the methods that ran (JEP 515), so that the JIT compiles them sooner. First 200 on one CPU: about
# 11 s with `java -jar` on Java 17, 4.7-5.7 s with Java 17's CDS archive from the same training,
# and 0.6-0.8 of that with this cache in the same rounds (bench/startup.sh, which starts the
# image's layout the way this file does; docs/benchmarks.md). The training runs with the
# ENTRYPOINT's options; the cache belongs to this JRE and these jars.
# -Xmx1g for the training only: the cache records whether object pointers are compressed, and a
# build machine with more than 128 GB of memory would otherwise train with a heap too large for
# that and leave every start without the cache (the heap size itself may differ).
COPY --from=build /src/gateway-app/target/meshgate.jar /tmp/meshgate.jar
COPY config/training-run.sh /tmp/training-run.sh
RUN java -Djarmode=tools -jar /tmp/meshgate.jar extract --destination /app/lib-layout \
    && /tmp/training-run.sh /app/lib-layout /app/lib-layout/meshgate.aot -Xmx1g \
       -XX:TrimNativeHeapInterval=5000 --enable-native-access=ALL-UNNAMED \
    && rm /tmp/meshgate.jar /tmp/training-run.sh
USER 10001:10001
EXPOSE 8080 8081
# Exec form: java is PID 1 and receives SIGTERM directly, which starts the graceful shutdown.
# TrimNativeHeapInterval: every 5 s, hand the native memory the JVM has freed (mostly the JIT
# compiler's) back to the OS; glibc keeps it otherwise. 16-56 MiB less RSS under load, ~1 ms per trim.
# --enable-native-access: Netty loads its native transport (epoll) through System.loadLibrary,
# which Java 25 allows with a warning on every start unless the class path is allowed native access.
# bench/startup.sh starts the image's java options from this line.
ENTRYPOINT ["java", "-XX:AOTCache=/app/lib-layout/meshgate.aot", "-XX:TrimNativeHeapInterval=5000", \
            "--enable-native-access=ALL-UNNAMED", "-jar", "/app/lib-layout/meshgate.jar"]
