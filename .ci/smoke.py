"""Production smoke checks against a running server: `python .ci/smoke.py http://127.0.0.1:8765`.

- security headers on a public page, the API and a staff page;
- a body over the limit is refused before it is sent (the answer arrives while the client has
  sent 1 KB of the 300 MB it announced);
- with SLOW_CLIENTS connections sending their headers one line every 2 s, a normal page still
  answers within a second, every time for 10 s.
Exits non-zero, saying what failed.
"""

import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

BASE = sys.argv[1].rstrip("/")
SLOW_CLIENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
HOST, PORT = urlsplit(BASE).hostname, urlsplit(BASE).port or 80
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL", message)


def get(path):
    request = urllib.request.Request(BASE + path, headers={"Host": HOST})  # noqa: S310 (the URL given)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the URL given)
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers
    except OSError as error:  # timed out or refused
        return repr(error), {}


def headers():
    status, home = get("/")
    check(status == 200, f"home page answered {status}")
    check("camera=()" in home.get("Permissions-Policy", ""), "no Permissions-Policy on /")
    check(home.get("Cross-Origin-Resource-Policy") == "same-origin", "no CORP on /")
    check("default-src 'self'" in home.get("Content-Security-Policy", ""), "no CSP on /")
    _, api = get("/api/oruk/services")
    check(api.get("Cross-Origin-Resource-Policy") == "cross-origin", "API not cross-origin")
    _, staff = get("/staff/")
    check("no-store" in staff.get("Cache-Control", ""), "/staff/ may be stored")


def oversized_body():
    with socket.create_connection((HOST, PORT), timeout=5) as sock:
        sock.sendall(
            b"POST /directory/suggest/ HTTP/1.1\r\nHost: " + HOST.encode() + b"\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 314572800\r\n\r\n" + b"x" * 1024
        )
        started = time.monotonic()
        try:
            answer = sock.recv(200)
        except TimeoutError:
            answer = b""
    status_line = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    check(" 413 " in status_line, f"300 MB body: {status_line or 'no answer within 5 s'}")
    print(f"300 MB body refused after 1 KB: {status_line} ({time.monotonic() - started:.2f} s)")


def slow_clients():
    stop = threading.Event()
    sockets = []

    def drip(sock):
        try:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: " + HOST.encode() + b"\r\n")
            while not stop.wait(2):
                sock.sendall(b"X-Slow: 1\r\n")
        except OSError:
            pass  # the server gave up on this client: that is allowed

    for _ in range(SLOW_CLIENTS):
        sock = socket.create_connection((HOST, PORT), timeout=30)
        sockets.append(sock)
        threading.Thread(target=drip, args=(sock,), daemon=True).start()
    time.sleep(1)
    worst = 0.0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        started = time.monotonic()
        status, _ = get("/hubs/")
        elapsed = time.monotonic() - started
        worst = max(worst, elapsed)
        check(status == 200, f"with slow clients /hubs/ answered {status}")
        time.sleep(0.5)
    check(worst < 1.0, f"with {SLOW_CLIENTS} slow clients a page took {worst:.2f} s")
    print(f"{SLOW_CLIENTS} slow clients held open: slowest normal page {worst:.3f} s")
    stop.set()
    for sock in sockets:
        sock.close()


headers()
oversized_body()
slow_clients()
sys.exit(1 if failures else 0)
