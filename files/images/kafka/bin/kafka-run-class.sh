#!/usr/bin/env bash
# kafka-run-class.sh <main class> [arguments...]: the distribution's launcher, reduced to what the image needs.
# Honours KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_OPTS, KAFKA_JMX_OPTS (+ JMX_PORT), KAFKA_LOG4J_OPTS.
set -euo pipefail
base="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
heap="${KAFKA_HEAP_OPTS:--Xmx256M}"
perf="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}"
log4j="${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:$base/config/tools-log4j.properties}"
jmx="${KAFKA_JMX_OPTS:-}"
if [ -n "${JMX_PORT:-}" ]; then
  jmx="${jmx:--Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false} -Dcom.sun.management.jmxremote.port=$JMX_PORT -Dcom.sun.management.jmxremote.rmi.port=$JMX_PORT"
fi
# shellcheck disable=SC2086  # the *_OPTS variables are lists of JVM options
exec java $heap $perf $jmx $log4j ${KAFKA_OPTS:-} -cp "$base/libs/*" "$@"
