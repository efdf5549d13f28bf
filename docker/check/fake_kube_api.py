"""A stand-in Kubernetes API server (HTTPS) answering the pod calls that Orleans' Kubernetes hosting makes: read a
pod, patch its labels, list pods by label, watch them. It logs every call with its verb, and reports a pod DELETED to
the open watches once the file <state-dir>/delete-<pod> exists. Used by kubernetes_hosting_check.sh.
Usage: fake_kube_api.py PORT STATE-DIR NAMESPACE POD[,POD…]"""
import http.server
import json
import os
import ssl
import sys
import time
import urllib.parse

port, state, namespace, names = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].split(",")
labels = {name: {} for name in names}


def pod(name):
    return {"apiVersion": "v1", "kind": "Pod", "status": {"phase": "Running"},
            "metadata": {"name": name, "namespace": namespace, "uid": f"{name}-uid", "resourceVersion": "1", "labels": labels[name]}}


def log(verb, path, extra=""):
    with open(os.path.join(state, "calls.log"), "a") as f:
        f.write(f"{time.strftime('%H:%M:%S')} {verb} {path} {extra}\n")


class Api(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        parts = url.path.strip("/").split("/")
        authorized = self.headers.get("Authorization") == "Bearer fake-service-account-token"
        if len(parts) == 6 and parts[4] == "pods":
            log("get", url.path, "(token)" if authorized else "(no token)")
            return self._json(200, pod(parts[5]))
        if len(parts) == 5 and parts[4] == "pods":
            query = urllib.parse.parse_qs(url.query)
            if query.get("watch", ["false"])[0] not in ("true", "1"):
                log("list", url.path, f"labelSelector={query.get('labelSelector', [''])[0]}")
                return self._json(200, {"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": "1"},
                                        "items": [pod(n) for n in names]})
            log("watch", url.path, f"labelSelector={query.get('labelSelector', [''])[0]}")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            reported = set()
            try:
                while True:
                    for name in names:
                        if name not in reported and os.path.exists(os.path.join(state, f"delete-{name}")):
                            reported.add(name)
                            self._chunk((json.dumps({"type": "DELETED", "object": pod(name)}) + "\n").encode())
                            log("event", f"DELETED {name}")
                    time.sleep(0.2)
            except (BrokenPipeError, ConnectionResetError):
                return
        self._json(404, {"kind": "Status", "status": "Failure", "code": 404})

    def do_PATCH(self):
        name = urllib.parse.urlparse(self.path).path.strip("/").split("/")[5]
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        log("patch", self.path, json.dumps(body["metadata"]["labels"], sort_keys=True))
        labels[name].update(body["metadata"]["labels"])
        self._json(200, pod(name))


context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.path.join(state, "server.crt"), os.path.join(state, "server.key"))
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Api)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
