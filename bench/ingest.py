"""Ingest speed: `briefing fetch` against feedparser alone (and newsboat where installed).

Serves 100 synthetic feeds x 100 items (~1.5 KB of HTML each) on 127.0.0.1, then times
in one run, alternating: `newsboat -x reload` with a fresh cache, feedparser parsing the
same bytes in one process (the floor), `briefing fetch --progress json` cold, read from
its events: readable (the last feed's articles stored; a second `briefing list --json`
at that moment must list all of them) and enriched (the last facts committed), then warm
(every feed 304). Medians over the runs.

The summary-only variant: 20 more loopback hosts (127.0.0.2...), each serving a feed of 25
items whose descriptions are one sentence, and each item's article page (the story amid a
site's navigation, scripts and footer) on the same host. `briefing fetch` with
`full_text = "auto"` and the default politeness (two pages at once per host, 0.5 s between
starts; a budget large enough for every page) fetches each page in phase 2; the rate is
read from its `full_text` events, first to last, and every article must be full text after.
Last line: readable_vs_newsboat=R enriched_vs_newsboat=R warm_vs_cold=R readable_s=S enriched_s=S
fulltext_pages_per_s=N
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# Enough names, places and subjects that items differ the way real news does: the
# pipeline's per-article work (facts, story clustering) is then measured on fair input.
FIRST = ("Maria Ahmet Olena James Li Fatima Pierre Sergei Ana Kenji Amara Tomasz Ingrid Rahul Chen "
         "Leila Diego Yusuf Hanna Kwame Sofia Mikhail Aisha Lukas Mei Omar Elena Jonas Priya Carlos "
         "Nadia Felix Zainab Andrei Yuki Tariq Greta Malik Ines Viktor").split()
LAST = ("Kowalski Yilmaz Shevchenko Carter Wei Haddad Dubois Ivanov Silva Sato Okafor Nowak Larsen "
        "Sharma Zhang Mansour Alvarez Demir Virtanen Mensah Rossi Petrov Bello Schneider Tanaka Aziz "
        "Popescu Berg Iyer Moreno Kaya Novak Adeyemi Horvat Kimura Rahman Lindqvist Costa Volkov "
        "Fischer").split()
PLACES = ("Ankara Brussels Kyiv Cairo Warsaw Tbilisi Baku Athens Vienna Doha Nairobi Lagos Jakarta "
          "Hanoi Lima Bogota Santiago Oslo Helsinki Riga Vilnius Tallinn Bucharest Sofia Belgrade "
          "Zagreb Tunis Algiers Rabat Amman Beirut Riyadh Muscat Tashkent Almaty Yerevan Chisinau "
          "Minsk Dhaka Manila Seoul Taipei Canberra Ottawa Havana Quito Accra Dakar Kampala Lusaka").split()
ORGS = ["the European Commission", "Gazprom", "NATO", "the World Bank", "the UN Security Council",
        "the African Union", "the IMF", "OPEC", "the Council of Europe", "Siemens Energy",
        "the Asian Development Bank", "Rosatom", "the WHO", "Equinor", "the OSCE", "Petrobras",
        "the European Central Bank", "Airbus", "the Arab League", "ASEAN"]
VERBS = ["said", "told reporters", "announced", "warned", "added", "confirmed", "stressed"]
NOUNS = ("talks pipeline sanctions budget agreement elections exports ceasefire tariffs vaccine "
         "reforms subsidies drought refinery railway grid strike protests census bond audit merger "
         "treaty drills harvest inflation corridor port summit inquiry blockade").split()


def _sentence(rng: random.Random) -> str:
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    kind = rng.randrange(4)
    if kind == 0:
        return (f"{person}, a senior official in {rng.choice(PLACES)}, {rng.choice(VERBS)} the "
                f"{rng.choice(NOUNS)} would resume on {rng.choice(['Monday', 'Tuesday', 'Friday'])}.")
    if kind == 1:
        return (f"{rng.choice(ORGS).capitalize()} approved ${rng.randint(2, 90)} billion for "
                f"{rng.choice(NOUNS)}, up {rng.randint(2, 40)}% from last year.")
    if kind == 2:
        return (f"\u201cWe will not accept {rng.choice(NOUNS)} without guarantees,\u201d "
                f"{person} {rng.choice(VERBS)} in {rng.choice(PLACES)}.")
    return (f"Officials in {rng.choice(PLACES)} and {rng.choice(PLACES)} discussed the "
            f"{rng.choice(NOUNS)} on {rng.randint(1, 28)} {rng.choice(['March', 'April', 'May'])}.")


def make_feed(n: int, items: int) -> bytes:
    rng = random.Random(n)
    base = datetime(2026, 11, 20, tzinfo=UTC)
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
             f"<title>Bench feed {n}</title><link>http://127.0.0.1/feed/{n}</link>"
             f"<description>Synthetic feed {n}</description>"]
    for i in range(items):
        paras = []
        size = 0
        while size < 1300:
            para = " ".join(_sentence(rng) for _ in range(3))
            paras.append(f"<p>{para}</p>")
            size += len(para) + 7
        html = "".join(paras)
        escaped = html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        when = format_datetime(base - timedelta(minutes=n * 100 + i))
        parts.append(
            f"<item><title>{_sentence(rng)[:90]}</title><link>http://127.0.0.1/a/{n}/{i}</link>"
            f"<guid>bench-{n}-{i}</guid><pubDate>{when}</pubDate>"
            f"<description>{escaped}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def _paragraphs(rng: random.Random, size: int) -> list[str]:
    paras: list[str] = []
    total = 0
    while total < size:
        para = " ".join(_sentence(rng) for _ in range(3))
        paras.append(para)
        total += len(para)
    return paras


def _chrome(rng: random.Random) -> tuple[str, str]:
    """A news site's page around its story: navigation, scripts, related links, footer."""
    nav = "".join(f'<li><a href="/section/{w}">{w.capitalize()}</a></li>' for w in rng.sample(NOUNS, 20))
    data = ",".join(f'{{"k{i}":"{rng.random()}"}}' for i in range(300))
    script = f"<script>window.dataLayer=[{data}]</script>"
    related = "".join(f'<li><a href="/r/{i}">{_sentence(rng)[:70]}</a></li>' for i in range(12))
    head = (f"<html><head><meta charset='utf-8'>{script}<style>body{{margin:0}}</style></head><body>"
            f"<header><nav><ul>{nav}</ul></nav></header><main>")
    tail = (f"</main><aside><h2>Related</h2><ul>{related}</ul></aside>"
            "<footer><p>Copyright Bench News. All rights reserved.</p><p>Cookies | Privacy | Terms</p>"
            "</footer></body></html>")
    return head, tail


