#!/bin/sh
# KetaFHIR benchmark (not part of mvn verify): see benchmark/run.py --help.
# Builds the jar when missing, runs checks-on and stock configurations, writes benchmark/results/<date>-<host>.md/.json.
set -e
cd "$(dirname "$0")/.."
exec python3 benchmark/run.py "$@"
