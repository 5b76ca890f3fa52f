#!/usr/bin/env bash
# Builds a module and every module it needs (-am) from this checkout, then runs one of its benchmark programs
# (in its test classes) on its test classpath. Each <module>/bench.sh calls it; nothing needs to be in ~/.m2 first.
#   local-stack/run-benchmark.sh [--in-module] <module> <main class> [program arguments...]
#     --in-module  run in <module>/ (for programs that find their files under target/), else in the repository root
# MVN replaces the Maven command (default ./mvnw); MAVEN_ARGS adds Maven options, e.g. MAVEN_ARGS=-o to stay offline.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
in_module=0
if [[ "${1:-}" == "--in-module" ]]; then
    in_module=1
    shift
fi
if [[ $# -lt 2 ]]; then
    echo "usage: local-stack/run-benchmark.sh [--in-module] <module> <main class> [arguments...]" >&2
    exit 2
fi
module="$1" main="$2"
shift 2

echo "building $module and what it needs (./mvnw -B -q package -DskipTests -pl $module -am) ..." >&2
# One reactor build: sibling modules resolve to the jars just built in their target/, not to ~/.m2.
# shellcheck disable=SC2086 # MVN may be a command with arguments
${MVN:-./mvnw} -B -q package -DskipTests -pl "$module" -am \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/benchmark.classpath
classpath="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$root/$module/target/benchmark.classpath")"

if [[ $in_module -eq 1 ]]; then
    cd "$module"
fi
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$classpath" "$main" "$@"
