#!/usr/bin/env bash
# kafka-storage.sh: runs kafka.tools.StorageTool, as the distribution's script does.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.tools.StorageTool "$@"
