"""Checks docker/compose.yaml and the rendered Kubernetes manifests for what the platform needs of them, by name: the
topology, secrets only by reference, stop times that cover the API's drain and a silo's orderly stop, what Orleans'
Kubernetes hosting needs (pod labels, POD_* variables, RBAC), probes, disruption budgets and resources. Optionally
also validates the compose file against the Compose Specification's JSON schema (OWL_COMPOSE_SCHEMA=path).
Usage: manifests_check.py docker/compose.yaml rendered-k8s.yaml"""
import json
import os
import re
import sys

import yaml

failures = 0


def check(condition, message):
    global failures
    print(("ok    " if condition else "FAIL  ") + message)
    failures += 0 if condition else 1


def seconds(value):
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", value or "")
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0) if match else 0


def compose_checks(path):
    doc = yaml.safe_load(open(path))
    services = doc["services"]
    replicas = {name: s.get("deploy", {}).get("replicas", 1) for name, s in services.items()}
    check(replicas.get("postgres") == 1 and replicas.get("silo") == 3 and replicas.get("api") == 2 and replicas.get("front") == 1,
          f"compose: PostgreSQL, 3 silos, 2 API hosts, 1 front door ({replicas})")
    agents = [n for n, s in services.items() if "OWL_AGENT_SIMULATE_GPUS" in (s.get("environment") or {})]
    check(len(agents) >= 2, f"compose: simulated agents {agents}")
    for name in agents:
        env = services[name]["environment"]
        check("OWL_AGENT_TOKEN" not in env and services[name]["depends_on"]["agent-init"]["condition"] == "service_completed_successfully",
              f"compose: {name} reads its token from the file agent-init wrote, after agent-init finished")
    check("OWL_ADMIN_PASSWORD" in services["agent-init"]["environment"] and not any(
        "OWL_ADMIN_PASSWORD" in (services[n].get("environment") or {}) for n in agents),
          "compose: the admin password reaches agent-init, never an agent")
    check([p for s in services.values() for p in s.get("ports", [])] == ["8000:8000"] and services["front"]["ports"] == ["8000:8000"],
          "compose: the front door publishes 8000 and nothing else is published")
    check(doc["networks"]["cluster"].get("internal") and doc["networks"]["front"].get("internal"),
          "compose: the cluster and front networks are internal")
    check(set(services["silo"]["networks"]) == {"cluster"} and set(services["postgres"]["networks"]) == {"cluster"},
          "compose: silos and PostgreSQL only on the cluster network")
    subnet = doc["networks"]["front"]["ipam"]["config"][0]["subnet"]
    check(services["api"]["environment"]["Owl__Http__TrustedProxies__0"] == subnet,
          "compose: the API hosts trust X-Forwarded-For from the front network only")
    check(set(services["front"]["networks"]) == {"front", "edge"}, "compose: the front door bridges the front and edge networks")
    check(seconds(services["api"]["stop_grace_period"]) >= 3 + 30, "compose: the API's stop_grace_period covers its drain (3 s + 30 s)")
    check(seconds(services["silo"]["stop_grace_period"]) >= 30, "compose: the silo's stop_grace_period covers its host's 30 s shutdown")
    check("/api/health " in " ".join(services["api"]["healthcheck"]["test"]), "compose: the API's healthcheck is readiness (/api/health)")
    check("/api/health/live " in " ".join(services["front"]["healthcheck"]["test"]), "compose: the front door's healthcheck is liveness through it")
    text = open(path).read()
    literal = re.findall(r"(?i)(?:password|signingkey|token)[^:\n]*:\s*(?!\$\{)[\"']?[A-Za-z0-9+/=_-]{8,}", text)
    check(not literal, f"compose: every secret comes from the environment ({literal})")
    schema_path = os.environ.get("OWL_COMPOSE_SCHEMA")
    if schema_path:
        import jsonschema
        schema = json.load(open(schema_path))
        validator = jsonschema.validators.validator_for(schema)(schema)
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(doc)]
        check(not errors, f"compose: valid against {os.path.basename(schema_path)} {errors}")


