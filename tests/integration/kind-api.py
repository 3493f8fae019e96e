#!/usr/bin/env python3
"""kind-api.py - a stand-in for the Kubernetes API server (kind-e2e.sh).

Serves, over HTTPS with a test CA, the two objects flatbgpd's discovery
reads, shaped as the real API server returns them:

  GET /api/v1/nodes/NAME                 a Node; spec.podCIDR(s) from the
                                         file DATA/nodes/NAME (one CIDR per
                                         line), 404 Status if there is none
  GET /api/v1/namespaces/kube-system/configmaps/kubeadm-config
                                         the kubeadm-config ConfigMap whose
                                         ClusterConfiguration (a YAML
                                         string) holds networking.
                                         serviceSubnet from DATA/service-subnet

Every request must carry "Authorization: Bearer TOKEN" with the content of
--token-file, else 401 with a Status object. The data files are read on
every request, so a test changes a pod CIDR by rewriting a file. One line
per request goes to stderr.
"""
import argparse
import http.server
import json
import os
import ssl
import sys

CONFIGMAP = "/api/v1/namespaces/kube-system/configmaps/kubeadm-config"
NODES = "/api/v1/nodes/"


def status(code, reason, message):
    return code, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                  "status": "Failure", "message": message,
                  "reason": reason, "code": code}


def read_lines(path):
    try:
        with open(path) as f:
            return [l.strip() for l in f if l.strip()]
    except FileNotFoundError:
        return None


def node(name, cidrs):
    return {"kind": "Node", "apiVersion": "v1",
            "metadata": {"name": name, "uid": "00000000-0000-4000-8000-"
                         + "%012d" % (abs(hash(name)) % 10**12),
                         "labels": {"kubernetes.io/hostname": name}},
            "spec": {"podCIDR": cidrs[0], "podCIDRs": cidrs,
                     "providerID": "kind://docker/e2e/" + name},
            "status": {"addresses": [{"type": "Hostname",
                                      "address": name}]}}


def configmap(subnet):
    text = ("apiServer:\n  certSANs:\n  - localhost\n  - 127.0.0.1\n"
            "apiVersion: kubeadm.k8s.io/v1beta3\nclusterName: e2e\n"
            "kind: ClusterConfiguration\nnetworking:\n"
            "  dnsDomain: cluster.local\n  podSubnet: 10.99.16.0/20\n"
            "  serviceSubnet: %s\nscheduler: {}\n" % subnet)
    return {"kind": "ConfigMap", "apiVersion": "v1",
            "metadata": {"name": "kubeadm-config",
                         "namespace": "kube-system"},
            "data": {"ClusterConfiguration": text}}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        token = self.server.token
        if self.headers.get("Authorization") != "Bearer " + token:
            return status(401, "Unauthorized", "Unauthorized")
        data = self.server.data
        if self.path == CONFIGMAP:
            subnet = read_lines(os.path.join(data, "service-subnet"))
            if not subnet:
                return status(404, "NotFound",
                              'configmaps "kubeadm-config" not found')
            return 200, configmap(",".join(subnet))
        if self.path.startswith(NODES) and "/" not in self.path[len(NODES):]:
            name = self.path[len(NODES):]
            cidrs = read_lines(os.path.join(data, "nodes", name))
            if not cidrs:
                return status(404, "NotFound",
                              'nodes "%s" not found' % name)
            return 200, node(name, cidrs)
        return status(404, "NotFound", "the server could not find the "
                      "requested resource")

    def do_GET(self):
        code, obj = self.answer()
        body = json.dumps(obj, separators=(",", ":")).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.client_address[0], fmt % args))
        sys.stderr.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--port", type=int, default=6443)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--token-file", required=True)
    ap.add_argument("--data", required=True)
    a = ap.parse_args()
    server = http.server.ThreadingHTTPServer((a.listen, a.port), Handler)
    with open(a.token_file) as f:
        server.token = f.read().strip()
    server.data = a.data
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    sys.stderr.write("listening on %s:%d\n" % (a.listen, a.port))
    sys.stderr.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
