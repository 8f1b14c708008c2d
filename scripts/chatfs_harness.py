"""What the kill -9 scripts (scripts/torture-outbox, scripts/crash-sync) share: a
chatfs-server and a chatfs mount they own by PID, commands with a timeout, and the cache's
integrity check. Imported from the scripts' folder; not a program.
"""

import glob
import json
import os
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MOUNT_TIMEOUT = 60
COMMAND_TIMEOUT = 30         # one command; a hang is reported, not waited for

# Children never go through a proxy: everything here is loopback.
CHILD_ENV = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
CHILD_ENV["NO_PROXY"] = CHILD_ENV["no_proxy"] = "127.0.0.1,localhost"
HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Fatal(Exception):
    """The run cannot go on (setup failed); exit 2."""


def log(text=""):
    print(text, flush=True)


def run(args, timeout=COMMAND_TIMEOUT):
    """Runs a command; returns (status, stderr). A hang is killed and reported as 124."""
    try:
        done = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=CHILD_ENV, timeout=timeout, text=True, errors="replace")
        return done.returncode, (done.stderr or done.stdout).strip()
    except subprocess.TimeoutExpired:
        return 124, f"timed out after {timeout} s"


def is_mounted(path):
    with open("/proc/mounts") as mounts:
        return any(line.split(" ")[1] == path for line in mounts if " fuse" in line)


