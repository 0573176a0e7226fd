"""A local OpenAI-compatible chat-completions server for the LLM tests: it answers from a script and keeps every
request body, so tests can check what left the server and how the coach copes with each kind of answer."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Reply = dict | Callable[[dict], dict]


def content_reply(content: str, *, prompt_tokens: int = 50, completion_tokens: int = 20) -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def json_reply(document: dict, **usage) -> dict:
    return content_reply(json.dumps(document), **usage)


def tool_call_reply(name: str, arguments: dict, call_id: str = "call_1") -> dict:
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}
        ],
    }
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "test-model",
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}],
        "usage": {"prompt_tokens": 60, "completion_tokens": 10, "total_tokens": 70},
    }


def slow_reply(seconds: float, then: dict) -> Callable[[dict], dict]:
    def reply(_request: dict) -> dict:
        time.sleep(seconds)
        return then

    return reply


class FakeLLMServer:
    def __init__(self):
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self._script: list[Reply] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(body)
                server.headers.append({k.lower(): v for k, v in self.headers.items()})
                reply = server._script.pop(0) if server._script else content_reply("{}")
                payload = reply(body) if callable(reply) else reply
                data = json.dumps(payload).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def script(self, *replies: Reply) -> None:
        self._script = list(replies)

    def start(self) -> FakeLLMServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def bodies_text(self) -> str:
        """Every request body as one text, for privacy checks."""
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in self.requests)
