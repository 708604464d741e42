#!/bin/sh
# Starts the Pocket POS Kafka broker, in the official apache/kafka image (Alpine, busybox sh) or the air-gapped one
# (Debian). It runs as the image's appuser on a read-only root; everything it writes goes to the /tmp tmpfs.
#  1. server.properties: the role's file, plus the inter-broker JAAS line with the admin password from
#     /run/secrets (the password never reaches the role's files or the container's environment).
#  2. admin-client.properties: the admin's client settings, mode 0600, for Kafka's tools run in the container
#     (--command-config /tmp/pocket-pos/admin-client.properties).
#  3. SCRAM users: KRaft formats the storage once (--ignore-formatted) with the users; ZooKeeper mode writes
#     the users' credentials to ZooKeeper at every start, so a changed password applies on a restart.
#  4. The broker, with the heap and JMX settings meant for it alone (the tools above and those an operator runs in
#     the container start their own JVMs, which must not take the broker's heap or bind its JMX port).
set -eu
umask 077
run=/tmp/pocket-pos
mkdir -p "$run"
admin_password=$(cat /run/secrets/kafka_admin_password)
api_password=$(cat /run/secrets/kafka_api_password)
jaas="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$KAFKA_ADMIN_USER\" password=\"$admin_password\";"

{
  cat "$POCKET_POS_KAFKA_CONF/server.properties"
  printf 'listener.name.internal.scram-sha-512.sasl.jaas.config=%s\n' "$jaas"
} >"$run/server.properties"

printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=%s\n' "$jaas" \
  >"$run/admin-client.properties"

case "$POCKET_POS_KAFKA_MODE" in
  kraft)
    kafka-storage.sh format --ignore-formatted --cluster-id "$POCKET_POS_KAFKA_CLUSTER_ID" --config "$run/server.properties" \
      --add-scram "SCRAM-SHA-512=[name=$KAFKA_ADMIN_USER,password=$admin_password]" \
      --add-scram "SCRAM-SHA-512=[name=$KAFKA_API_USER,password=$api_password]"
    ;;
  zookeeper)
    for user in "$KAFKA_ADMIN_USER:$admin_password" "$KAFKA_API_USER:$api_password"; do
      kafka-configs.sh --zookeeper "$POCKET_POS_ZOOKEEPER_CONNECT" --alter --entity-type users \
        --entity-name "${user%%:*}" --add-config "SCRAM-SHA-512=[password=${user#*:}]" >/dev/null
    done
    ;;
  *)
    echo "pocket-pos-kafka-start: POCKET_POS_KAFKA_MODE must be kraft or zookeeper, got '$POCKET_POS_KAFKA_MODE'" >&2
    exit 2
    ;;
esac

export KAFKA_HEAP_OPTS="$POCKET_POS_KAFKA_HEAP_OPTS"
if [ -n "${POCKET_POS_KAFKA_JMX_OPTS:-}" ]; then
  export KAFKA_JMX_OPTS="$POCKET_POS_KAFKA_JMX_OPTS"
fi
exec kafka-server-start.sh "$run/server.properties"
