#!/usr/bin/env python3
"""Load benchmark: signed LINE webhooks against the gunicorn server, next to a bare signature-only endpoint.

Everything runs on loopback and is bounded in time: a fake LINE API (answers the bot's replies), gunicorn
started like the Procfile's web line and `python -m bot worker` like its worker line (EVENT_QUEUE=database;
`--queue memory`: the web line alone answers), and client processes that send requests at a fixed rate (latency is
measured from each request's scheduled time, so a slow server cannot hide its queueing) and then as fast as
they can (throughput). Prints throughput and latency percentiles per endpoint, how many webhook events were
actually answered through the fake LINE API, and each worker's memory.

    python benchmarks/load.py --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import hmac
import http.client
import json
import multiprocessing as mp
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-channel-secret"
TEXTS = [  # invented for the benchmark: three scams, three ordinary messages
    "【ヤマト運輸】お届け予定のお荷物が住所不明のため保管しております。配送先の確認はこちら https://yamato-hxq.top/d",
    "ご利用料金の未払いがあります。本日中にご連絡がない場合、法的手続きに移行いたします。お問い合わせ窓口 03-5800-4127",
    "【三井住友カード】お客様のカードに不正利用の疑いがあるため、ご利用を一時停止しました。https://smbc-card-check.com/login",
    "【Amazon】認証コードは 482913 です。このコードを誰にも教えないでください。",
    "今日は遅くなるから先にごはん食べててね。駅に着いたら連絡する",
    "【みどり歯科】明日11月29日 10:30にご予約をいただいております。変更の際はお電話ください。",
]
MAX_SECONDS = 120  # hard bound per phase, whatever the arguments say
BARE = "/bench/bare"
PROBE_RATE = 50.0  # bare requests a second sent beside each paced webhook phase


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------- fake LINE API (its own process)

def fake_line_api(port: int, replies: Any, ready: Any, delay: float = 0.0) -> None:
    """Answer every call like the Messaging API would (after `delay` seconds), counting the answers.

    A bare asyncio HTTP/1.1 server: it shares the two cores with the bot, so it should cost as little as
    possible (http.server spent about 0.3 ms of CPU a call). The benchmark's reply tokens carry the time their
    webhook was sent, so the fake also knows how long each event waited for its answer;
    `GET /_answer_latency?reset=1` returns those waits (ms) and starts afresh.
    """
    waits: list[float] = []
    answer = b'{"sentMessages":[{"id":"1","quoteToken":"q"}]}'

    def response(body: bytes) -> bytes:
        return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n" + body)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                found = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
                raw = await reader.readexactly(int(found.group(1))) if found else b""
                path = head.split(b" ", 2)[1].decode("latin-1")
                if path.startswith("/_answer_latency"):
                    writer.write(response(json.dumps(waits).encode()))
                    if "reset=1" in path:
                        waits.clear()
                    continue
                if delay:  # a slow platform: the bot's worker threads wait on every call
                    await asyncio.sleep(delay)
                if path.endswith(("/message/reply", "/message/push")):  # an answer, by reply or (late) push
                    with replies.get_lock():
                        replies.value += 1
                    sent = re.search(rb'"replyToken":\s*"sent-([0-9.]+)-', raw)
                    if sent:
                        waits.append(1000 * (time.time() - float(sent.group(1))))
                writer.write(response(answer))
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
        ready.set()
        await server.serve_forever()

    asyncio.run(serve())


def answer_latency(api_port: int, reset: bool = True) -> list[float]:
    """The waits (ms) from sending a webhook to its answer reaching the fake API, since the last reset."""
    conn = http.client.HTTPConnection("127.0.0.1", api_port, timeout=10)
    conn.request("GET", "/_answer_latency?reset=1" if reset else "/_answer_latency")
    waits: list[float] = json.loads(conn.getresponse().read())
    conn.close()
    return sorted(waits)


# ---------------------------------------------------------------- requests

def webhook_body(rng: random.Random) -> bytes:
    """One text message event from a random user, with a fresh webhookEventId (so nothing is de-duplicated)."""
    event = {
        "type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": "U" + uuid.UUID(int=rng.getrandbits(128)).hex},
        "webhookEventId": uuid.UUID(int=rng.getrandbits(128)).hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
        "replyToken": f"sent-{time.time():.6f}-{rng.getrandbits(64):016x}",  # the fake API times the answer
        "message": {"type": "text", "id": str(rng.getrandbits(60)), "quoteToken": "q", "text": rng.choice(TEXTS)},
    }
    return json.dumps({"destination": "Ubench", "events": [event]}, ensure_ascii=False).encode("utf-8")


def signed(body: bytes) -> dict[str, str]:
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    return {"Content-Type": "application/json", "X-Line-Signature": signature}


def request_for(path: str, rng: random.Random) -> tuple[bytes, dict[str, str]]:
    if path == "/api/check":
        body = json.dumps({"text": rng.choice(TEXTS)}, ensure_ascii=False).encode("utf-8")
        return body, {"Content-Type": "application/json"}
    body = webhook_body(rng)
    return body, signed(body)


def connection_loop(port: int, path: str, start: float, seconds: float, interval: float | None,
                    offset: float, seed: int, out: list[tuple[float, int]]) -> None:
    """One keep-alive connection: requests on a fixed schedule (interval) or back to back (None)."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    end = start + seconds
    sent = 0
    while True:
        scheduled = start + offset + sent * interval if interval else time.perf_counter()
        if scheduled >= end or time.perf_counter() >= end:  # a server that falls behind gets fewer requests
            break
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        body, headers = request_for(path, rng)
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            status = 0
        out.append((time.perf_counter() - scheduled, status))
        sent += 1
    conn.close()


