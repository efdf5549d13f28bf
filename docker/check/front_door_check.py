"""Checks the front door's behaviour without containers: nginx from this machine runs docker/nginx/default.conf.template
(rendered as the nginx image's entrypoint renders it) against a stand-in DNS server that names three "API hosts" for one
name (one healthy, one answering 503 to every POST, one with nothing listening) and stand-in hosts that record what
they receive. Exits non-zero on the first broken expectation. Run by docker/check/check.sh."""
import http.server
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEMPLATE = os.path.join(ROOT, "docker", "nginx", "default.conf.template")
GOOD, FLAKY, DEAD = "127.0.0.2", "127.0.0.3", "127.0.0.4"
seen = []
seen_lock = threading.Lock()


def free_port(host="127.0.0.1", kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve_dns(sock, addresses):
    """Answers A queries for "api" with every address; anything else is NXDOMAIN."""
    while True:
        data, peer = sock.recvfrom(512)
        i, labels = 12, []
        while data[i]:
            labels.append(data[i + 1:i + 1 + data[i]].decode())
            i += 1 + data[i]
        qtype = struct.unpack(">H", data[i + 1:i + 3])[0]
        name = ".".join(labels)
        answers = addresses if qtype == 1 and name == "api" else []
        header = struct.pack(">HHHHHH", struct.unpack(">H", data[:2])[0], 0x8180 | (0 if name == "api" else 3), 1, len(answers), 0, 0)
        records = b"".join(struct.pack(">HHHIH", 0xC00C, 1, 1, 1, 4) + socket.inet_aton(a) for a in answers)
        sock.sendto(header + data[12:i + 5] + records, peer)


class Host(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _record(self):
        with seen_lock:
            seen.append({"host": self.server.server_address[0], "method": self.command, "path": self.path,
                         "op": self.headers.get("X-Owl-Operation-Id"), "xff": self.headers.get("X-Forwarded-For")})

    def _json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._record()
        if self.server.server_address[0] == FLAKY:
            self._json(503, {"success": False, "error_code": "SERVER_UNAVAILABLE"})
        else:
            self._json(200, {"success": True})

    def do_GET(self):
        self._record()
        if self.path == "/api/gpu/cluster/stream":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for n in range(3):
                chunk = f"data: {n}\n\n".encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
                time.sleep(1)
            self.wfile.write(b"0\r\n\r\n")
        else:
            self._json(200, {"success": True})


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        print("(nginx's configuration and logs are kept in the folder named above)")
        sys.exit(1)


def main():
    work = tempfile.mkdtemp(prefix="owl-front-door-")
    print(f"(working in {work})")
    dns_sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dns_sock.bind(("127.0.0.1", 0))
    threading.Thread(target=serve_dns, args=(dns_sock, [GOOD, FLAKY, DEAD]), daemon=True).start()
    api_port = free_port(GOOD)
    hosts = [http.server.ThreadingHTTPServer((h, api_port), Host) for h in (GOOD, FLAKY)]
    for h in hosts:
        threading.Thread(target=h.serve_forever, daemon=True).start()

    # The image's entrypoint substitutes only the variables it is given (NGINX_ENVSUBST_FILTER): the same two here.
    values = {"OWL_API_UPSTREAM": f"api:{api_port}", "NGINX_LOCAL_RESOLVERS": f"127.0.0.1:{dns_sock.getsockname()[1]}"}
    conf = re.sub(r"\$\{(OWL_API_UPSTREAM|NGINX_LOCAL_RESOLVERS)\}", lambda m: values[m.group(1)], open(TEMPLATE).read())
    check("${" not in conf, "the template uses no variable beyond OWL_API_UPSTREAM and NGINX_LOCAL_RESOLVERS")
    front_port = free_port()
    conf = conf.replace("listen 8000;", f"listen 127.0.0.1:{front_port};")
    conf = conf.replace("access_log /dev/stdout owl;", f"access_log {work}/access.log owl;")
    with open(f"{work}/default.conf", "w") as f:
        f.write(conf)
    with open(f"{work}/nginx.conf", "w") as f:
        f.write(f"worker_processes 1;\nerror_log {work}/error.log warn;\npid {work}/nginx.pid;\n"
                f"events {{ worker_connections 256; }}\n"
                f"http {{ include /etc/nginx/mime.types; include {work}/default.conf; }}\n")
    test = subprocess.run(["nginx", "-t", "-q", "-c", f"{work}/nginx.conf", "-p", work], capture_output=True, text=True)
    check(test.returncode == 0, "nginx -t accepts the rendered configuration " + test.stderr.strip())
    subprocess.run(["nginx", "-c", f"{work}/nginx.conf", "-p", work], check=True)
    base = f"http://127.0.0.1:{front_port}"
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/api/health/live", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)

        statuses = []
        for _ in range(20):
            request = urllib.request.Request(base + "/api/recharge/redeem", data=b'{"code":"X"}', method="POST", headers={
                "Content-Type": "application/json", "X-Owl-Operation-Id": "forged", "X-Forwarded-For": "198.51.100.7"})
            try:
                statuses.append(urllib.request.urlopen(request, timeout=20).status)
            except urllib.error.HTTPError as e:
                statuses.append(e.code)
        posts = [s for s in seen if s["method"] == "POST"]
        by_op = {}
        for s in posts:
            by_op.setdefault(s["op"], []).append(s["host"])
        check(statuses == [200] * 20, f"20 POSTs, all answered 200 although one host answers 503 and one refuses: {statuses}")
        check(len(by_op) == 20, f"one operation id per client request: {len(by_op)} ids")
        check(all(op and re.fullmatch(r"[0-9a-f]{32}", op) for op in by_op), "the client's own X-Owl-Operation-Id is replaced by nginx's $request_id")
        retried = [hosts for hosts in by_op.values() if len(hosts) > 1]
        check(len(retried) > 0 and all(h == [FLAKY, GOOD] for h in retried),
              f"a POST answered 503 is sent again to another host with the same operation id ({len(retried)} of 20 were)")
        check(all(s["xff"] == "198.51.100.7, 127.0.0.1" for s in posts),
              "X-Forwarded-For is appended to: the API host's last entry is the address the front door saw")

        start = time.monotonic()
        arrivals = []
        with urllib.request.urlopen(base + "/api/gpu/cluster/stream", timeout=10) as stream:
            for line in stream:
                if line.startswith(b"data:"):
                    arrivals.append(time.monotonic() - start)
        check(len(arrivals) == 3 and arrivals[0] < arrivals[2] - 1.5,
              "Server-Sent Events pass unbuffered: events at " + ", ".join(f"{a:.1f} s" for a in arrivals))

        for h in hosts:
            h.shutdown()
            h.server_close()
        try:
            urllib.request.urlopen(base + "/api/users/me", timeout=20)
            check(False, "with no API host, the answer is a 503")
        except urllib.error.HTTPError as e:
            body = json.loads(e.read())
            check(e.code == 503 and body.get("error_code") == "SERVER_UNAVAILABLE" and e.headers.get("Retry-After") == "1",
                  "with no API host left, the front door answers the API's own 503 SERVER_UNAVAILABLE envelope")
    finally:
        subprocess.run(["nginx", "-c", f"{work}/nginx.conf", "-p", work, "-s", "quit"], check=False, capture_output=True)
    shutil.rmtree(work, ignore_errors=True)
    print("front door: every check passed")


if __name__ == "__main__":
    main()
