"""Ingest speed: `briefing fetch` against feedparser alone (and newsboat where installed).

Serves 100 synthetic feeds x 100 items (~1.5 KB of HTML each) on 127.0.0.1, then times
in one run: feedparser parsing the same bytes in one process (the floor), `briefing
fetch` cold (everything parsed, facts extracted, stored) and warm (every feed 304),
and `newsboat -x reload` with a fresh cache, alternating runs.
Last line: ingest_vs_feedparser=R warm_vs_cold=R stored_vs_newsboat=R
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
        self.send_header("Content-Type", "application/rss+xml")
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


def time_briefing(home: Path, feeds_toml: Path) -> float:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "briefing", "--home", str(home), "--feeds",
                           str(feeds_toml), "fetch", "--quiet"], capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"briefing fetch failed: {proc.stderr[-500:]}")
    return elapsed


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
    args = parser.parse_args()

    bodies = [make_feed(n, args.items) for n in range(args.feeds)]
    _Handler.feeds = {f"/feed/{n}.xml": b for n, b in enumerate(bodies)}
    print(f"{args.feeds} feeds x {args.items} items, {sum(map(len, bodies)) / 2**20:.1f} MiB of XML")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    newsboat = shutil.which("newsboat")

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        feeds_toml = tmp / "feeds.toml"
        feeds_toml.write_text("[settings]\nconcurrency = 16\n" + "".join(
            f'[[feeds]]\nname = "Bench {n}"\nurl = "http://127.0.0.1:{port}/feed/{n}.xml"\n'
            for n in range(args.feeds)))
        urls = tmp / "urls"
        urls.write_text("".join(f"http://127.0.0.1:{port}/feed/{n}.xml\n" for n in range(args.feeds)))

        floor, cold, warm, boat = [], [], [], []
        for run in range(args.runs):
            home = tmp / f"home{run}"
            # First open loads the bundled samples; that is not what is measured here.
            subprocess.run([sys.executable, "-m", "briefing", "--home", str(home), "list", "--limit", "1"],
                           capture_output=True, check=True)
            floor.append(time_feedparser(bodies))
            cold.append(time_briefing(home, feeds_toml))
            warm.append(time_briefing(home, feeds_toml))
            if newsboat:
                boat.append(time_newsboat(urls, tmp))
            print(f"run {run + 1}: feedparser {floor[-1]:.2f}s  briefing cold {cold[-1]:.2f}s  "
                  f"warm {warm[-1]:.2f}s" + (f"  newsboat {boat[-1]:.2f}s" if boat else ""))
        stored = subprocess.run([sys.executable, "-m", "briefing", "--home", str(tmp / "home0"), "list",
                                 "--json"], capture_output=True, check=True).stdout
        import orjson

        n_stored = sum(1 for a in orjson.loads(stored) if str(a.get("feed", "")).startswith("Bench"))
        print(f"stored {n_stored} of {args.feeds * args.items} items")
    server.shutdown()

    f, c, w = statistics.median(floor), statistics.median(cold), statistics.median(warm)
    line = f"ingest_vs_feedparser={c / f:.2f} warm_vs_cold={w / c:.2f}"
    if boat:
        line += f" stored_vs_newsboat={c / statistics.median(boat):.2f}"
    else:
        line += " stored_vs_newsboat=nan"
    print(line)


if __name__ == "__main__":
    main()
