#!/bin/sh
# One-shot: registers the simulated GPU servers sim-gpu-01…N through the front door (or issues a new token to one
# that exists, which retires its old token) and leaves each agent a config file holding only its own token:
#   $OWL_AGENT_CONFIG_DIR/<name>.json   {"token": "…"}, mode 0600 (this container runs as the agents' user)
# The admin's password comes from the environment and stays in this container: no agent sees it, and neither it nor
# a token is printed or put on a command line. Used by docker/compose.yaml (service agent-init).
set -eu

api=${OWL_API_URL:?set OWL_API_URL}
email=${OWL_ADMIN_EMAIL:-admin@example.com}
password=${OWL_ADMIN_PASSWORD:?set OWL_ADMIN_PASSWORD}
count=${OWL_AGENT_COUNT:-2}
prefix=${OWL_AGENT_PREFIX:-sim-gpu-}
dir=${OWL_AGENT_CONFIG_DIR:-/agents}

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# curl with retries (the front door or the cluster may still be starting): up to 60 tries, 2 s apart.
call() {
    tries=0
    while ! curl -fsS --max-time 20 -o "$work/answer" "$@"; do
        tries=$((tries + 1))
        if [ "$tries" -ge 60 ]; then
            echo "agent-init: giving up on $api" >&2
            return 1
        fi
        sleep 2
    done
}

jq -n --arg email "$email" --arg password "$password" '{email: $email, password: $password}' > "$work/login"
call -H 'Content-Type: application/json' --data-binary @"$work/login" "$api/api/auth/login"
printf 'Authorization: Bearer %s\n' "$(jq -er '.data.access_token' "$work/answer")" > "$work/auth"
call -H @"$work/auth" "$api/api/gpu/servers"
mv "$work/answer" "$work/servers"

mkdir -p "$dir"
i=1
while [ "$i" -le "$count" ]; do
    name=$(printf '%s%02d' "$prefix" "$i")
    id=$(jq -r --arg name "$name" 'first(.data[] | select(.name == $name) | .id) // empty' "$work/servers")
    if [ -n "$id" ]; then
        call -H @"$work/auth" -X POST "$api/api/gpu/servers/$id/rotate-token"
        echo "agent-init: $name exists; issued it a new token"
    else
        jq -n --arg name "$name" \
            '{name: $name, host: $name, gpu_count: 2, max_concurrent_tasks: 2, total_memory: 160, description: "simulated (docker compose)"}' \
            > "$work/server"
        call -H @"$work/auth" -H 'Content-Type: application/json' --data-binary @"$work/server" "$api/api/gpu/servers"
        echo "agent-init: registered $name"
    fi
    jq -e '.data.agent_token | strings | {token: .}' "$work/answer" > "$dir/$name.json.tmp"
    mv "$dir/$name.json.tmp" "$dir/$name.json"
    i=$((i + 1))
done