def make_summary_site(k: int, items: int, host: str, port: int) -> dict[str, bytes]:
    """One summary-only feed and its article pages: {path: body}."""
    rng = random.Random(1000 + k)
    base = datetime(2026, 11, 20, tzinfo=UTC)
    served: dict[str, bytes] = {}
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
             f"<title>Summary feed {k}</title><link>http://{host}:{port}/</link>"
             f"<description>Synthetic summary-only feed {k}</description>"]
    for i in range(items):
        title = _sentence(rng)[:90]
        story = _paragraphs(rng, 2500)
        head, tail = _chrome(rng)
        served[f"/s/{k}/{i}"] = (f"{head}<article><h1>{title}</h1>"
                                 + "".join(f"<p>{p}</p>" for p in story) + f"</article>{tail}").encode()
        when = format_datetime(base - timedelta(minutes=k * 100 + i))
        parts.append(f"<item><title>{title}</title><link>http://{host}:{port}/s/{k}/{i}</link>"
                     f"<guid>summary-{k}-{i}</guid><pubDate>{when}</pubDate>"
                     f"<description>{story[0].split('.')[0]}.</description></item>")
    parts.append("</channel></rss>")
    served[f"/s/{k}/feed.xml"] = "".join(parts).encode()
    return served


class _Handler(BaseHTTPRequestHandler):
    feeds: dict[str, bytes] = {}
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        body = self.feeds.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8" if "/s/" in self.path
                         and not self.path.endswith(".xml") else "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def time_feedparser(bodies: list[bytes]) -> float:
    code = (
        "import sys, time, pickle, feedparser\n"
        "bodies = pickle.load(sys.stdin.buffer)\n"
        "t = time.perf_counter()\n"
        "for b in bodies:\n"
        "    d = feedparser.parse(b, sanitize_html=False, resolve_relative_uris=False)\n"
        "    assert len(d.entries) > 0\n"
        "print(time.perf_counter() - t)\n"
    )
    import pickle

    out = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(bodies),
                         capture_output=True, check=True)
    return float(out.stdout.decode().strip())


