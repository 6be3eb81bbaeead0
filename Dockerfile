# syntax=docker/dockerfile:1
#
# Container image of spoe-policy-service.
#
#   docker build -t spoe-policy-service .                          # build the jar from source
#   docker build --build-arg JAR_STAGE=prebuilt -t spoe-policy-service .
#                                                                  # take target/*.jar (./mvnw package first)
#   docker build --build-arg CRS_VERSION=4.19.0 -t spoe-policy-service .
#                                                                  # also bake an OWASP CRS release into /opt/crs
#
# The runtime layout is Boot 4.1's extracted layered jar (CDS/AOT-cache friendly): dependencies,
# loader, snapshot dependencies and application classes are separate image layers, so a code
# change only ships the small last layer. PackagedLayoutIT runs the same extract command and starts
# the application from the extracted layout exactly as ENTRYPOINT below does.

# Which stage provides /workspace/application.jar: "build" (Maven wrapper) or "prebuilt".
ARG JAR_STAGE=build
# OWASP CRS release to bake in (e.g. 4.19.0); empty = no rules in the image (mount them instead).
ARG CRS_VERSION=
# Optional sha256 of the CRS release tarball; checked when set.
ARG CRS_SHA256=

FROM eclipse-temurin:17-jdk AS build
WORKDIR /workspace
# Dependencies first: this layer is reused as long as the pom does not change.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY application.yml ./
COPY src src
RUN ./mvnw -B -q -DskipTests package \
    && cp target/spoe-policy-service-*.jar application.jar

FROM scratch AS prebuilt
COPY target/spoe-policy-service-*.jar /workspace/application.jar

FROM ${JAR_STAGE} AS jar

FROM eclipse-temurin:17-jre AS extract
WORKDIR /builder
COPY --from=jar /workspace/application.jar application.jar
# Boot 4.1 removed "layertools"; "tools extract --layers" writes one directory per layer, each
# holding application.jar's share of the files.
RUN java -Djarmode=tools -jar application.jar extract --layers --destination extracted

FROM alpine:3.22 AS crs
ARG CRS_VERSION
ARG CRS_SHA256
WORKDIR /opt/crs
RUN if [ -n "$CRS_VERSION" ]; then \
        apk add --no-cache curl \
        && curl -fsSL -o /tmp/crs.tar.gz \
           "https://github.com/coreruleset/coreruleset/archive/refs/tags/v${CRS_VERSION}.tar.gz" \
        && if [ -n "$CRS_SHA256" ]; then echo "$CRS_SHA256  /tmp/crs.tar.gz" | sha256sum -c -; fi \
        && tar -xzf /tmp/crs.tar.gz --strip-components=1 -C /opt/crs \
        && rm -rf /tmp/crs.tar.gz /opt/crs/tests /opt/crs/.github; \
    fi

FROM eclipse-temurin:17-jre
# A fixed numeric non-root user: Kubernetes' runAsNonRoot can only verify numeric users.
RUN groupadd --system --gid 10001 spoe \
    && useradd --system --uid 10001 --gid spoe --no-create-home --home-dir /application spoe
WORKDIR /application
# One layer per Boot layer, least frequently changed first.
COPY --from=extract --chown=0:0 /builder/extracted/dependencies/ ./
COPY --from=extract --chown=0:0 /builder/extracted/spring-boot-loader/ ./
COPY --from=extract --chown=0:0 /builder/extracted/snapshot-dependencies/ ./
COPY --from=extract --chown=0:0 /builder/extracted/application/ ./
COPY --from=crs --chown=0:0 /opt/crs /opt/crs
# Files are owned by root and read-only for the service user, which suits a read-only root
# filesystem; the only writable place the JVM needs is /tmp (an emptyDir in the Helm chart).
# Boot reads ./config/application.yml (the chart's ConfigMap) over the embedded defaults.
USER 10001:10001
# 12345 SPOP (HAProxy's agents backend), 8080 HTTP, 8081 management (probes, Prometheus).
EXPOSE 12345 8080 8081
# Heap at 50% of the container limit and Netty's direct buffers capped separately (by default they
# may grow as large as the heap); with a 1Gi limit that leaves ~320Mi for metaspace, code cache
# and thread stacks. HelmChartTest checks the chart's limit against these flags.
# Exit on OOM so the kubelet restarts the pod instead of leaving it half-alive.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:MaxDirectMemorySize=192m -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "application.jar"]
