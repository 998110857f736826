# Nexus host image. Build:  docker build -t nexus .
# Run with PostgreSQL:       docker compose up   (see docker-compose.yml and docs/operations.md, "Docker")
# Not built or run where this file was written (no Docker engine there); see docs/operations.md.

FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -Djapicmp.skip=true package

FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 --home-dir /data nexus && mkdir -p /data /app && chown nexus /data
WORKDIR /app
COPY --from=build /src/host/target/nexus-host.jar /app/nexus-host.jar
COPY --from=build /src/host/target/lib /app/lib
COPY --from=build /src/personalities /app/personalities
ENV NEXUS_SERVER_HOST=0.0.0.0 \
    NEXUS_PORT=8080 \
    NEXUS_DATA_DIR=/data \
    NEXUS_PERSONALITIES_DIR=/app/personalities \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xmx256m"
# The heap and collector ./nexus run uses (docs/operations.md, "Memory and start-up"); override with
# docker run -e JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xmx1g" for a large memory store. ./nexus run also
# passes -XX:TrimNativeHeapInterval=5000 (about 15 MB less RSS after a load, measured on JDK 25); it is
# left out here because this JDK 21 image was never run (no Docker engine where this was written) and
# JDK 21 accepts the option only from a later update on: add it to JAVA_TOOL_OPTIONS once checked.
# No start-up cache either: the AOT cache needs JDK 25, and ./nexus run records it per build.
USER nexus
VOLUME /data
EXPOSE 8080
# SIGTERM stops gracefully (turns in flight finish within server.shutdown-seconds, default 20 s):
# give the container longer than that to stop (docker stop -t 30, or stop_grace_period in compose).
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/app/nexus-host.jar"]
