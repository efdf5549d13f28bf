#!/usr/bin/env bash
# Runs two real silos as Kubernetes pods would run them, against a stand-in Kubernetes API (fake_kube_api.py), and
# checks what Orleans' Kubernetes hosting does with ADO.NET membership (docs/deployment.md):
#   - each silo reads its pod, patches the orleans/serviceId and orleans/clusterId labels, lists and watches the
#     cluster's pods, with the service account's token, and calls nothing the Role in docker/k8s/rbac.yaml forbids;
#   - both are Active in the PostgreSQL membership table, named after their pods, at POD_IP;
#   - when the API reports silo-b's pod DELETED, silo-b is marked Dead in the table and its process stops by itself.
# Each silo runs in its own mount namespace whose /run holds the service account (CA, token, namespace), as a pod's
# does; nothing outside it sees them. Needs root (unshare, mount), openssl, python3, psql, a built solution
# (Release) and the platform's PostgreSQL with its migrations applied, e.g. `./owl run --detach`:
#   docker/check/kubernetes_hosting_check.sh [PG_PORT]      (default 55432)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
pg_port=${1:-55432}
api_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
state=$(mktemp -d /tmp/owl-k8s-check.XXXXXX)
cluster="k8s-check-$$"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "(logs and calls in $state)"
}
trap cleanup EXIT
psql_q() { "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d owl -qAt -c "$1"; }
fail() { echo "FAIL  $*"; exit 1; }
ok() { echo "ok    $*"; }

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=fake-kubernetes-ca -keyout "$state/ca.key" -out "$state/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout "$state/server.key" -out "$state/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$state/ext.cnf"
openssl x509 -req -in "$state/server.csr" -CA "$state/ca.crt" -CAkey "$state/ca.key" -CAcreateserial -days 1 \
  -extfile "$state/ext.cnf" -out "$state/server.crt" 2>/dev/null
python3 docker/check/fake_kube_api.py "$api_port" "$state" owl-check silo-a,silo-b &
pids+=($!)

start_silo() {
  local name=$1 silo_port=$2 gateway_port=$3
  unshare --mount --propagation private bash -c '
    mount -t tmpfs tmpfs /run
    account=/run/secrets/kubernetes.io/serviceaccount
    mkdir -p $account && cp "$1/ca.crt" $account/ && printf fake-service-account-token > $account/token && printf owl-check > $account/namespace
    exec env DOTNET_ENVIRONMENT=Development KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT="$2" \
      POD_NAME="$3" POD_NAMESPACE=owl-check POD_IP=127.0.0.1 \
      ConnectionStrings__Owl="Host=127.0.0.1;Port=$4;Database=owl;Username=postgres" Owl__Database__MigrateOnStart=false \
      Owl__Cluster__Kubernetes=true Owl__Cluster__ClusterId="$5" Owl__Cluster__ServiceId=owl-factory \
      Owl__Cluster__SiloPort="$6" Owl__Cluster__GatewayPort="$7" \
      dotnet "$8/src/Silo/bin/Release/net10.0/OwlFactory.Silo.dll"' \
    -- "$state" "$api_port" "$name" "$pg_port" "$cluster" "$silo_port" "$gateway_port" "$root" > "$state/$name.log" 2>&1 &
  pids+=($!)
}
start_silo silo-a 11411 30411
start_silo silo-b 11412 30412
silo_b=${pids[-1]}

for _ in $(seq 1 180); do
  [ "$(psql_q "select count(*) from orleans_membership where deployment_id = '$cluster' and status = 3")" = 2 ] && break
  sleep 1
done
rows=$(psql_q "select silo_name || ' ' || address || ':' || port || ' status ' || status from orleans_membership where deployment_id = '$cluster' order by silo_name")
echo "$rows" | sed 's/^/      /'
[ "$(echo "$rows" | grep -c 'status 3$')" = 2 ] || fail "both silos Active in the membership table"
ok "both silos Active in the PostgreSQL membership table"
echo "$rows" | grep -q '^silo-a 127.0.0.1:11411 ' && echo "$rows" | grep -q '^silo-b 127.0.0.1:11412 ' \
  || fail "each silo named after its pod, at POD_IP"
ok "each silo named after its pod and advertised at POD_IP"
sed 's/^/      /' "$state/calls.log"
for verb in get patch list watch; do grep -q " $verb " "$state/calls.log" || fail "the silos made a '$verb' call"; done
[ -z "$(awk '{print $2}' "$state/calls.log" | grep -v -x -e get -e patch -e list -e watch)" ] || fail "only get, patch, list, watch"
grep " get " "$state/calls.log" | grep -q -v "(token)" && fail "every call carried the service account's token"
grep -q 'patch .*"orleans/clusterId": "'"$cluster"'", "orleans/serviceId": "owl-factory"' "$state/calls.log" \
  || fail "the pods' labels patched to the silo's ids"
ok "the silos read, patched (labels = their ids), listed and watched pods with the account's token, and nothing else"

# A silo told it is dead stops through Orleans' fail-fast (SIGABRT): bash reports silo-b as "Aborted" below.
touch "$state/delete-silo-b"
deleted=$(date +%s.%N)
for _ in $(seq 1 100); do
  [ "$(psql_q "select status from orleans_membership where deployment_id = '$cluster' and silo_name = 'silo-b'")" = 6 ] && break
  sleep 0.1
done
dead=$(date +%s.%N)
[ "$(psql_q "select status from orleans_membership where deployment_id = '$cluster' and silo_name = 'silo-b'")" = 6 ] \
  || fail "silo-b declared Dead after its pod's deletion"
ok "silo-b marked Dead in the table $(printf '%.1f' "$(echo "$dead - $deleted" | bc)") s after its pod was reported deleted"
for _ in $(seq 1 60); do kill -0 "$silo_b" 2>/dev/null || break; sleep 0.5; done
kill -0 "$silo_b" 2>/dev/null && fail "silo-b's process stopped by itself"
ok "silo-b's process stopped by itself"
[ "$(psql_q "select status from orleans_membership where deployment_id = '$cluster' and silo_name = 'silo-a'")" = 3 ] \
  || fail "silo-a still Active"
ok "silo-a still Active"
echo "Kubernetes hosting: every check passed"
