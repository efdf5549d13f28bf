#!/usr/bin/env bash
# The checks of docker/ that need neither a container engine nor a cluster (docs/deployment.md says what they do and
# do not prove):
#   1. the front door: nginx -t and its behaviour (retries, operation id, X-Forwarded-For, SSE, no host left) with
#      this machine's nginx, against stand-in DNS and API hosts (front_door_check.py);
#   2. the Kubernetes manifests: rendered with `kubectl kustomize docker/`, validated against the Kubernetes API schemas
#      of the npm package kubernetes-models (k8s_schema.mjs);
#   3. compose.yaml and the manifests: what the platform needs of them, by name (manifests_check.py).
#   docker/check/check.sh
# Needs nginx, python3 with PyYAML, kubectl, node and npm (Debian: nginx python3-yaml kubectl nodejs npm). npm
# packages go to .data/deploy-check/ (git-ignored). OWL_COMPOSE_SCHEMA=path also validates compose.yaml against the
# Compose Specification's JSON schema (python3-jsonschema).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=.data/deploy-check
mkdir -p "$work"

echo "== front door"
python3 docker/check/front_door_check.py

echo "== Kubernetes manifests against the API schemas"
kubectl kustomize docker/ > "$work/k8s.yaml"
if [ ! -d "$work/node_modules/kubernetes-models" ]; then
  npm install --prefix "$work" --no-audit --no-fund --silent kubernetes-models@5.1.0 yaml@2.9.1
fi
# Run from the folder that holds node_modules, where the script's imports resolve.
cp docker/check/k8s_schema.mjs "$work/"
node "$work/k8s_schema.mjs" "$work/k8s.yaml"

echo "== compose.yaml and the manifests, by name"
python3 docker/check/manifests_check.py docker/compose.yaml "$work/k8s.yaml"
