#!/usr/bin/env bash
# kafka-broker-api-versions.sh: runs kafka.admin.BrokerApiVersionsCommand, as the distribution's script does.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.admin.BrokerApiVersionsCommand "$@"
