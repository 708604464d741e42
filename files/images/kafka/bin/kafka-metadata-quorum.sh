#!/usr/bin/env bash
# kafka-metadata-quorum.sh: runs org.apache.kafka.tools.MetadataQuorumCommand, as the distribution's script does.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.MetadataQuorumCommand "$@"