def client_process(port: int, path: str, start_wall: float, seconds: float, rate: float | None,
                   connections: int, first: int, total: int, queue: Any) -> None:
    """Several connections in one process; results go back through the queue."""
    start = time.perf_counter() + (start_wall - time.time())
    interval = total / rate if rate else None
    results: list[list[tuple[float, int]]] = [[] for _ in range(connections)]
    threads = []
    for i in range(connections):
        offset = (first + i) * interval / total if interval else 0.0
        t = threading.Thread(target=connection_loop, args=(port, path, start, seconds, interval, offset,
                                                           hash((path, first + i, start_wall)), results[i]))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    queue.put((path, [item for r in results for item in r], time.process_time()))


def run_phase(port: int, path: str, seconds: float, rate: float | None, connections: int,
              processes: int, probe_rate: float = 0.0) -> dict[str, Any]:
    """Drive one endpoint for `seconds`; returns throughput and latency percentiles (ms).

    `probe_rate`: meanwhile, one more connection sends that many requests a second to the bare endpoint, so the
    row also says what a request that does nothing waits for on the server under this load (row["probe"]).
    """
    queue: Any = mp.Queue()
    start_wall = time.time() + 0.5
    per = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
    jobs = [(path, rate, n, first, connections) for n, first in zip(per, _firsts(per), strict=True)]
    if probe_rate:
        jobs.append((BARE, probe_rate, 1, 0, 1))
    procs = []
    for job_path, job_rate, n, first, total in jobs:
        p = mp.Process(target=client_process, args=(port, job_path, start_wall, seconds, job_rate, n, first, total,
                                                    queue))
        p.start()
        procs.append(p)
    samples: dict[str, list[tuple[float, int]]] = {path: [], BARE: []}
    client_cpu = 0.0
    for _ in procs:
        job_path, got, cpu = queue.get(timeout=seconds + 60)
        samples[job_path] += got
        client_cpu += cpu
    for p in procs:
        p.join()
    mode = f"{rate:.0f}/s" if rate else f"max ({connections} conns)"
    row = {**_stats(samples[path], seconds), "path": path, "mode": mode,
           "scheduled": round(rate * seconds) if rate else None, "client_cpu": client_cpu}
    if probe_rate and path != BARE:
        row["probe"] = {**_stats(samples[BARE], seconds), "path": BARE, "mode": f"{probe_rate:.0f}/s beside"}
    return row


def _firsts(per: list[int]) -> list[int]:
    """The index of each client process's first connection."""
    return [sum(per[:i]) for i in range(len(per))]