def k8s_checks(path):
    objects = [o for o in yaml.safe_load_all(open(path)) if o]
    by_kind = {}
    for o in objects:
        by_kind.setdefault(o["kind"], {})[o["metadata"]["name"]] = o
    deployments = by_kind.get("Deployment", {})
    check({"owl-silo", "owl-api", "owl-front-door"} <= set(deployments) and "owl-postgres" in by_kind.get("StatefulSet", {}),
          "k8s: silo, API and front door Deployments, a PostgreSQL StatefulSet")
    check(all(o["metadata"].get("namespace") == "owl-factory" for o in objects if o["kind"] != "Namespace"),
          "k8s: every object in the owl-factory namespace")

    silo = deployments["owl-silo"]
    pod = silo["spec"]["template"]
    env = {e["name"]: e for e in pod["spec"]["containers"][0]["env"]}
    labels = pod["metadata"]["labels"]
    check(silo["spec"]["replicas"] == 3, "k8s: 3 silos")
    check(labels.get("orleans/serviceId") == env["Owl__Cluster__ServiceId"]["value"]
          and labels.get("orleans/clusterId") == env["Owl__Cluster__ClusterId"]["value"],
          "k8s: the silo pods' orleans/serviceId and orleans/clusterId labels equal the silo's ids")
    check(env["Owl__Cluster__Kubernetes"]["value"] == "true", "k8s: the silo turns Orleans' Kubernetes hosting on")
    check(env["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
          and env["POD_NAMESPACE"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.namespace"
          and env["POD_IP"]["valueFrom"]["fieldRef"]["fieldPath"] == "status.podIP",
          "k8s: POD_NAME, POD_NAMESPACE and POD_IP from the downward API")
    check(not any(n.startswith("ORLEANS_") for n in env), "k8s: no ORLEANS_SERVICE_ID/CLUSTER_ID overriding Owl:Cluster")
    account = pod["spec"]["serviceAccountName"]
    binding = next(b for b in by_kind["RoleBinding"].values() if any(s["name"] == account for s in b["subjects"]))
    role = by_kind["Role"][binding["roleRef"]["name"]]
    verbs = {v for rule in role["rules"] if "pods" in rule["resources"] for v in rule["verbs"]}
    check(verbs == {"get", "list", "watch", "patch"}, f"k8s: the silos' account may get, list, watch and patch pods, no more ({sorted(verbs)})")
    check(pod["spec"]["terminationGracePeriodSeconds"] >= 30 + 10, "k8s: a silo has time for its orderly stop")

    api = deployments["owl-api"]
    spec = api["spec"]["template"]["spec"]
    container = spec["containers"][0]
    check(api["spec"]["replicas"] == 2, "k8s: 2 API hosts")
    check(container["readinessProbe"]["httpGet"]["path"] == "/api/health"
          and container["livenessProbe"]["httpGet"]["path"] == "/api/health/live",
          "k8s: API readiness on /api/health, liveness on /api/health/live")
    pre_stop = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    check(spec["terminationGracePeriodSeconds"] >= pre_stop + 3 + 30,
          f"k8s: the API's grace period ({spec['terminationGracePeriodSeconds']} s) covers preStop {pre_stop} s + drain 3 s + 30 s")
    service = by_kind["Service"]["owl-api"]
    check(service["spec"].get("clusterIP") == "None", "k8s: the API Service is headless (the front door sees every pod)")
    front_env = {e["name"]: e.get("value") for e in deployments["owl-front-door"]["spec"]["template"]["spec"]["containers"][0]["env"]}
    check(front_env["OWL_API_UPSTREAM"].startswith("owl-api.owl-factory.svc."), "k8s: the front door's upstream is that Service, fully qualified")
    check(any(v["name"] == "template" and v["configMap"]["name"] in by_kind["ConfigMap"]
              for v in deployments["owl-front-door"]["spec"]["template"]["spec"]["volumes"]),
          "k8s: the front door mounts the generated ConfigMap of the nginx template")

    pdbs = {p["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"] for p in by_kind["PodDisruptionBudget"].values()}
    check({"owl-silo", "owl-api", "owl-front-door"} <= pdbs, "k8s: a PodDisruptionBudget for silos, API hosts and front door")
    for name, workload in list(deployments.items()) + list(by_kind["StatefulSet"].items()):
        for c in workload["spec"]["template"]["spec"]["containers"]:
            resources = c.get("resources", {})
            check({"cpu", "memory"} <= set(resources.get("requests", {})) and {"cpu", "memory"} <= set(resources.get("limits", {})),
                  f"k8s: {name} has CPU and memory requests and limits")
            for e in c.get("env", []):
                if re.search(r"(?i)password|key|secret|token|connectionstring", e["name"]):
                    check("secretKeyRef" in e.get("valueFrom", {}), f"k8s: {name} takes {e['name']} from a Secret")
    check("Secret" not in by_kind, "k8s: no Secret object in the manifests (created by hand, docs/deployment.md)")


compose_checks(sys.argv[1])
k8s_checks(sys.argv[2])
print(f"manifests: {failures} check(s) failed" if failures else "manifests: every check passed")
sys.exit(1 if failures else 0)
