# The build stages' base, made for local builds only and never pushed: Debian's JDK 17 and Maven, plus the build
# machine's extra CA certificates (extra-ca/, filled by build-and-test.sh from /usr/local/share/ca-certificates).
# Why: where TLS passes through an intercepting proxy, Maven Central answers "self-signed certificate in
# certificate chain" until the proxy's CA is trusted, by the system store and by Java's (Maven runs in Java).
# Only build stages start FROM this image; the images users run start from the plain base (docker/Dockerfile),
# and build-and-test.sh checks that they do not carry these certificates.
ARG BASE=d2l-debian:bookworm
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jdk-headless maven ca-certificates ca-certificates-java \
 && rm -rf /var/lib/apt/lists/*
COPY extra-ca/ /usr/local/share/ca-certificates/d2l-build-extra/
# ca-certificates-java's hook (/etc/ca-certificates/update.d/jks-keystore) adds them to Java's cacerts too
RUN update-ca-certificates