def time_briefing(home: Path, feeds_toml: Path, *, check: int = 0) -> tuple[float, float, float]:
    """(readable, enriched, total) seconds of one `briefing fetch`: readable when the last
    feed's articles are stored (the first phase-2 event, or the end, shows it was the last),
    enriched at the last phase-2 event. With `check`, a second process lists the store at
    the readable moment and must find `check` articles of the bench feeds."""
    import orjson

    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "briefing", "--home", str(home), "--feeds",
                             str(feeds_toml), "fetch", "--progress", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    readable = enriched = None
    last_stored = start
    for line in proc.stdout:
        step = orjson.loads(line)
        if step["event"] == "stored":
            last_stored = step["t"]
        elif step["event"] == "enriched":
            if readable is None:
                readable = last_stored - start
                if check:
                    listed = _listed(home)
                    if listed != check:
                        raise SystemExit(f"readable but a second process lists {listed} of {check}")
            enriched = step["t"] - start
    proc.wait()
    total = time.monotonic() - start
    if proc.returncode != 0:
        detail = proc.stderr.read().decode()[-500:] if proc.stderr else ""
        raise SystemExit(f"briefing fetch failed: {detail}")
    readable = readable if readable is not None else last_stored - start
    return readable, enriched if enriched is not None else readable, total


