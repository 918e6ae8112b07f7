"""Synthetic OCDS compiled releases for `bench/procurement.py` (and the importer's tests).

Realistic in shape rather than in economics: a tender with its method, details, period and value;
a buyer and a procuring entity drawn from a few hundred organisations; parties; one to eight
bids with dates, statuses, amounts (mostly in the main currency) and tenderers drawn from a pool
of suppliers, some of whom bid often; awards (mostly one active award to the lowest valid
bidder, sometimes pending, cancelled or to another bidder) with classified items; contracts.
Every red flag the R rules look for occurs now and then. Same seed, same file.
"""

from __future__ import annotations

import datetime as dt
import gzip
import random
from pathlib import Path
from typing import Any

import msgspec

METHODS = (("open", 0.6), ("selective", 0.15), ("limited", 0.15), ("direct", 0.1))
DETAILS = {
    "open": ("Licitación Pública", "Licitación Pública Internacional"),
    "selective": ("Licitación Restringida",),
    "limited": ("Cotización", "Comparación de Precios", "Sorteo de Obras"),
    "direct": ("Contratación Directa",),
}
BID_STATUSES = (
    ("valid", 0.78),
    ("disqualified", 0.15),
    ("pending", 0.03),
    ("withdrawn", 0.02),
    ("invited", 0.02),
)
SEGMENTS = tuple(range(10, 96))
START = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    roll, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if roll < total:
            return value
    return weighted[-1][0]


def _time(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _org(prefix: str, number: int, role: str) -> dict[str, Any]:
    return {
        "id": f"{prefix}-{number:06d}",
        "name": f"{role} {number}",
        "roles": [role],
        "address": {"streetAddress": f"Calle {number}", "locality": "Ciudad", "countryName": "Atlantis"},
        "contactPoint": {"name": f"Contacto {number}", "email": f"c{number}@example.org"},
    }


def release(rng: random.Random, number: int, *, buyers: int, suppliers: int, currency: str) -> dict[str, Any]:
    """The compiled release of process `number`."""
    method = _pick(rng, METHODS)
    details = rng.choice(DETAILS[method])
    start = START + dt.timedelta(minutes=rng.randrange(4 * 365 * 24 * 60))
    end = start + dt.timedelta(days=rng.choice((3, 5, 7, 10, 14, 15, 20, 30, 45)), hours=rng.randrange(24))
    buyer = _org("BUY", rng.randrange(buyers), "buyer")
    entity = buyer if rng.random() < 0.7 else _org("PE", rng.randrange(buyers // 4 + 1), "procuringEntity")
    estimate = round(rng.lognormvariate(11, 1.2), 2)
    count = 1 if method == "direct" else rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8))
    # a few suppliers bid very often (the top tenderers of R025)
    bidders = (
        rng.sample(range(suppliers), count)
        if rng.random() < 0.9
        else [rng.randrange(50) for _ in range(count)]
    )
    bids: list[dict[str, Any]] = []
    parties = [buyer | {"roles": ["buyer"]}]
    for index, bidder in enumerate(bidders):
        status = _pick(rng, BID_STATUSES)
        amount = round(estimate * rng.uniform(0.8, 1.25), 2)
        if index and rng.random() < 0.03:
            amount = bids[0]["value"]["amount"]  # identical prices (R028)
        tenderer = _org("SUP", bidder, "tenderer")
        parties.append(tenderer)
        bids.append(
            {
                "id": f"{number}-bid-{index}",
                "date": _time(end - dt.timedelta(hours=rng.randrange(1, 200))),
                "status": status,
                "value": {"amount": amount, "currency": currency if rng.random() < 0.97 else "EUR"},
                "tenderers": [{"id": tenderer["id"], "name": tenderer["name"]}],
            }
        )
    valid = sorted((bid for bid in bids if bid["status"] == "valid"), key=lambda bid: bid["value"]["amount"])
    awards = []
    if valid and rng.random() < 0.92:
        winner = valid[0] if rng.random() < 0.85 else rng.choice(valid)
        if rng.random() < 0.02:
            winner["date"] = _time(end + dt.timedelta(days=rng.randrange(1, 10)))  # late bid won (R030)
        status = _pick(rng, (("active", 0.9), ("pending", 0.05), ("cancelled", 0.05)))
        items = [
            {
                "id": str(position),
                "description": "item",
                "classification": {
                    "scheme": "UNSPSC",
                    "id": f"{rng.choice(SEGMENTS)}{rng.randrange(1000000):06d}",
                },
                "quantity": rng.randrange(1, 100),
            }
            for position in range(rng.choice((1, 1, 2, 3)))
        ]
        awards.append(
            {
                "id": f"{number}-award-0",
                "status": status,
                "date": _time(end + dt.timedelta(days=rng.randrange(5, 40))),
                "value": {"amount": winner["value"]["amount"], "currency": winner["value"]["currency"]},
                "suppliers": winner["tenderers"],
                "items": items,
            }
        )
    ocid = f"ocds-lq{number // 1000000:02d}-{number:08d}"
    data: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-compiled",
        "date": _time(end + dt.timedelta(days=60)),
        "tag": ["compiled"],
        "initiationType": "tender",
        "language": "es",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "parties": parties,
        "tender": {
            "id": f"{ocid}-tender",
            "title": f"Adquisición {number}",
            "status": "cancelled" if rng.random() < 0.02 else "complete",
            "procurementMethod": method,
            "procurementMethodDetails": details,
            "procuringEntity": {"id": entity["id"], "name": entity["name"]},
            "value": {"amount": estimate, "currency": currency},
            "tenderPeriod": {"startDate": _time(start), "endDate": _time(end)},
            "numberOfTenderers": count,
        },
        "bids": {"details": bids},
        "awards": awards,
    }
    if awards and awards[0]["status"] == "active":
        data["contracts"] = [
            {
                "id": f"{ocid}-contract-0",
                "awardID": awards[0]["id"],
                "status": "active",
                "value": awards[0]["value"],
                "dateSigned": awards[0]["date"],
            }
        ]
    return data


def generate_releases(
    path: str | Path, releases: int, *, seed: int = 1, currency: str = "USD", compress: bool = False
) -> Path:
    """Write `releases` compiled releases, one per line, to `path` (gzip when `compress`)."""
    path = Path(path)
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    buyers, suppliers = max(10, releases // 500), max(50, releases // 20)
    encoder = msgspec.json.Encoder()
    opener = gzip.open if compress else open
    with opener(path, "wb") as handle:
        batch: list[bytes] = []
        for number in range(releases):
            batch.append(
                encoder.encode(release(rng, number, buyers=buyers, suppliers=suppliers, currency=currency))
            )
            if len(batch) == 10_000:
                handle.write(b"\n".join(batch) + b"\n")
                batch.clear()
        if batch:
            handle.write(b"\n".join(batch) + b"\n")
    return path
