#!/usr/bin/env bash
# kafka-configs.sh: runs kafka.admin.ConfigCommand, as the distribution's script does.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.admin.ConfigCommand "$@"