def _stats(samples: list[tuple[float, int]], seconds: float) -> dict[str, Any]:
    """Requests, answered per second, non-200 answers, latency percentiles (ms)."""
    latencies = sorted(lat for lat, status in samples if status == 200)

    def pct(q: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")

    return {"requests": len(samples), "rps": len(latencies) / seconds,
            "errors": sum(1 for _, status in samples if status != 200), "p50": pct(0.50), "p90": pct(0.90),
            "p99": pct(0.99), "max": 1000 * latencies[-1] if latencies else float("nan")}


# ---------------------------------------------------------------- server

def server_env(api_port: int, workdir: Path, database_url: str | None, log_level: str, queue: str) -> dict[str, str]:
    """The variables of the web and worker processes: LINE on against the fake API, Slack off."""
    env = dict(os.environ)
    env.update({
        "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": "bench-token",
        "LINE_API_BASE_URL": f"http://127.0.0.1:{api_port}", "LINE_DATA_API_BASE_URL": f"http://127.0.0.1:{api_port}",
        "INSTANCE_PATH": str(workdir), "LOG_LEVEL": log_level, "LOG_FORMAT": "text", "PLAYGROUND": "1",
        "EVENT_QUEUE": queue,
    })
    env.pop("SLACK_BOT_TOKEN", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


class LogPeak(threading.Thread):
    """The largest the SQLite inbox's log (`sagi.sqlite3-inbox-wal`) grew, sampled every 0.2 s.

    The rounds copy it into the file outside the write turn, and it only starts afresh after a copy nothing was
    committed during: under steady load it could grow. It is emptied when the inbox runs empty.
    """

    def __init__(self, workdir: Path) -> None:
        super().__init__(daemon=True)
        self.path = workdir / "sagi.sqlite3-inbox-wal"
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            with contextlib.suppress(OSError):
                self.peak = max(self.peak, self.path.stat().st_size)


def start_gunicorn(port: int, workers: int, threads: int, env: dict[str, str], workdir: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--worker-class", "gthread",
            "--workers", str(workers), "--threads", str(threads), "--timeout", "30", "--keep-alive", "5",
            "--pythonpath", str(ROOT / "benchmarks"), "bench_app:app"]
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(workdir / "gunicorn.log", "wb"))


def start_worker(processes: int, env: dict[str, str], workdir: Path) -> subprocess.Popen[bytes]:
    """`python -m bot worker`, as the Procfile's worker line runs it (EVENT_QUEUE=database)."""
    argv = [sys.executable, "-m", "bot", "worker", "--processes", str(processes)]
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(workdir / "worker.log", "wb"))


