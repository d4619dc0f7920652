"""Benchmark 2, framework overhead on Slack HTTP mode: Sobria's Slack front-end against a bare slack-bolt app.

Slack shows the member an error when a slash command is not acknowledged
within 3 seconds, so what matters in HTTP mode is how fast and how steadily
the app acknowledges. The floor is a slack-bolt App whose only listener acks:
nothing Sobria does can be quicker than that on the same machine.

Both apps run in this process, one after the other, each served the same
way, by `adapters.slack.app.make_http_server` (the one `sobria run` uses in
HTTP mode: cheroot, the size limit and routes of `adapters.http_server`,
then slack-bolt's WSGI adapter) on a free port of 127.0.0.1:

* "bare": `App(...)` with `@app.command("/ia-log")` that only calls `ack()`;
* "sobria": the real `SlackAdapter` over a `Coach` and a fresh TinyDB store,
  which acknowledges, then logs the event, answers at the response URL and
  refreshes the member's App Home in its own threads, as in production.

The app being measured gets one processor core to itself (this process is
pinned to the first core it may use); the load, the fake Slack and anything
else run on the other cores. Each app thus serves from one core, as a Python
process mostly does because of its interpreter lock, and the comparison is
of what each app spends per request on that core, not of how the two cores
happen to be shared with the load. The load comes from a separate process:
N signed, form-encoded `/ia-log` requests with a prompt, spread over 8
concurrent clients, each a different member. Every Web API call and response
URL goes to a local fake Slack (tests/fake_slack.py) in a process of its own
at the lowest priority, as slack.com would be on another machine, so nothing
leaves the machine. The apps are measured in interleaved rounds (bare, Sobria,
bare, Sobria...), each after a short warm-up whose replies are all delivered
first, so that a slow moment of the shared machine hits both.

Two throughputs are printed for Sobria, because acknowledging is only half of
its work:

* acknowledged: requests / wall time until the last acknowledgement (read by
  the client). This is what Slack sees of the app, and the framework overhead
  the target is about: the target (85 % of the bare app's) is checked on it,
  as the median of the round-by-round ratios;
* answered: requests / wall time until the last reply reached the fake Slack.
  It is bounded by the engine's own work per command (storing with an fsync,
  scoring the prompt, wording the reply, refreshing the Home), which the bare
  app does not do; a burst faster than that is answered with a delay, shown
  as each command's reply lag (p50/p99/max, from its acknowledgement to its
  reply's arrival at the fake Slack; both processes read the same
  system-wide monotonic clock). The bare app sends no reply, so both of its
  figures are the same.

With `--compare-servers`, the bare app is also served, in the same
interleaved rounds, by each candidate WSGI server installed (cheroot, the
one in use; waitress; the standard library's `wsgiref`, threaded), all
running the same WSGI app: the figures that chose the server (see
adapters/http_server.py). A candidate that is not installed is named and
skipped (`pip install waitress` to measure it).

With `--compare-hooks`, it also measures what a reply to a response URL
costs the thread that posts it, over TLS on 127.0.0.1 (a throwaway
certificate made with the `openssl` command): slack_sdk's `WebhookClient`,
which opens a connection per reply, against the adapter's poster, which
keeps its connections (adapters/slack/hooks.py).

Usage:
    python benchmarks/slack_http_overhead.py                    # 2,000 requests each
    python benchmarks/slack_http_overhead.py --requests 200     # a quick run
    python benchmarks/slack_http_overhead.py --compare-servers  # also the bare app under each candidate server
    python benchmarks/slack_http_overhead.py --compare-hooks    # also a reply's cost, new or kept connection
    python benchmarks/slack_http_overhead.py --strict           # exit 1 when the target is missed
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tests"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

BOT_TOKEN = "xoxb-bench-bot-token"
SECRET = "bench-signing-secret"
TEAM = "T0001"
CLIENTS = 8
DEFAULT_REQUESTS = 2000
DEFAULT_ROUNDS = 5  # a round that other work on a shared machine slows down moves the ratio by 10 points or more
_APP_CORE = {min(os.sched_getaffinity(0))}
WARM_UP = 40  # requests sent before each timed run, not counted
THROUGHPUT_TARGET = 0.85  # Sobria's acknowledged requests/s at least this share of the bare app's
ANSWERED_TARGET = 400.0  # Sobria's answered requests/s (issue 19)
LAG_P99_TARGET_MS = 2000.0  # a reply's lag after its acknowledgement, 99th percentile (issue 19)
BARE = "bare slack-bolt (ack only)"
SOBRIA = "sobria"
SLACK_ACK_LIMIT_MS = 3000.0
CANDIDATE_SERVERS = ("cheroot", "waitress", "wsgiref")  # cheroot first: the one in use
PROMPTS = [
    "Tu es juriste. Rédige une clause de confidentialité pour un contrat de prestation, en 5 lignes.",
    "un logo pour la boulangerie",
    "Agis comme un expert SEO. Notre site vend des vélos d'occasion à Nantes. Propose 10 titres d'articles.",
    "Vous êtes consultant RH. Nous sommes une PME de 40 personnes. Rédigez l'annonce en 200 mots.",
]


def users() -> list[str]:
    return [f"U{i:03d}" for i in range(CLIENTS)]


# ---------------------------------------------------------------------- the load (a child process)
def load(url: str, hooks: str, label: str, total: int) -> dict[str, Any]:
    """Send `total` signed /ia-log commands from CLIENTS concurrent clients.

    Returns, per request, its status, its ack time and when the ack was read
    (time.monotonic(), the system-wide clock the fake Slack stamps replies with),
    keyed by its response URL's hook id; which acknowledgements carried the
    reply itself (Slack shows it as it shows a reply posted to the response URL);
    and the start and wall time of the run.
    """
    from fake_slack import is_message, send_slash_command, slash_payload

    def client(index: int) -> list[tuple[str, int, float, float, bool]]:
        user = users()[index]
        out = []
        for i in range(index, total, CLIENTS):
            hook = f"{label}-{i}"
            payload = slash_payload("/ia-log", f"text 2 chatgpt {PROMPTS[i % len(PROMPTS)]}", user_id=user,
                                    team_id=TEAM, response_url=f"{hooks}{hook}")
            sent = send_slash_command(url, SECRET, payload)
            in_ack = sent.status == 200 and sent.body.startswith("{") and is_message(json.loads(sent.body))
            out.append((hook, sent.status, sent.seconds * 1000, time.monotonic(), in_ack, user,
                        payload["trigger_id"]))
        return out

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = [r for rs in pool.map(client, range(CLIENTS)) for r in rs]
    wall = time.monotonic() - started
    return {"started": started, "wall_s": wall, "statuses": [r[1] for r in results],
            "ack_ms": [r[2] for r in results], "acked_at": {r[0]: r[3] for r in results},
            "in_ack": [r[0] for r in results if r[4]], "sent": [[r[5], r[6]] for r in results]}


def _child_load(url: str, hooks: str, label: str, total: int) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--role", "load", "--url", url, "--hooks", hooks,
                          "--label", label, "--requests", str(total)], capture_output=True, text=True,
                         preexec_fn=_to_other_cores)
    if out.returncode != 0:
        raise RuntimeError(f"the load process failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------- the fake Slack (a child process)
def _to_other_cores(pid: int = 0) -> None:
    """Keep a helper process (the load, the fake Slack) off the core of the app being measured."""
    others = set(os.sched_getaffinity(pid)) - _APP_CORE
    if others:
        os.sched_setaffinity(pid, others)


def fake_slack() -> None:
    """Run the fake Slack; print its base URL, then answer each line read.

    "posts": how many replies were received; "arrivals <prefix>": as JSON, when
    the first reply to each response URL whose hook id starts with the prefix arrived.
    It runs at the lowest priority: slack.com answers from Slack's machines, so
    its work should take from the measured app only what is left over.
    """
    from fake_slack import FakeSlack

    os.nice(19)

    class StampedFake(FakeSlack):
        """The fake Slack, noting when each response URL was first posted to (time.monotonic())."""

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.arrivals: dict[str, float] = {}

        async def _hook(self, request: Any) -> Any:
            self.arrivals.setdefault(request.match_info["hook"], time.monotonic())
            return await super()._hook(request)

    with StampedFake(team_id=TEAM) as fake:
        for user in users():
            fake.add_user(user, f"Membre {user}")
        print(fake.base_url, flush=True)
        for line in sys.stdin:
            order, _, prefix = line.strip().partition(" ")
            if order == "posts":
                print(len(fake.hook_posts), flush=True)
            elif order == "arrivals":
                print(json.dumps({k: v for k, v in list(fake.arrivals.items()) if k.startswith(prefix)}), flush=True)


class RemoteFake:
    """The fake Slack's child process, seen from the benchmark: its URLs and how many replies it has received."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, __file__, "--role", "fake"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, preexec_fn=_to_other_cores)
        assert self.proc.stdout is not None
        self.base_url = self.proc.stdout.readline().strip()
        if not self.base_url.startswith("http://127.0.0.1:"):
            self.close()
            raise RuntimeError("the fake Slack did not start")
        self.api_url = f"{self.base_url}/api/"

    def _ask(self, order: str) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(order + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline()

    def posts(self) -> int:
        return int(self._ask("posts"))

    def arrivals(self, prefix: str) -> dict[str, float]:
        """When the first reply to each response URL of a run (hook ids `prefix`…) arrived."""
        return json.loads(self._ask(f"arrivals {prefix}"))

    def wait_for_posts(self, expected: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.posts() < expected:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {self.posts()} of {expected} replies reached the fake Slack in time")
            time.sleep(0.05)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# ---------------------------------------------------------------------- the two apps
def serve_with(server: str, wsgi_app: Any) -> tuple[int, Callable[[], None]]:
    """Serve `wsgi_app` on a free loopback port with one of the candidate servers; (port, the function that stops it).

    cheroot is served exactly as `sobria run` serves it; the others with the
    same number of threads and the same backlog, in a thread of this process.
    """
    from adapters import http_server

    if server == "cheroot":
        served = http_server.HttpServer(wsgi_app, "127.0.0.1", 0).start()
        return served.port, served.stop
    if server == "waitress":
        import waitress

        listener = waitress.create_server(wsgi_app, host="127.0.0.1", port=0, threads=http_server.THREADS,
                                          backlog=http_server.BACKLOG, channel_timeout=http_server.READ_TIMEOUT)
        thread = threading.Thread(target=listener.run, daemon=True)
        thread.start()

        def stop_waitress() -> None:
            listener.close()
            listener.task_dispatcher.shutdown()
            thread.join(10)

        return int(listener.effective_port), stop_waitress
    if server == "wsgiref":
        from socketserver import ThreadingMixIn
        from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

        class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
            daemon_threads = True
            request_queue_size = http_server.BACKLOG

        class QuietHandler(WSGIRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

        listener = make_server("127.0.0.1", 0, wsgi_app, server_class=ThreadingWSGIServer, handler_class=QuietHandler)
        thread = threading.Thread(target=listener.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()

        def stop_wsgiref() -> None:
            listener.shutdown()
            thread.join(10)
            listener.server_close()

        return int(listener.server_address[1]), stop_wsgiref
    raise ValueError(server)


def installed_servers() -> tuple[list[str], list[str]]:
    """The candidate servers that can be measured here, and those that are not installed."""
    import importlib.util

    present = [s for s in CANDIDATE_SERVERS if s == "wsgiref" or importlib.util.find_spec(s) is not None]
    return present, [s for s in CANDIDATE_SERVERS if s not in present]


def measure(name: str, url: str, hooks: str, total: int,
            settle: Callable[[dict[str, Any]], None] = lambda warm: None) -> dict[str, Any]:
    """A warm-up, `settle(warm-up)` (which waits for the warm-up's replies), then the timed run, from the load process."""
    settle(_child_load(url, hooks, f"{name}-warm", WARM_UP))
    result = _child_load(url, hooks, name, total)
    print(f"  {name:10} {total:,} requests acknowledged in {result['wall_s']:.2f} s", flush=True)
    return result


def bare_slack_bolt(fake: Any) -> Any:
    """The floor: a slack-bolt App whose /ia-log listener only acks."""
    from slack_bolt import App
    from slack_sdk import WebClient

    app = App(client=WebClient(token=BOT_TOKEN, base_url=fake.api_url), signing_secret=SECRET,
              token_verification_enabled=False, process_before_response=True)

    @app.command("/ia-log")
    def _only_ack(ack: Callable[[], None]) -> None:
        ack()

    return app


def bare_app(fake: Any, total: int, label: str, server: str | None = None) -> dict[str, Any]:
    """The bare app served as Sobria is (`make_http_server`), or, when `server` is named, by that candidate server."""
    from adapters.slack.app import EVENTS_PATH, http_routes, make_http_server

    app = bare_slack_bolt(fake)
    if server is None:
        served = make_http_server(app, "127.0.0.1", 0).start()
        port, stop = served.port, served.stop
    else:
        port, stop = serve_with(server, http_routes(app))
    try:
        return measure(label, f"http://127.0.0.1:{port}{EVENTS_PATH}", f"{fake.base_url}/hooks/", total)
    finally:
        stop()


def sobria_app(fake: Any, total: int, label: str) -> dict[str, Any]:
    """The real SlackAdapter in HTTP mode over a Coach and a fresh TinyDB store; `label` names its hooks."""
    from fake_slack import http_config, running

    from adapters.slack.app import EVENTS_PATH, SlackAdapter
    from bot.commands.log import delivered_id
    from bot.core.coach import Coach
    from bot.store import open_store

    folder = tempfile.mkdtemp(prefix="sobria-bench-slack-")
    try:
        # no member is slowed down by the per-minute limit: this measures the path of an accepted log
        config = http_config(Path(folder) / "data", fake, BOT_TOKEN, SECRET,
                             limits={"logs_per_minute": 10 * (total + WARM_UP)})
        store = open_store(config.data_dir)
        try:
            with running(SlackAdapter(Coach(config, store), config, env={})) as adapter:
                url = f"http://127.0.0.1:{adapter.bound_port}{EVENTS_PATH}"
                before = fake.posts()  # replies of earlier runs
                warm: dict[str, Any] = {}

                def settle(run: dict[str, Any]) -> None:  # the warm-up's replies not in their acknowledgement
                    warm.update(run)
                    fake.wait_for_posts(before + WARM_UP - len(run["in_ack"]), timeout=60.0)

                result = measure(label, url, f"{fake.base_url}/hooks/", total, settle=settle)
                # replies that did not ride in their acknowledgement are still being posted: wait for them,
                # so the work is done before the figures
                expected = total + WARM_UP
                posted = expected - len(result["in_ack"]) - len(warm["in_ack"])
                fake.wait_for_posts(before + posted, timeout=max(60.0, total / 10))
                arrivals = fake.arrivals(label + "-")
            stored = [e.id for u in users() for e in store.member_events(TEAM, u)]
        finally:
            store.close()
        result["logged"] = len(stored)
        result["expected"] = expected
        # each command's log is found by the id its trigger gives it, and no id is stored twice
        sent = {delivered_id(TEAM, user, trigger) for user, trigger in result["sent"] + warm["sent"]}
        result["stored_once"] = len(sent) == expected and sorted(stored) == sorted(sent)
        # a reply in its acknowledgement was answered when the acknowledgement was read
        timed = {hook: at for hook, at in arrivals.items() if hook in result["acked_at"]}
        timed |= {hook: result["acked_at"][hook] for hook in result["in_ack"]}
        result["last_reply_s"] = max(timed.values()) - result["started"]
        result["lag_ms"] = [(timed[hook] - acked) * 1000 for hook, acked in result["acked_at"].items() if hook in timed]
        result["answered"] = len(timed)
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------- report
def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least pct % of the samples at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def _rates(total: int, r: dict[str, Any]) -> tuple[float, float]:
    """(acknowledged, answered) requests per second of one run."""
    return total / r["wall_s"], total / max(r["wall_s"], r.get("last_reply_s", 0.0))


def report(total: int, runs: dict[str, list[dict[str, Any]]], checked: str) -> bool:
    """Print every app's figures and the targets; True when they are met (every request acknowledged in time).

    Rates are the median over the rounds; ack times and reply lags pool every
    round's samples; the ratios to the bare app are taken round by round
    (each app beside the bare run just before it), then their median.
    """
    rounds = len(runs[BARE])
    print()
    print(f"Slack HTTP mode: {total:,} signed /ia-log requests from {CLIENTS} concurrent clients, on 127.0.0.1; "
          f"median of {rounds} interleaved round(s)")
    print(f"{'app':30}{'acknowledged':>13}{'answered':>10}{'ack p50':>10}{'ack p99':>10}{'ack max':>10}{'not 200':>9}")
    print(f"{'':30}{'req/s':>13}{'req/s':>10}")
    for name, results in runs.items():
        acked = statistics.median(_rates(total, r)[0] for r in results)
        answered = statistics.median(_rates(total, r)[1] for r in results)
        acks = [a for r in results for a in r["ack_ms"]]
        failed = sum(1 for r in results for s in r["statuses"] if s != 200)
        print(f"{name:30}{acked:>13.0f}{answered:>10.0f}{statistics.median(acks):>8.1f}ms"
              f"{percentile(acks, 99):>8.1f}ms{max(acks):>8.1f}ms{failed:>9}")
    ratios: dict[str, list[float]] = {}
    for name, results in runs.items():
        if name == BARE:
            continue
        lags = [lag for r in results for lag in r["lag_ms"]]
        tails = [r["last_reply_s"] - r["wall_s"] for r in results]
        logged = sum(r["logged"] for r in results)
        expected = sum(r["expected"] for r in results)
        print(f"{name}: {logged:,} of {expected:,} logs stored; reply lag after the ack p50 "
              f"{statistics.median(lags):.0f} ms, p99 {percentile(lags, 99):.0f} ms, max {max(lags):.0f} ms; "
              f"last reply {max(tails):.2f} s after the last acknowledgement at worst")
        ratios[name] = [_rates(total, r)[0] / _rates(total, b)[0] for r, b in zip(results, runs[BARE])]
        answered = [_rates(total, r)[1] / _rates(total, b)[1] for r, b in zip(results, runs[BARE])]
        print(f"  / bare, round by round: acknowledged {', '.join(f'{x:.0%}' for x in ratios[name])}; "
              f"answered {', '.join(f'{x:.0%}' for x in answered)}")
    ratio = statistics.median(ratios[checked])
    sobria_runs = [r for name, results in runs.items() if name != BARE for r in results]
    all_acked = all(s == 200 for results in runs.values() for r in results for s in r["statuses"])
    all_logged = all(r["stored_once"] for r in sobria_runs)
    slowest = max(max(r["ack_ms"]) for r in sobria_runs)
    in_time = slowest < SLACK_ACK_LIMIT_MS
    checked_runs = runs[checked]
    answered_rate = statistics.median(_rates(total, r)[1] for r in checked_runs)
    lag_p99 = percentile([lag for r in checked_runs for lag in r["lag_ms"]], 99)
    all_answered = all(r["answered"] == total for r in checked_runs)
    in_ack = sum(len(r["in_ack"]) for r in checked_runs)
    print(f"{checked}: {in_ack:,} of {total * len(checked_runs):,} replies rode in their acknowledgement")
    checks = [
        (ratio >= THROUGHPUT_TARGET, f"acknowledged throughput of {checked} ≥ {THROUGHPUT_TARGET:.0%} of the bare "
                                     f"slack-bolt app's (median of the rounds): {ratio:.0%}"),
        (answered_rate >= ANSWERED_TARGET, f"answered ≥ {ANSWERED_TARGET:.0f} per second (median of the rounds): "
                                           f"{answered_rate:.0f}/s"),
        (lag_p99 <= LAG_P99_TARGET_MS and all_answered, f"reply lag p99 after the acknowledgement ≤ "
                                                        f"{LAG_P99_TARGET_MS / 1000:.0f} s, every command answered: "
                                                        f"{lag_p99:.0f} ms"),
        (all_acked, "every request acknowledged with HTTP 200"),
        (all_logged, "every command stored exactly once, found by the id its trigger gives its log"),
        (in_time, f"every acknowledgement within Slack's 3 s: slowest {slowest:.0f} ms"),
    ]
    print("Targets:")
    for ok, what in checks:
        print(f"  {'met    ' if ok else 'NOT met'} {what}")
    return all(ok for ok, _ in checks)


def report_servers(total: int, by_server: dict[str, list[dict[str, Any]]], missing: list[str]) -> None:
    """The bare app's figures under each candidate server (the same WSGI app, the same rounds)."""
    print()
    print(f"WSGI servers, the bare slack-bolt app served by each (same WSGI app, {http_threads()} threads, "
          f"one core); median of the rounds:")
    print(f"{'server':30}{'req/s':>13}{'ack p50':>10}{'ack p99':>10}{'ack max':>10}{'not 200':>9}")
    for server, results in by_server.items():
        rate = statistics.median(total / r["wall_s"] for r in results)
        acks = [a for r in results for a in r["ack_ms"]]
        failed = sum(1 for r in results for s in r["statuses"] if s != 200)
        rounds = ", ".join(f"{total / r['wall_s']:,.0f}" for r in results)
        print(f"{server + (' (in use)' if server == CANDIDATE_SERVERS[0] else ''):30}{rate:>13,.0f}"
              f"{statistics.median(acks):>8.1f}ms{percentile(acks, 99):>8.1f}ms{max(acks):>8.1f}ms{failed:>9}"
              f"   rounds: {rounds}")
    for server in missing:
        print(f"{server:30}{'not installed (pip install ' + server + ')':>13}")


# ---------------------------------------------------------------------- response URLs over TLS
HOOK_POSTS = 300


def tls_hooks_server(cert: str, key: str) -> None:
    """Response URLs over TLS (a child process): every POST answered 200 "ok", connections kept alive."""
    import ssl
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Hook(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = 1 << 16  # the answer's head and body in one segment

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def compare_hooks() -> None:
    """Processor time of the posting thread and wall time per reply: a new connection each, or a kept one."""
    import ssl

    from slack_sdk.webhook import WebhookClient

    from adapters.slack.app import API_TIMEOUT, retry_handlers
    from adapters.slack.hooks import ResponseUrlPoster

    print()
    openssl = shutil.which("openssl")
    if openssl is None:
        print("Response URLs over TLS: skipped, the openssl command is not installed")
        return
    folder = tempfile.mkdtemp(prefix="sobria-bench-tls-")
    cert, key = f"{folder}/cert.pem", f"{folder}/key.pem"
    server = None
    try:
        subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-keyout", key, "-out", cert, "-days", "1", "-nodes", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
        server = subprocess.Popen([sys.executable, __file__, "--role", "tls-hooks", "--cert", cert, "--key", key],
                                  stdout=subprocess.PIPE, text=True, preexec_fn=_to_other_cores)
        assert server.stdout is not None
        url = f"https://127.0.0.1:{int(server.stdout.readline())}/hooks/"
        trusted = ssl.create_default_context(cafile=cert)
        reply = {"response_type": "ephemeral", "replace_original": False, "text": "4 images notées (midjourney)",
                 "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 600}}] * 3}
        poster = ResponseUrlPoster(retry_handlers(), API_TIMEOUT, connections=1, tls=trusted)
        ways: dict[str, Callable[[int], Any]] = {
            "WebhookClient, a connection per reply": lambda i: WebhookClient(
                f"{url}{i}", timeout=API_TIMEOUT, ssl=trusted, retry_handlers=retry_handlers()).send_dict(reply),
            "kept connection (adapters/slack/hooks.py)": lambda i: poster.post(f"{url}{i}", reply),
        }
        print(f"Response URLs over TLS on 127.0.0.1: {HOOK_POSTS} replies in a row, per reply")
        print(f"{'':44}{'posting thread CPU':>20}{'wall':>10}")
        for name, post in ways.items():
            for i in range(20):  # warm-up
                post(i)
            cpu, wall = time.thread_time(), time.perf_counter()
            for i in range(HOOK_POSTS):
                post(i)
            cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
            print(f"{name:44}{cpu / HOOK_POSTS * 1000:>18.2f}ms{wall / HOOK_POSTS * 1000:>8.2f}ms")
        poster.close()
    finally:
        if server is not None:
            server.kill()
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)


def http_threads() -> int:
    from adapters import http_server

    return http_server.THREADS


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--requests", type=int, default=DEFAULT_REQUESTS,
                   help=f"timed requests sent to each app (default: {DEFAULT_REQUESTS})")
    p.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS,
                   help=f"times each app is measured, interleaved (default: {DEFAULT_ROUNDS})")
    p.add_argument("--compare-servers", action="store_true",
                   help="also serve the bare app by each candidate WSGI server installed (cheroot, waitress, wsgiref)")
    p.add_argument("--compare-hooks", action="store_true",
                   help="also measure a reply over TLS: a new connection each (WebhookClient) or a kept one")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    p.add_argument("--role", choices=["load", "fake", "tls-hooks"], help=argparse.SUPPRESS)
    p.add_argument("--cert", help=argparse.SUPPRESS)
    p.add_argument("--key", help=argparse.SUPPRESS)
    p.add_argument("--url", help=argparse.SUPPRESS)
    p.add_argument("--hooks", help=argparse.SUPPRESS)
    p.add_argument("--label", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.requests < CLIENTS:
        p.error(f"--requests must be at least {CLIENTS}")

    if args.role == "load":
        print(json.dumps(load(args.url, args.hooks, args.label, args.requests)))
        return 0

    if args.role == "fake":
        fake_slack()
        return 0

    if args.role == "tls-hooks":
        tls_hooks_server(args.cert, args.key)
        return 0

    if len(os.sched_getaffinity(0)) > 1:  # the apps are served by this process: give it a core of its own
        os.sched_setaffinity(0, _APP_CORE)
    print(f"Slack HTTP overhead benchmark: {args.requests:,} requests per app, {CLIENTS} clients; "
          f"{os.cpu_count()} CPU(s)", flush=True)
    servers, missing = installed_servers() if args.compare_servers else ([], [])
    fake = RemoteFake()
    runs: dict[str, list[dict[str, Any]]] = {BARE: [], SOBRIA: []}
    by_server: dict[str, list[dict[str, Any]]] = {server: [] for server in servers}
    try:
        for r in range(1, args.rounds + 1):  # interleaved, so that a slow moment of the machine hits every app
            runs[BARE].append(bare_app(fake, args.requests, f"bare-r{r}"))
            runs[SOBRIA].append(sobria_app(fake, args.requests, f"sobria-r{r}"))
            for server in servers:
                by_server[server].append(bare_app(fake, args.requests, f"{server}-r{r}", server=server))
    finally:
        fake.close()
    ok = report(args.requests, runs, checked=SOBRIA)
    if args.compare_servers:
        report_servers(args.requests, by_server, missing)
    if args.compare_hooks:
        compare_hooks()
    return 1 if (args.strict and not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