def time_full_text(home: Path, feeds_toml: Path) -> tuple[float, int]:
    """(pages per second, pages) of one `briefing fetch` of the summary-only feeds, from its
    `full_text` events: the first (the phase starts) to the last (the last page settled)."""
    import orjson

    proc = subprocess.Popen([sys.executable, "-m", "briefing", "--home", str(home), "--feeds",
                             str(feeds_toml), "fetch", "--progress", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    first = last = None
    pages = 0
    for line in proc.stdout:
        step = orjson.loads(line)
        if step["event"] == "full_text":
            first = step["t"] if first is None else first
            last, pages = step["t"], step["pages"]
    proc.wait()
    if proc.returncode != 0 or first is None or last is None or last <= first:
        detail = proc.stderr.read().decode()[-500:] if proc.stderr else ""
        raise SystemExit(f"briefing fetch of the summary-only feeds failed: {detail}")
    return pages / (last - first), pages


def _kinds(home: Path) -> dict[str, int]:
    import orjson

    out = subprocess.run([sys.executable, "-m", "briefing", "--home", str(home), "list", "--json"],
                         capture_output=True, check=True).stdout
    kinds: dict[str, int] = {}
    for a in orjson.loads(out):
        if str(a.get("feed", "")).startswith("Summary"):
            kinds[a["text_kind"]] = kinds.get(a["text_kind"], 0) + 1
    return kinds


def _serve(host: str, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _listed(home: Path) -> int:
    import orjson

    out = subprocess.run([sys.executable, "-m", "briefing", "--home", str(home), "list", "--json"],
                         capture_output=True, check=True).stdout
    return sum(1 for a in orjson.loads(out) if str(a.get("feed", "")).startswith("Bench"))


def time_newsboat(urls: Path, tmp: Path) -> float:
    cache = tmp / "newsboat-cache.db"
    cache.unlink(missing_ok=True)
    config = tmp / "newsboat-config"
    config.write_text("reload-threads 8\n")
    t = time.perf_counter()
    subprocess.run(["newsboat", "-u", str(urls), "-c", str(cache), "-C", str(config), "-x", "reload"],
                   capture_output=True, check=True, timeout=600)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--summary-hosts", type=int, default=20,
                        help="loopback hosts (127.0.0.2...) of the summary-only variant")
    parser.add_argument("--summary-items", type=int, default=25, help="items per summary-only feed")
    args = parser.parse_args()

    bodies = [make_feed(n, args.items) for n in range(args.feeds)]
    _Handler.feeds = {f"/feed/{n}.xml": b for n, b in enumerate(bodies)}
    print(f"{args.feeds} feeds x {args.items} items, {sum(map(len, bodies)) / 2**20:.1f} MiB of XML")
    server = _serve("127.0.0.1", 0)
    port = server.server_address[1]
    newsboat = shutil.which("newsboat")
    hosts = [f"127.0.0.{k + 2}" for k in range(args.summary_hosts)]
    site_servers = [_serve(host, port) for host in hosts]
    for k, host in enumerate(hosts):
        _Handler.feeds.update(make_summary_site(k, args.summary_items, host, port))
    page_count = args.summary_hosts * args.summary_items

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        feeds_toml = tmp / "feeds.toml"
        feeds_toml.write_text("[settings]\nconcurrency = 16\n" + "".join(
            f'[[feeds]]\nname = "Bench {n}"\nurl = "http://127.0.0.1:{port}/feed/{n}.xml"\n'
            for n in range(args.feeds)))
        urls = tmp / "urls"
        urls.write_text("".join(f"http://127.0.0.1:{port}/feed/{n}.xml\n" for n in range(args.feeds)))

        floor, readable, enriched, cold, warm, boat = [], [], [], [], [], []
        for run in range(args.runs):
            home = tmp / f"home{run}"
            # First open loads the bundled samples; that is not what is measured here.
            subprocess.run([sys.executable, "-m", "briefing", "--home", str(home), "list", "--limit", "1"],
                           capture_output=True, check=True)
            if newsboat:  # alternated with ours, so both see the same machine
                boat.append(time_newsboat(urls, tmp))
            floor.append(time_feedparser(bodies))
            r, e, c = time_briefing(home, feeds_toml, check=args.feeds * args.items if run == 0 else 0)
            readable.append(r)
            enriched.append(e)
            cold.append(c)
            warm.append(time_briefing(home, feeds_toml)[2])
            print(f"run {run + 1}: feedparser {floor[-1]:.2f}s  briefing readable {r:.2f}s  enriched "
                  f"{e:.2f}s  (cold total {c:.2f}s)  warm {warm[-1]:.2f}s"
                  + (f"  newsboat {boat[-1]:.2f}s" if boat else "  (newsboat not installed: "
                     "apt-get install newsboat)"))
        stored = _listed(tmp / "home0")
        print(f"stored {stored} of {args.feeds * args.items} items")

        summary_toml = tmp / "summary.toml"
        summary_toml.write_text(f"[settings]\nconcurrency = 16\nfull_text = \"auto\"\n"
                                f"full_text_budget = {page_count}\n" + "".join(
            f'[[feeds]]\nname = "Summary {k}"\nurl = "http://{host}:{port}/s/{k}/feed.xml"\n'
            for k, host in enumerate(hosts)))
        unthrottled_toml = tmp / "unthrottled.toml"
        unthrottled_toml.write_text(summary_toml.read_text().replace(
            'full_text = "auto"\n', 'full_text = "auto"\nfull_text_gap = 0\n'))
        rates: list[float] = []
        unthrottled: list[float] = []
        for run in range(args.runs):
            variants = (("", summary_toml, rates), (" (no gap)", unthrottled_toml, unthrottled))
            for label, toml, into in variants:
                if label and run:
                    continue  # one run shows what the code does with politeness off
                home = tmp / f"summary{run}{label.strip(' ()').replace(' ', '-')}"
                subprocess.run([sys.executable, "-m", "briefing", "--home", str(home), "list", "--limit",
                                "1"], capture_output=True, check=True)
                rate, pages = time_full_text(home, toml)
                kinds = _kinds(home)
                if pages != page_count or kinds != {"full": page_count}:
                    raise SystemExit(f"summary-only run: {pages} pages settled, text kinds {kinds}")
                into.append(rate)
                print(f"summary-only run {run + 1}{label}: {pages} pages from {len(hosts)} hosts at "
                      f"{rate:.1f} pages/s, every article full text")
    server.shutdown()
    for site in site_servers:
        site.shutdown()

    f, c, w = statistics.median(floor), statistics.median(cold), statistics.median(warm)
    r, e = statistics.median(readable), statistics.median(enriched)
    if boat:
        b = statistics.median(boat)
        ratios = f"readable_vs_newsboat={r / b:.2f} enriched_vs_newsboat={e / b:.2f}"
    else:
        ratios = "readable_vs_newsboat=nan enriched_vs_newsboat=nan"
    p = statistics.median(rates)
    ceiling = len(hosts) / 0.5  # one start per host every full_text_gap (0.5 s)
    print(f"feedparser alone {f:.2f}s; readable_vs_feedparser={r / f:.2f}")
    print(f"full text: {p:.1f} pages/s over {len(hosts)} hosts with the default politeness (one start "
          f"per host every 0.5 s: {ceiling:.0f}/s in the long run); {unthrottled[0]:.1f} pages/s with no gap")
    print(f"{ratios} warm_vs_cold={w / c:.2f} readable_s={r:.2f} enriched_s={e:.2f} "
          f"fulltext_pages_per_s={p:.1f}")


if __name__ == "__main__":
    main()
