#!/usr/bin/env bash
# Corral vs bullmq 6.7.0 on the same Redis. Usage: bench/run.sh [--quick]
# REDIS_URL picks a Redis; otherwise a fresh local redis-server (or the embedded Redis 7.0.15) is started.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="$(bin/find-jdk.sh)"
(cd bench/node && npm install --no-audit --no-fund --loglevel=error)
./mvnw -B -q -DskipTests package -pl bench -am
exec "$JAVA_HOME/bin/java" -XX:+UseParallelGC -Xms1g -Xmx1g -jar bench/target/corral-bench.jar "$PWD" "$@"
