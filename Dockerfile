# One image for the broker, the device simulator and the load test. Build the jars first (no network
# is needed inside the image build):
#   mvn -B -ntp -DskipTests package
#   docker build -t wakeline:0.1.0-SNAPSHOT .
# The broker is the entrypoint; the simulator and the load test run with
#   java -cp '/opt/wakeline/simulator/*:/opt/wakeline/simulator/lib/*' io.wakeline.simulator.SimulatorMain ...
#   java -cp '/opt/wakeline/load-test/*:/opt/wakeline/load-test/lib/*' io.wakeline.loadtest.LoadTestMain raw|control ...
# (k8s/simulator, k8s/load-test). See docs/operations.md "Kubernetes".
FROM eclipse-temurin:17.0.15_6-jre-jammy

RUN groupadd --system --gid 10001 wakeline \
 && useradd --system --uid 10001 --gid wakeline --home-dir /var/lib/wakeline --create-home wakeline

# broker-node/target/dist: bin/wakeline-broker + lib/*.jar, every jar unmodified (Akka reads their manifests)
COPY broker-node/target/dist /opt/wakeline
COPY device-simulator/target/wakeline-device-simulator-*.jar /opt/wakeline/simulator/
COPY device-simulator/target/lib /opt/wakeline/simulator/lib
COPY load-test/target/wakeline-load-test-*.jar /opt/wakeline/load-test/
COPY load-test/target/lib /opt/wakeline/load-test/lib

USER 10001
WORKDIR /var/lib/wakeline
ENV WAKELINE_DATA_DIR=/var/lib/wakeline
# management (/ready, /alive, /metrics), HTTPS for app servers, device links, Akka remoting
EXPOSE 8558 8443 8700 25520
# the launcher execs java, so the JVM is PID 1 and SIGTERM starts its coordinated shutdown
ENTRYPOINT ["/opt/wakeline/bin/wakeline-broker"]
