"""A live OTLP/HTTP receiver for the tracing-overhead benchmark: accepts POST /v1/traces (and /v1/metrics, /v1/logs)
with any body, answers 200 with an empty ExportTraceServiceResponse, and counts requests and bytes. On SIGTERM it
prints `OTLP requests=N bytes=M` to stderr. Usage: python3 otlp-sink.py PORT"""
import http.server
import signal
import sys
import threading

counts = {"requests": 0, "bytes": 0}
lock = threading.Lock()


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the exporter's client expects

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        with lock:
            counts["requests"] += 1
            counts["bytes"] += n
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def stop(*_):
    print("OTLP requests=%d bytes=%d" % (counts["requests"], counts["bytes"]), file=sys.stderr, flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
