#!/usr/bin/env bash
# Corral vs bullmq 6.7.0 on the same Redis. Usage: bench/run.sh [--quick | --scale=N] [--only=add,process,...] [--dag]
# bench/run.sh --workers [--count=N] [--seconds=S] [--interval-ms=MS]: worker registry heartbeat cost (no Node needed)
# bench/run.sh --http [--seconds=S] [--warmup=S] [--concurrency=1,16,64]: API server requests/s, p50/p99 (no Node)
# REDIS_URL picks a Redis; otherwise a fresh local redis-server (or the embedded Redis 7.0.15) is started.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="$(bin/find-jdk.sh)"
SKIP_NPM=false
MODULES=bench
case " $* " in
  *" --workers "*) SKIP_NPM=true ;;  # the registry benchmark does not run Node
  *" --http "*) SKIP_NPM=true; MODULES=api,bench ;;  # the HTTP benchmark runs api/target/corral-api.jar
  *) (cd bench/node && npm install --no-audit --no-fund --loglevel=error) ;;
esac
./mvnw -B -q -DskipTests -DskipNpm=$SKIP_NPM package -pl $MODULES -am
BENCH_JVM_OPTS="${BENCH_JVM_OPTS:-}"
exec "$JAVA_HOME/bin/java" -XX:+UseParallelGC -Xms1g -Xmx1g $BENCH_JVM_OPTS -jar bench/target/corral-bench.jar "$PWD" "$@"
