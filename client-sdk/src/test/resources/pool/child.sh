#!/usr/bin/env bash
# A process-pool child in bash: answers every job with the length of its job line; a job line containing
# "sleep" runs `sleep 30` first (a descendant the pool must kill with it on a timeout).
echo '{"type":"ready","protocol":1}'
while IFS= read -r line; do
  if [[ "$line" == *sleep* ]]; then
    sleep 30
  fi
  echo "{\"type\":\"log\",\"line\":\"bash got ${#line} chars\"}"
  echo "{\"type\":\"result\",\"value\":${#line}}"
done
