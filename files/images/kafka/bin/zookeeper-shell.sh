#!/usr/bin/env bash
# zookeeper-shell.sh <host:port> [command...]: the ZooKeeper shell, as the distribution's script runs it.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.zookeeper.ZooKeeperMainWithTlsSupportForKafka -server "$@"