def wait_ready(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not become ready (see gunicorn.log)")


def workers_of(master: int) -> list[int]:
    """The pids of gunicorn's workers (children of the master)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{master}\n" in status:
                pids.append(int(entry.name))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes (all their threads), from /proc/<pid>/stat."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def worker_memory_mb(master: int | None, with_master: bool = False) -> list[tuple[float, float]]:
    """(RSS, PSS) of each gunicorn worker (children of the master; the master too if asked), from /proc.

    PSS splits the pages a process shares (forked from one parent) between the processes sharing them.
    """
    sizes: list[tuple[float, float]] = []
    if master is None:
        return sizes
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        mine = fields.get("PPid", "").strip() == str(master) or (with_master and entry.name == str(master))
        if mine and "VmRSS" in fields:
            try:
                rollup = (entry / "smaps_rollup").read_text()
                pss = next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
            except (OSError, StopIteration):
                pss = 0
            sizes.append((int(fields["VmRSS"].split()[0]) / 1024, pss / 1024))
    return sorted(sizes)


def wait_drained(replies: Any, expected: int, timeout: float = 60.0) -> tuple[int, float]:
    """Wait until the bot has answered every webhook event (or stopped making progress)."""
    start = time.monotonic()
    last, last_change = -1, start
    while time.monotonic() - start < timeout:
        now = replies.value
        if now >= expected:
            break
        if now != last:
            last, last_change = now, time.monotonic()
        elif time.monotonic() - last_change > 5:
            break
        time.sleep(0.1)
    return replies.value, time.monotonic() - start


# ---------------------------------------------------------------- report

def pct(values: list[float], q: float) -> float:
    """The q-quantile of sorted values (nan when empty)."""
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def show(rows: list[dict[str, Any]]) -> None:
    head = ("endpoint", "load", "requests", "req/s", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms", "cpu ms/req")
    print(f"{head[0]:<16}{head[1]:<20}" + "".join(f"{h:>9}" for h in head[2:-1]) + f"{head[-1]:>12}")
    for r in rows:
        print(f"{r['path']:<16}{r['mode']:<20}{r['requests']:>9}{r['rps']:>9.0f}{r['errors']:>8}"
              f"{r['p50']:>9.1f}{r['p90']:>9.1f}{r['p99']:>9.1f}{r['max']:>9.1f}"
              f"{1000 * r['server_cpu'] / max(1, r['requests']):>12.2f}")
        if "probe" in r:  # the bare endpoint at the same time, on the same server
            b = r["probe"]
            print(f"{b['path']:<16}{b['mode']:<20}{b['requests']:>9}{b['rps']:>9.0f}{b['errors']:>8}"
                  f"{b['p50']:>9.1f}{b['p90']:>9.1f}{b['p99']:>9.1f}{b['max']:>9.1f}")


def show_answers(rows: list[dict[str, Any]]) -> None:
    """Per webhook phase: how many events were answered, how fast, and what each cost in CPU."""
    print(f"{'webhook events':<36}{'answered':>9}{'ans/s':>8}{'wait p50':>10}{'p99 ms':>9}{'max ms':>9}"
          f"{'cpu ms/event: server':>22}{'fake API':>9}{'clients':>8}")
    for r in rows:
        if "answered" not in r:
            continue
        waits = r["waits"]
        n = max(1, r["answered"])
        print(f"{r['mode']:<20}{r['accepted']:>7} accepted{r['answered']:>9}{r['answered_rate']:>8.0f}"
              f"{pct(waits, 0.5):>10.1f}{pct(waits, 0.99):>9.1f}{(waits[-1] if waits else float('nan')):>9.1f}"
              f"{1000 * r['server_cpu'] / n:>22.2f}{1000 * r['fake_cpu'] / n:>9.2f}{1000 * r['client_cpu'] / n:>8.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase (max 120)")
    parser.add_argument("--rate", type=float, default=500.0, help="fixed request rate of the paced phases")
    parser.add_argument("--connections", type=int, default=16, help="client keep-alive connections")
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the Procfile uses 3)")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (the Procfile uses 8)")
    parser.add_argument("--database-url", help="e.g. a PostgreSQL URL; default: SQLite in a temporary folder")
    parser.add_argument("--skip-api", action="store_true", help="leave out POST /api/check (synchronous detection)")
    parser.add_argument("--api-delay", type=float, default=0.0, help="seconds the fake LINE API waits before answering")
    parser.add_argument("--webhook-only", action="store_true", help="only /line/webhook at the fixed rate (soak runs)")
    parser.add_argument("--queue", default="database", choices=["memory", "database"],
                        help="EVENT_QUEUE: queue for `python -m bot worker` (the Procfile's worker line), or "
                             "answer in the web workers (its web line alone)")
    parser.add_argument("--answer-processes", type=int, default=2, help="worker processes with --queue database")
    parser.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="the server's LOG_LEVEL (production runs INFO: 3 lines per answered event)")
    args = parser.parse_args()
    seconds = max(1.0, min(MAX_SECONDS, args.seconds))

    replies = mp.Value("l", 0)
    ready = mp.Event()
    api_port, port = free_port(), free_port()
    fake = mp.Process(target=fake_line_api, args=(api_port, replies, ready, max(0.0, min(10.0, args.api_delay))),
                      daemon=True)
    fake.start()
    ready.wait(10)
    with tempfile.TemporaryDirectory(prefix="sagi-load-") as tmp:
        env = server_env(api_port, Path(tmp), args.database_url, args.log_level, args.queue)
        server = start_gunicorn(port, args.workers, args.threads, env, Path(tmp))
        answerer = start_worker(args.answer_processes, env, Path(tmp)) if args.queue == "database" else None
        log_peak = LogPeak(Path(tmp))
        if answerer and not args.database_url:
            log_peak.start()
        try:
            wait_ready(port)
            queue = (f"events queued for {args.answer_processes} worker processes" if answerer
                     else "events answered in the web workers")
            print(f"gunicorn gthread {args.workers} workers x {args.threads} threads on 127.0.0.1:{port}; {queue}; "
                  f"{os.cpu_count()} CPUs; {seconds:.0f} s per phase; "
                  f"database {'given URL' if args.database_url else 'SQLite (embedded)'}; "
                  f"fake LINE API delay {args.api_delay * 1000:.0f} ms", flush=True)
            run_phase(port, "/line/webhook", 2.0, 50.0, 2, 1)  # warm-up: imports, pools, caches
            wait_drained(replies, 100)
            answering = [answerer.pid, *workers_of(answerer.pid)] if answerer else []
            workers = workers_of(server.pid) + answering
            rows = []
            endpoints = [BARE, "/line/webhook"] + ([] if args.skip_api else ["/api/check"])
            modes: tuple[float | None, ...] = (args.rate, None)
            if args.webhook_only:
                endpoints, modes = ["/line/webhook"], (args.rate,)
            memory_start = worker_memory_mb(server.pid) + worker_memory_mb(answerer.pid if answerer else None, with_master=True)
            for path in endpoints:
                for rate in modes:
                    before = replies.value
                    answer_latency(api_port)  # reset
                    cpu_before = cpu_seconds(workers), cpu_seconds([fake.pid or 0])
                    probe = PROBE_RATE if path == "/line/webhook" and rate else 0.0
                    row = run_phase(port, path, seconds, rate, args.connections, args.processes, probe)
                    if path == "/line/webhook":  # let the workers finish before the next phase is measured
                        row["answered_in_phase"] = replies.value - before
                        row["accepted"] = row["requests"] - row["errors"]
                        got, waited = wait_drained(replies, before + row["accepted"])
                        row["answered"], row["drain"] = got - before, waited
                        row["answered_rate"] = row["answered"] / (seconds + waited)
                        row["waits"] = answer_latency(api_port)
                        row["fake_cpu"] = cpu_seconds([fake.pid or 0]) - cpu_before[1]
                    row["server_cpu"] = cpu_seconds(workers) - cpu_before[0]
                    rows.append(row)
                    print(f"  done: {path} {row['mode']}", file=sys.stderr, flush=True)
            memory = worker_memory_mb(server.pid) + worker_memory_mb(answerer.pid if answerer else None, with_master=True)
            log = (Path(tmp) / "gunicorn.log").read_text(errors="replace").splitlines()
            if answerer:
                log += (Path(tmp) / "worker.log").read_text(errors="replace").splitlines()
            failures = [line for line in log if "Traceback" in line or " ERROR " in line or "CRITICAL" in line]
            refusals = sum("backlog full" in line or "inbox full" in line for line in log)
            log_peak.stop.set()
        finally:
            if answerer:
                answerer.send_signal(signal.SIGTERM)
                try:
                    answerer.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    answerer.kill()
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            fake.terminate()
    print()
    show(rows)
    print()
    show_answers(rows)
    bare = {r["mode"]: r for r in rows if r["path"] == BARE}
    hook = {r["mode"]: r for r in rows if r["path"] == "/line/webhook"}
    print()
    for mode in hook:
        if mode in bare and bare[mode]["rps"] and bare[mode]["p99"]:
            print(f"{mode:<20} webhook vs bare: throughput {100 * (hook[mode]['rps'] / bare[mode]['rps'] - 1):+.0f}%, "
                  f"p99 {100 * (hook[mode]['p99'] / bare[mode]['p99'] - 1):+.0f}%")
        beside = hook[mode].get("probe")
        if beside and beside["p99"]:  # the same load on the server for both: what the webhook's own work adds
            print(f"{mode:<20} webhook vs bare beside it: p50 {hook[mode]['p50']:.1f} vs {beside['p50']:.1f} ms, "
                  f"p99 {hook[mode]['p99']:.1f} vs {beside['p99']:.1f} ms "
                  f"({100 * (hook[mode]['p99'] / beside['p99'] - 1):+.0f}%)")
    print(f"server log: {len(failures)} error lines or tracebacks, {refusals} deliveries refused (backlog full)")
    for line in failures[:5]:
        print("  " + line[:200])
    if log_peak.ident is not None:
        print(f"inbox log (SQLite -wal) at its largest: {log_peak.peak / 1e6:.1f} MB")
    if answerer:
        print("(memory: the web workers, then `python -m bot worker`: the dispatcher and its answering processes)")
    print("worker memory after warm-up: " + ", ".join(f"RSS {rss:.0f} MB (PSS {pss:.0f} MB)" for rss, pss in memory_start))
    print("worker memory at the end:    " + ", ".join(f"RSS {rss:.0f} MB (PSS {pss:.0f} MB)" for rss, pss in memory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
