"""A real HTTP server (stdlib, in a thread) that plays another council's ORUK feed."""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

EXAMPLES = Path("/work/shared/oruk-3.0/examples")


def example(name):
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def page(contents, *, number=1, total_pages=1):
    return {
        "total_items": len(contents),
        "total_pages": total_pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number == total_pages,
        "empty": not contents,
        "contents": contents,
    }


class FakeFeed:
    """`pages[n]` answers page n of /services: a dict (sent as JSON), bytes (sent as they
    are), an int (that status), or ("slow", seconds). Each request's query is kept."""

    def __init__(self):
        self.pages = {}
        self.requests = []
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                feed.requests.append((url.path, query))
                answer = feed.pages.get(int(query.get("page", 1)), 404)
                if isinstance(answer, tuple):
                    time.sleep(answer[1])
                    answer = page([])
                if isinstance(answer, int):
                    self.send_error(answer)
                    return
                body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the harvester gave up waiting
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/oruk"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
