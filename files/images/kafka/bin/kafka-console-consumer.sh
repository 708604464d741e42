#!/usr/bin/env bash
# kafka-console-consumer.sh: runs org.apache.kafka.tools.consumer.ConsoleConsumer, as the distribution's script does.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.consumer.ConsoleConsumer "$@"
