#!/bin/sh
# The container's entrypoint: `taskrouter` with the container's defaults (listen on every
# interface, the database in the /data volume), every one of them overridable by the TASKROUTER_*
# variables of docs/deploy.md. Arguments: a taskrouter command (serve, accounts create, ...);
# none, or options only, means `serve`.
set -eu

export TASKROUTER_GRPC_ADDR="${TASKROUTER_GRPC_ADDR:-0.0.0.0:50051}"
export TASKROUTER_HTTP_ADDR="${TASKROUTER_HTTP_ADDR:-0.0.0.0:8080}"
export TASKROUTER_DATABASE_URL="${TASKROUTER_DATABASE_URL:-sqlite:////data/taskrouter.db}"
TASKROUTER="${TASKROUTER:-taskrouter}"

case "${1:-}" in
  "" | -*) set -- serve "$@" ;;
esac
exec $TASKROUTER "$@"
