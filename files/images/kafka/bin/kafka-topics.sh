#!/usr/bin/env bash
# kafka-topics.sh: runs org.apache.kafka.tools.TopicCommand, as the distribution's script does.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.TopicCommand "$@"
