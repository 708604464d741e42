#!/bin/sh
# Healthy when the broker answers an API-versions request on its own internal listener, authenticated as the
# admin user (client settings written at start by pocket-pos-kafka-start). A small heap for this short JVM.
export KAFKA_HEAP_OPTS="-Xmx64m"
exec kafka-broker-api-versions.sh --bootstrap-server 127.0.0.1:9092 \
  --command-config /tmp/pocket-pos/admin-client.properties >/dev/null
