#!/usr/bin/env bash
# Healthy when the broker serves requests on its internal listener: a Kafka ApiVersions request (v0, which a SASL
# listener answers before authentication) gets its answer with error code 0. The broker enables request processing
# only once its startup is complete, so an answer means it is up, without a JVM every interval (the stack_health
# probe authenticates and checks the cluster). Request: size 16, api key 18, version 0, correlation id 1, client
# id "health"; the answer starts with its size, correlation id 1 and error code 0.
exec 3<>/dev/tcp/127.0.0.1/9092 || exit 1
printf '\x00\x00\x00\x10\x00\x12\x00\x00\x00\x00\x00\x01\x00\x06health' >&3
answer=$(timeout 5 head -c 10 <&3 | od -An -tx1 | tr -d ' \n')
[ "${answer:8:12}" = 000000010000 ]
