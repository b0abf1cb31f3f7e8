"""A page opened in a real browser: Debian's Chromium, headless, driven over
the DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages ended
by a NUL byte on file descriptors 3 and 4), so no network port and no extra
package.  It reports what a person would see go wrong: console errors,
uncaught exceptions, resources that failed to load; and a screenshot.

The machine's network is closed, so Chromium runs with everything that
would call out switched off, in a new empty profile, as root needs
--no-sandbox."""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-pipe", "--window-size=1280,1600", "--hide-scrollbars",
         "about:blank"]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _onto_3_and_4(read_end: int, write_end: int) -> None:
    """In the child: the browser reads commands on fd 3 and writes on fd 4,
    inherited across exec (pipes are made close-on-exec)."""
    high_read, high_write = os.dup(read_end), os.dup(write_end)   # out of the way of 3 and 4
    os.dup2(high_read, 3)
    os.dup2(high_write, 4)
    os.set_inheritable(3, True)
    os.set_inheritable(4, True)


class Page:
    """Open `url`, wait for it to load, and collect what went wrong."""

    def __init__(self, url: str, timeout: float = 60):
        self.errors: list[str] = []
        self.deadline = time.monotonic() + timeout
        self._id = 0
        self._buffer = b""
        profile = tempfile.mkdtemp(prefix="halemu-chromium-")
        to_browser, self._send_fd = os.pipe()
        self._recv_fd, from_browser = os.pipe()
        self._proc = subprocess.Popen(
            [chromium(), f"--user-data-dir={profile}", *FLAGS], stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=False,
            preexec_fn=lambda: _onto_3_and_4(to_browser, from_browser))
        os.close(to_browser)
        os.close(from_browser)
        self._profile = profile
        try:
            self._open(url)
        except Exception:
            self.close()
            raise

    # -- the protocol ------------------------------------------------------------
    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._send_fd, json.dumps(message).encode() + b"\0")
        return self._id

    def _next(self) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > self.deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._recv_fd, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message = json.loads(raw)
        self._note(message)
        return message

    def _call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        wanted = self._send(method, params, session)
        while True:
            message = self._next()
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def _note(self, message: dict) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            d = params["exceptionDetails"]
            self.errors.append(f"exception: {d.get('exception', {}).get('description') or d['text']}")
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            self.errors.append("console: " + " ".join(str(a.get("value", a.get("description")))
                                                     for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(f"log: {params['entry']['text']} {params['entry'].get('url', '')}")
        elif method == "Network.loadingFailed":
            self.errors.append(f"load failed: {params.get('errorText')}")
        elif method == "Page.loadEventFired":
            self._loaded = True

    def _open(self, url: str) -> None:
        targets = self._call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self._call("Target.attachToTarget",
                                  {"targetId": page["targetId"], "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self._call(f"{domain}.enable", session=self.session)
        self._loaded = False
        self._call("Page.navigate", {"url": url}, self.session)
        while not self._loaded:
            self._next()

    def screenshot(self, path: Path) -> Path:
        data = self._call("Page.captureScreenshot", {"format": "png"}, self.session)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def evaluate(self, expression: str):
        result = self._call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                            self.session)
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self._send("Browser.close")
            self._proc.wait(timeout=20)
        except Exception:
            self._proc.kill()
            self._proc.wait()
        for fd in (self._send_fd, self._recv_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
