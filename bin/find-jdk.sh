#!/usr/bin/env bash
# Prints the home of a JDK 21+ : $JAVA_HOME if it is one, else the first one under /usr/lib/jvm or
# /Library/Java/JavaVirtualMachines. Exits 1 when there is none.
set -euo pipefail
is_21_plus() {
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null
}
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && is_21_plus "$JAVA_HOME"; then
  echo "$JAVA_HOME"; exit 0
fi
for d in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  if [ -x "$d/bin/java" ] && is_21_plus "$d"; then echo "$d"; exit 0; fi
done
echo "no JDK 21+ found: install one (e.g. Temurin 21 or 25) or set JAVA_HOME" >&2
exit 1
