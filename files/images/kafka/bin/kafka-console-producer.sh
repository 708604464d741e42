#!/usr/bin/env bash
# kafka-console-producer.sh: runs kafka.tools.ConsoleProducer, as the distribution's script does.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.tools.ConsoleProducer "$@"
