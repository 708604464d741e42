#!/usr/bin/env bash
# zookeeper-server-start.sh <zookeeper.properties>
set -euo pipefail
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512M -Xms512M}"
export KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:$(dirname "$0")/../config/log4j.properties}"
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.zookeeper.server.quorum.QuorumPeerMain "$@"