class Server:
    """chatfs-server on a free loopback port with its own database."""

    def __init__(self, bindir, work, legacy, user="alice"):
        self.user = user
        self.log_path = os.path.join(work, "server.log")
        out_path = os.path.join(work, "server.out")
        args = [os.path.join(bindir, "chatfs-server"), "--host", "127.0.0.1", "--port", "0",
                "--db", os.path.join(work, "server.sqlite"), "--send-rate-limit", "0", "--test-control", "--demo"]
        if legacy:
            args.append("--legacy")
        with open(out_path, "w") as out, open(self.log_path, "w") as err:
            self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=CHILD_ENV,
                                            start_new_session=True)
        self.url = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and self.process.poll() is None:
            with open(out_path) as out:
                for line in out:
                    if line.startswith("chatfs-server listening on "):
                        self.url = line.split(" on ", 1)[1].strip()
            if self.url:
                break
            time.sleep(0.1)
        if not self.url:
            self.stop()
            raise Fatal("chatfs-server did not start:\n" + tail(self.log_path))
        host = urllib.parse.urlsplit(self.url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            self.stop()
            raise Fatal(f"chatfs-server listens on {self.url}, not on loopback")
        self._token = None

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request(self, method, path, body=None, token=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with HTTP.open(request, timeout=timeout) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def token(self):
        if not self._token:
            status, body = self.request("POST", "/api/v1/auth/login", {"username": self.user})
            if status != 200:
                raise Fatal(f"login failed: {status} {body}")
            self._token = body["accessToken"]
        return self._token

    def create_chat(self, title, closed=False):
        status, body = self.request("POST", "/_test/chats", {"title": title, "requester": self.user})
        if status != 201:
            raise Fatal(f"cannot create chat {title!r}: {status} {body}")
        if closed:
            status, answer = self.request("POST", f"/_test/chats/{body['id']}/close")
            if status != 200:
                raise Fatal(f"cannot close chat {title!r}: {status} {answer}")
        return body["id"]

    def add_fault(self, rule):
        status, body = self.request("POST", "/_test/faults", rule)
        if status != 201:
            raise Fatal(f"fault {rule} refused: {status} {body}")

    def clear_faults(self):
        self.request("DELETE", "/_test/faults")

    def messages(self, chat_id):
        """Every message of a chat, oldest first (cursor pages of 200)."""
        found, before = [], None
        for _ in range(1000):
            query = "limit=200" + (f"&before_sequence={before}" if before else "")
            for attempt in range(3):
                status, page = self.request("GET", f"/api/v1/chat/messages/request/{chat_id}?{query}", token=self.token())
                if status == 401:
                    self._token = None
                    continue
                break
            if status != 200:
                raise Fatal(f"cannot read the messages of {chat_id}: {status} {page}")
            found = page + found
            if len(page) < 200:
                break
            before = min(message["sequenceNumber"] for message in page)
            if before <= 1:
                break
        return found


class Mount:
    """A `chatfs mount --foreground` we own by PID. `ready(mount)` says when a mount is
    usable (default: mounted); `label` marks the script's own lines in the chatfs log."""

    def __init__(self, bindir, work, server, extra_args=(), ready=None, label="harness", user="alice"):
        self.chatfs = os.path.join(bindir, "chatfs")
        self.point = os.path.join(work, "mnt")
        self.cache = os.path.join(work, "cache")
        self.log_path = os.path.join(work, "chatfs.log")
        self.label = label
        self.ready = ready or (lambda mount: True)
        os.makedirs(self.point, exist_ok=True)
        os.makedirs(self.cache, mode=0o700, exist_ok=True)
        self.args = [self.chatfs, "mount", self.point, "--server", server.url, "--user", user, "--cache-dir", self.cache,
                     "--foreground"] + list(extra_args)
        self.process = None

    def start(self):
        with open(self.log_path, "a") as out:
            out.write(f"\n===== {self.label}: mount at {time.strftime('%H:%M:%S')} =====\n")
            out.flush()
            self.process = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=CHILD_ENV,
                                            start_new_session=True)
        deadline = time.monotonic() + MOUNT_TIMEOUT
        while time.monotonic() < deadline:
            if is_mounted(self.point) and self.ready(self):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise Fatal("chatfs did not mount:\n" + tail(self.log_path))

    def outbox(self, chat):
        return os.path.join(self.point, chat, "outbox")

    def crash(self):
        """kill -9 of our daemon only. Returns False when it could not die by itself: a
        thread of it stayed blocked in the kernel (a FUSE invalidation waiting for a
        directory lock that a reader holds while it waits for the dead daemon), so the mount
        hung until `umount -f` aborted its FUSE connection (see RELIABILITY.md, crash-sync)."""
        if not self.process or self.process.poll() is not None:
            return True
        os.kill(self.process.pid, signal.SIGKILL)
        died = True
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            died = False
            run(["umount", "-f", self.point], timeout=20)  # MNT_FORCE aborts the FUSE connection
            self.process.wait()
        with open(self.log_path, "a") as out:
            note = "" if died else " (hung in the kernel until umount -f)"
            out.write(f"===== {self.label}: SIGKILL at {time.strftime('%H:%M:%S')}{note} =====\n")
        return died

    def clear_dead_mount(self):
        if is_mounted(self.point):
            run(["fusermount3", "-uz", self.point], timeout=20)

    def stop(self):
        if self.process is None:
            return
        if is_mounted(self.point) and self.process.poll() is None:
            run(["fusermount3", "-u", self.point], timeout=20)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.clear_dead_mount()
        self.process = None

    def database(self):
        found = sorted(glob.glob(os.path.join(self.cache, "**", "*.sqlite"), recursive=True))
        return found[0] if found else None

    def integrity(self):
        path = self.database()
        if path is None:
            return "no *.sqlite in the cache directory"
        try:
            connection = sqlite3.connect(path, timeout=10)
            try:
                rows = connection.execute("PRAGMA integrity_check").fetchall()
            finally:
                connection.close()
        except sqlite3.Error as error:
            return f"sqlite error: {error}"
        result = "; ".join(str(row[0]) for row in rows)
        return "ok" if result == "ok" else result

    def status(self):
        try:
            done = subprocess.run([self.chatfs, "status", "--json", "--cache-dir", self.cache], stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, env=CHILD_ENV, timeout=30)
        except subprocess.TimeoutExpired:
            return None
        if done.returncode != 0:
            return None
        try:
            return json.loads(done.stdout)
        except ValueError:
            return None

    def drain(self, timeout):
        """`chatfs sync`, then status until nothing is pending. Returns (drained, seconds)."""
        start = time.monotonic()
        deadline = start + timeout
        run([self.chatfs, "sync", self.point], timeout=timeout)
        while True:
            status = self.status()
            if status is not None and status.get("pendingSends", 1) == 0:
                return True, time.monotonic() - start
            if time.monotonic() >= deadline:
                return False, time.monotonic() - start
            time.sleep(0.5)


def tail(path, lines=30):
    try:
        with open(path, errors="replace") as text:
            return "".join(text.readlines()[-lines:])
    except OSError:
        return ""


def binaries():
    """$CHATFS_BIN_DIR, else `swift build --show-bin-path`; raises Fatal when chatfs,
    chatfs-server, /dev/fuse or fusermount3 is missing."""
    bindir = os.environ.get("CHATFS_BIN_DIR") or subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    for binary in ("chatfs", "chatfs-server"):
        if not os.access(os.path.join(bindir, binary), os.X_OK):
            raise Fatal(f"{bindir}/{binary} is missing: run `swift build` first")
    if not os.path.exists("/dev/fuse") or subprocess.run(["which", "fusermount3"], capture_output=True).returncode:
        raise Fatal("needs /dev/fuse and fusermount3 (scripts/setup installs fuse3)")
    return bindir
