"""The R rules' fixtures, written from Cardinal's methodology (docs/cli/indicators/R/0NN.md and the
global settings of docs/cli/indicators/index.md): each flag, each exclusion, each boundary.

Expected fences are worked out here by hand from the text's formula (statrs' R-8 quartiles, the
quantile Cardinal uses), never by running the rule.
"""

from __future__ import annotations

from tests.analytics.engine.ocds_kit import Case, award, bid, priced, release

DAY = "2024-03-{:02d}T00:00:00Z"


def _period(days: int, start: str = "2024-03-01T00:00:00Z") -> tuple[str, str]:
    return (start, DAY.format(1 + days))


R003 = [
    Case(
        "R003-shorter-than-15-days",
        "R003",
        (release("F", period=_period(14)), release("OK", period=_period(15))),
        {"ocid:F": "1.0"},
    ),
    Case(
        "R003-whole-days-and-offsets",
        "R003",
        (
            # 14 days 23 hours: 14 whole days
            release("F", period=("2024-03-01T00:00:00Z", "2024-03-15T23:00:00Z")),
            # 08:00+08:00 is midnight UTC; the end (16:00 UTC) is 15 days 16 hours later
            release("OK", period=("2024-03-01T08:00:00+08:00", "2024-03-17T00:00:00+08:00")),
            # not RFC 3339 (no time): not calculated
            release("DATE-ONLY", period=("2024-03-01", "2024-03-02")),
        ),
        {"ocid:F": "1.0"},
    ),
    Case(
        "R003-procurement-methods",
        "R003",
        (
            release("OPEN", period=_period(3)),
            release("LIMITED", period=_period(3), method="limited"),
            release("NONE", period=_period(3), method=None),
        ),
        {"ocid:OPEN": "1.0"},
        {"procurement_methods": "open|selective"},
    ),
    Case(
        "R003-all-methods-by-default",
        "R003",
        (
            release("LIMITED", period=_period(3), method="limited"),
            release("NONE", period=_period(3), method=None),
        ),
        {"ocid:LIMITED": "1.0", "ocid:NONE": "1.0"},
    ),
    Case(
        "R003-threshold-per-procurement-method-details",
        "R003",
        (
            release("C6", period=_period(6), details="Cotización"),
            release("C7", period=_period(7), details="Cotización"),
            release("L9", period=_period(9), details="Licitación de Seguros"),
            release("L10", period=_period(10), details="Licitación de Seguros"),
            release("OTHER14", period=_period(14), details="Otro"),
        ),
        {"ocid:C6": "1.0", "ocid:L9": "1.0", "ocid:OTHER14": "1.0"},
        {"procurement_method_details": "Cotización:7|Licitación de Seguros:10"},
    ),
    Case(
        "R003-threshold-setting",
        "R003",
        (release("F", period=_period(0)), release("OK", period=_period(1))),
        {"ocid:F": "1.0"},
        {"threshold": "1"},
    ),
    Case(
        "R003-cancelled-and-excluded-processes",
        "R003",
        (
            release("CANCELLED", period=_period(3), status="cancelled"),
            release("RANDOM", period=_period(3), details="Random Selection"),
            release("F", period=_period(3), details="Licitación"),
        ),
        {"ocid:F": "1.0"},
        {"exclusions_procurement_method_details": "Random Selection|Sorteo de Obras"},
    ),
]

R018 = [
    Case(
        "R018-single-tenderer-competitive",
        "R018",
        (
            release("OPEN", tenderers=1),
            release("SELECTIVE", tenderers=1, method="selective"),
            release("LIMITED", tenderers=1, method="limited"),
            release("DIRECT", tenderers=1, method="direct"),
            release("TWO", tenderers=2),
            release("ZERO", tenderers=0),
            release("FLOAT", tenderers=1.0),
            release("TEXT", tenderers="1"),
            release("CANCELLED", tenderers=1, status="cancelled"),
        ),
        {"ocid:OPEN": "1.0", "ocid:SELECTIVE": "1.0"},
    ),
    Case(
        "R018-procurement-methods-setting",
        "R018",
        (release("OPEN", tenderers=1), release("LIMITED", tenderers=1, method="limited")),
        {"ocid:LIMITED": "1.0"},
        {"procurement_methods": "limited"},
    ),
]


# Differences (L - W) / W of eight processes: 0.01, 0.1, 0.1, 0.12, 0.14, 0.15, 0.16, 0.2 (W = 100).
# Q1 at h = (3n + 5) / 12 = 29/12 -> x2 + 5/12 (x3 - x2) = 0.1; Q3 at h = (9n + 7) / 12 = 79/12
# -> x6 + 7/12 (x7 - x6) = 0.155833...; lower fence 0.1 - 1.5 * 0.055833 = 0.01625 (flags 0.01);
# upper fence 0.155833 + 0.08375 = 0.239583 (flags none of them).
_SPREAD = [
    ("P1", 101),
    ("P2", 110),
    ("P3", 110),
    ("P4", 112),
    ("P5", 114),
    ("P6", 115),
    ("P7", 116),
    ("P8", 120),
]


def _population(extra: tuple[tuple[str, float], ...] = ()) -> tuple:
    return tuple(priced(ocid, 100, ("L", second)) for ocid, second in list(_SPREAD) + list(extra))


R024 = [
    Case(
        "R024-low-outlier-flags-process-winner-and-second",
        "R024",
        _population(),
        {"ocid:P1": "0.01", "tenderer:W": "0.0", "tenderer:L": "0.0"},
    ),
    Case(
        "R024-threshold-boundary-is-flagged",
        "R024",
        (priced("AT", 100, ("L", 105)), priced("ABOVE", 100, ("M", 106))),
        {"ocid:AT": "0.05", "tenderer:W": "0.0", "tenderer:L": "0.0"},
        {"threshold": "0.05"},
    ),
    Case(
        "R024-second-lowest-valid-bid-in-main-currency",
        "R024",
        (
            release(
                "F",
                bids=[
                    bid("W", 100),
                    bid("M", 200),
                    bid("L", 101),
                    bid("X", 100.5, status="disqualified"),
                    bid("Y", 100.1, currency="EUR"),
                    bid("Z", 100.2, status="pending"),
                    bid("W", 150),
                ],
                awards=[award("W")],
            ),
        ),
        {"ocid:F": "0.01", "tenderer:W": "0.0", "tenderer:L": "0.0"},
        {"threshold": "0.02", "currency": "USD"},
    ),
    Case(
        "R024-exclusions",
        "R024",
        (
            # an award is pending
            release(
                "PENDING",
                bids=[bid("W", 100), bid("L", 101)],
                awards=[award("W"), award("L", status="pending")],
            ),
            # the winning bid is not the lowest
            priced("NOT-LOWEST", 100, ("L", 99)),
            # several active awards
            release("TWO-AWARDS", bids=[bid("W", 100), bid("L", 101)], awards=[award("W"), award("L")]),
            # a bid submitted by several tenderers
            release(
                "CONSORTIUM", bids=[bid("W", 100), bid(["L", "M"], 101), bid("N", 101)], awards=[award("W")]
            ),
            # an award to several suppliers
            release("JOINT", bids=[bid("W", 100), bid("L", 101)], awards=[award(["W", "L"])]),
            # prices predetermined by the buyer
            priced("RANDOM", 100, ("L", 101), details="Random Selection"),
            # cancelled
            priced("CANCELLED", 100, ("L", 101), status="cancelled"),
            # the only comparable other bid is in another currency
            release("EURO", bids=[bid("W", 100), bid("L", 101, currency="EUR")], awards=[award("W")]),
            # a cancelled and an unsuccessful award do not stop the active one
            release(
                "F",
                bids=[bid("W", 100), bid("L", 101)],
                awards=[award("W"), award("L", status="cancelled"), award("M", status="unsuccessful")],
            ),
        ),
        {"ocid:F": "0.01", "tenderer:W": "0.0", "tenderer:L": "0.0"},
        {
            "threshold": "0.02",
            "no_price_comparison_procurement_methods": "Random Selection",
            "currency": "USD",
        },
    ),
    Case(
        "R024-price-comparison-allow-list",
        "R024",
        (
            priced("AUCTION", 100, ("L", 101), details="Reverse Auction"),
            priced("OTHER", 100, ("M", 101), details="Other"),
            priced("NONE", 100, ("N", 101)),
        ),
        {"ocid:AUCTION": "0.01", "tenderer:W": "0.0", "tenderer:L": "0.0"},
        {"threshold": "0.02", "price_comparison_procurement_methods": "Reverse Auction"},
    ),
    Case(
        "R024-no-flag-while-q1-is-zero",
        "R024",
        (*tuple(priced(f"Z{i}", 100, ("L", 100)) for i in range(3)), priced("P", 100, ("L", 101))),
        {},
    ),
]

R058 = [
    Case(
        "R058-high-outlier-flags-process-and-winner",
        "R058",
        _population((("P9", 130),)),
        # with 0.3 added (n = 9): Q1 at h = 32/12 -> 0.1 + 8/12 * 0 = 0.1; Q3 at h = 88/12 -> x7 +
        # 4/12 (x8 - x7) = 0.16 + 0.04/3 = 0.17333; upper fence 0.17333 + 0.11 = 0.28333 (flags 0.3)
        {"ocid:P9": "0.3", "tenderer:W": "0.0"},
    ),
    Case(
        "R058-threshold-boundary-is-flagged",
        "R058",
        (priced("AT", 100, ("L", 150)), priced("BELOW", 100, ("M", 149))),
        {"ocid:AT": "0.5", "tenderer:W": "0.0"},
        {"threshold": "0.5"},
    ),
    Case(
        "R058-exclusions",
        "R058",
        (
            release(
                "PENDING",
                bids=[bid("W", 100), bid("L", 900)],
                awards=[award("W"), award("L", status="pending")],
            ),
            priced("NOT-LOWEST", 100, ("L", 10)),
            release("TWO-AWARDS", bids=[bid("W", 100), bid("L", 900)], awards=[award("W"), award("L")]),
            release("CONSORTIUM", bids=[bid(["W", "V"], 100), bid("L", 900)], awards=[award("W")]),
            release("JOINT", bids=[bid("W", 100), bid("L", 900)], awards=[award(["W", "L"])]),
            priced("F", 100, ("L", 900)),
        ),
        {"ocid:F": "8.0", "tenderer:W": "0.0"},
        {"threshold": "0.5"},
    ),
]

# R025: tenderers' valid bids in processes with one sole winner. A wins 1 of 4, B 2 of 2, C 1 of 1,
# D 1 of 1 (its process with a pending award does not count), E 0 of 1.
_R025 = (
    release("P1", bids=[bid("A", 1), bid("B", 2)], awards=[award("B")]),
    release("P2", bids=[bid("A", 1), bid("B", 2), bid("E", 3)], awards=[award("B")]),
    release("P3", bids=[bid("A", 1), bid("A", 2), bid("C", 3)], awards=[award("C")]),
    release("P4", bids=[bid("A", 1), bid("D", 2)], awards=[award("A")]),
    release("P5", bids=[bid("D", 1), bid("A", 2, status="disqualified")], awards=[award("D")]),
    release("PENDING", bids=[bid("A", 1), bid("D", 2)], awards=[award("D", status="pending")]),
    release("JOINT", bids=[bid("A", 1), bid("D", 2)], awards=[award(["A", "D"])]),
)
# processes per tenderer A 4, B 2, C 1, D 2, E 1 -> sorted 1, 1, 2, 2, 4; 75th percentile at
# h = 79/12 ... n = 5: h = (3*5+1)*75/100/3 + 1/3 = 13/3 -> x4 + 1/3 (x5 - x4) = 2 + 2/3 = 2.667
# ratios A 0.25, B 1, C 1, D 1, E 0 -> sorted 0, 0.25, 1, 1, 1; Q1 at h = (15 + 5) / 12 = 5/3 ->
# 0 + 2/3 * 0.25 = 1/6; Q3 at h = 52/12 -> 1; lower fence 1/6 - 1.25 < 0: nothing by default.
R025 = [
    Case("R025-no-flag-while-lower-fence-is-not-positive", "R025", _R025, {}),
    Case(
        "R025-threshold-and-top-tenderers",
        "R025",
        _R025,
        # A: 4 processes >= 2.667 and 0.25 <= 0.25; E: ratio 0 but only 1 process
        {"tenderer:A": "0.25"},
        {"threshold": "0.25"},
    ),
    Case(
        "R025-percentile-setting",
        "R025",
        _R025,
        # the 0th percentile is the minimum (1 process): E qualifies too
        {"tenderer:A": "0.25", "tenderer:E": "0.0"},
        {"threshold": "0.25", "percentile": "0"},
    ),
]

R028 = [
    Case(
        "R028-identical-prices-of-different-tenderers",
        "R028",
        (
            release("F", bids=[bid("A", 100), bid("B", 100), bid("C", 101)]),
            release("SAME-TENDERER", bids=[bid("A", 100), bid("A", 100)]),
            release("OTHER-CURRENCY", bids=[bid("A", 100), bid("B", 100, currency="EUR")]),
            release("WITHDRAWN", bids=[bid("A", 100), bid("B", 100, status="withdrawn")]),
            release("INVITED", bids=[bid("A", 100), bid("B", 100, status="invited")]),
            release("NO-ID", bids=[bid("A", 100), bid(None, 100)]),
            release("RANDOM", bids=[bid("A", 100), bid("B", 100)], details="Random Selection"),
        ),
        {"ocid:F": "1.0", "tenderer:A": "1.0", "tenderer:B": "1.0"},
        {"no_price_comparison_procurement_methods": "Random Selection"},
    ),
    Case(
        "R028-consortium-and-disqualified-bids-count",
        "R028",
        (
            release("G", bids=[bid(["C", "D"], 50), bid("C", 50)]),
            release("H", bids=[bid("E", 7, status="disqualified"), bid("F", 7, status="pending")]),
        ),
        {
            "ocid:G": "1.0",
            "ocid:H": "1.0",
            "tenderer:C": "1.0",
            "tenderer:D": "1.0",
            "tenderer:E": "1.0",
            "tenderer:F": "1.0",
        },
    ),
]

_END = "2024-03-15T00:00:00Z"
R030 = [
    Case(
        "R030-late-winning-bid",
        "R030",
        (
            release(
                "F",
                period=("2024-03-01T00:00:00Z", _END),
                bids=[bid("W", 1, date="2024-04-01T00:00:00Z"), bid("L", 2, date="2024-03-14T00:00:00Z")],
                awards=[award("W")],
            ),
            release(
                "ON-TIME",
                period=("2024-03-01T00:00:00Z", _END),
                bids=[bid("V", 1, date=_END)],
                awards=[award("V")],
            ),
            release(
                "LATE-LOSER",
                period=("2024-03-01T00:00:00Z", _END),
                bids=[bid("U", 1, date="2024-04-01T00:00:00Z"), bid("T", 2, date="2024-03-02T00:00:00Z")],
                awards=[award("T")],
            ),
            release(
                "LATE-DISQUALIFIED",
                period=("2024-03-01T00:00:00Z", _END),
                bids=[bid("S", 1, date="2024-04-01T00:00:00Z", status="disqualified")],
                awards=[award("S")],
            ),
            release(
                "PENDING-AWARD",
                period=("2024-03-01T00:00:00Z", _END),
                bids=[bid("R", 1, date="2024-04-01T00:00:00Z")],
                awards=[award("R", status="pending")],
            ),
        ),
        {"ocid:F": "1.0", "tenderer:W": "1.0"},
    ),
]

R035 = [
    Case(
        "R035-all-except-winner-disqualified",
        "R035",
        (
            release(
                "F",
                bids=[bid("W", 1), bid("A", 2, status="disqualified"), bid("B", 3, status="disqualified")],
                awards=[award("W")],
            ),
            release("ONE", bids=[bid("V", 1), bid("A", 2, status="disqualified")], awards=[award("V")]),
            release(
                "TWO-VALID",
                bids=[bid("U", 1), bid("C", 2), bid("A", 3, status="disqualified")],
                awards=[award("U")],
            ),
            release(
                "OTHER-WINNER", bids=[bid("T", 1), bid("A", 2, status="disqualified")], awards=[award("Z")]
            ),
            release(
                "PENDING",
                bids=[bid("S", 1), bid("A", 2, status="disqualified")],
                awards=[award("S"), award("A", status="pending")],
            ),
            release("OWN-BID", bids=[bid("R", 1), bid("R", 2, status="disqualified")], awards=[award("R")]),
        ),
        {"ocid:F": "2.0", "ocid:ONE": "1.0", "tenderer:W": "0.0", "tenderer:V": "0.0"},
    ),
    Case(
        "R035-threshold-setting",
        "R035",
        (
            release(
                "F",
                bids=[bid("W", 1), bid("A", 2, status="disqualified"), bid("B", 3, status="disqualified")],
                awards=[award("W")],
            ),
            release("ONE", bids=[bid("V", 1), bid("A", 2, status="disqualified")], awards=[award("V")]),
        ),
        {"ocid:F": "2.0", "tenderer:W": "0.0"},
        {"threshold": "2"},
    ),
]

R036 = [
    Case(
        "R036-lowest-bid-disqualified",
        "R036",
        (
            release("F", bids=[bid("A", 90, status="disqualified"), bid("B", 100)], awards=[award("B")]),
            release(
                "LOWEST-VALID", bids=[bid("A", 100, status="disqualified"), bid("B", 90)], awards=[award("B")]
            ),
            release("NO-ACTIVE-AWARD", bids=[bid("A", 90, status="disqualified"), bid("B", 100)], awards=[]),
            release(
                "NO-VALID",
                bids=[bid("A", 90, status="disqualified"), bid("B", 100, status="pending")],
                awards=[award("B")],
            ),
            release(
                "OTHER-CURRENCY",
                bids=[bid("A", 1, status="disqualified", currency="EUR"), bid("B", 100)],
                awards=[award("B")],
            ),
            release(
                "WITHDRAWN",
                bids=[bid("A", 1, status="withdrawn"), bid("B", 100)],
                awards=[award("B")],
            ),
            release(
                "RANDOM",
                bids=[bid("A", 90, status="disqualified"), bid("B", 100)],
                awards=[award("B")],
                details="Random Selection",
            ),
            release(
                "TIE-FIRST-WINS",
                bids=[bid("A", 90, status="disqualified"), bid("B", 90)],
                awards=[award("B")],
            ),
            release(
                "TIE-VALID-FIRST",
                bids=[bid("B", 90), bid("A", 90, status="disqualified")],
                awards=[award("B")],
            ),
        ),
        {"ocid:F": "1.0", "ocid:TIE-FIRST-WINS": "1.0"},
        {"no_price_comparison_procurement_methods": "Random Selection", "currency": "USD"},
    ),
]


def _r038_process(ocid: str, buyer: str, statuses: str, tenderers: str | list[str]) -> dict:
    """statuses: one letter per bid, v valid / d disqualified; tenderers: one letter each."""
    kinds = {"v": "valid", "d": "disqualified", "p": "pending", "w": "withdrawn"}
    return release(
        ocid,
        buyer=buyer,
        entity=f"E{buyer}",
        bids=[bid(who, 1, status=kinds[kind]) for kind, who in zip(statuses, tenderers, strict=True)],
    )


def _r038_buyers(pairs: list[tuple[str, str]]) -> tuple:
    """Buyer B<b> with two processes of the given statuses, every bid from a tenderer of its own."""
    return tuple(
        _r038_process(f"P{b}{i}", f"B{b}", statuses, [f"T{b}{i}{k}" for k in range(len(statuses))])
        for b, pair in enumerate(pairs)
        for i, statuses in enumerate(pair)
    )


R038 = [
    Case(
        "R038-threshold-boundaries-and-minimums",
        "R038",
        (
            # buyer B1: 2 processes, 2 of 4 submitted bids disqualified (0.5); the withdrawn bid does not count
            _r038_process("P1", "B1", "vdw", "ABC"),
            _r038_process("P2", "B1", "vd", "AB"),
            # buyer B2: 1 process only (minimum 2), all disqualified
            _r038_process("P3", "B2", "dd", "CD"),
            # buyer B3: 2 processes, 1 of 4 (0.25)
            _r038_process("P4", "B3", "vv", "EF"),
            _r038_process("P5", "B3", "vd", "EF"),
        ),
        # tenderers: A 0/2, B 2/2, C 1/1 (one bid < 2), D 1/1, E 0/2, F 1/2
        {
            "buyer:B1": "0.5",
            "procuring_entity:EB1": "0.5",
            "tenderer:B": "1.0",
            "tenderer:F": "0.5",
        },
        {"threshold": "0.5"},
    ),
    Case(
        "R038-minimum-settings",
        "R038",
        (
            _r038_process("P1", "B1", "vdw", "ABC"),
            _r038_process("P2", "B1", "vd", "AB"),
            _r038_process("P3", "B2", "dd", "CD"),
        ),
        {
            "buyer:B1": "0.5",
            "buyer:B2": "1.0",
            "procuring_entity:EB1": "0.5",
            "procuring_entity:EB2": "1.0",
            "tenderer:B": "1.0",
            "tenderer:C": "1.0",
            "tenderer:D": "1.0",
        },
        {"threshold": "0.5", "minimum_contracting_processes": "1", "minimum_submitted_bids": "1"},
    ),
    Case(
        "R038-upper-fence-not-reached",
        "R038",
        # five buyers of 2 processes, ratios 0, 0, 0, 0.25, 1 (each bid from its own tenderer, so no
        # tenderer reaches 2 bids). R-8, n = 5: Q1 at h = 5/3 -> 0; Q3 at h = 13/3 -> x4 + 1/3 (x5 - x4)
        # = 0.25 + 0.25 = 0.5; upper fence 0.5 + 0.75 = 1.25: nobody.
        _r038_buyers([("vv", "vv"), ("vv", "vv"), ("vv", "vv"), ("vv", "vd"), ("dd", "dd")]),
        {},
    ),
    Case(
        "R038-upper-fence-flags-high-outlier",
        "R038",
        # five buyers at 0, two at 0.25 and one at 1: n = 8, Q1 at h = 29/12 -> 0; Q3 at h = 79/12 ->
        # x6 + 7/12 (x7 - x6) = 0.25; fence 0.25 + 0.375 = 0.625: flags the buyer at 1.
        _r038_buyers([("vv", "vv")] * 5 + [("vv", "vd"), ("vd", "vv"), ("dd", "dd")]),
        {"buyer:B7": "1.0", "procuring_entity:EB7": "1.0"},
    ),
    Case(
        "R038-zero-fence-flags-nobody",
        "R038",
        # seven buyers at 0 and one at 0.5: Q1 = Q3 = 0, the fence is 0, which must be > 0
        _r038_buyers([("vv", "vv")] * 7 + [("vd", "vd")]),
        {},
    ),
]


def _r048_award(ocid: str, supplier: str, *codes: str) -> dict:
    return release(ocid, awards=[award(supplier, items=codes)])


R048 = [
    Case(
        "R048-threshold-digits-and-minimum",
        "R048",
        (
            # S1: 2 processes, segments 12, 13, 14 -> 3
            _r048_award("A1", "S1", "12000000", "13000000"),
            _r048_award("A2", "S1", "14000000", "12100000"),
            # S2: 2 processes, segments 12 only -> 1 (3 with 3 digits)
            _r048_award("B1", "S2", "12000000", "12100000"),
            _r048_award("B2", "S2", "12200000"),
            # S3: 1 process with 5 segments: below the minimum
            _r048_award("C1", "S3", "10", "11", "12", "13", "14"),
            # an award to two suppliers, and a pending award, are not counted
            release("D1", awards=[award(["S2", "S4"], items=["20000000", "21000000", "22000000"])]),
            release("D2", awards=[award("S2", status="pending", items=["23000000", "24000000"])]),
        ),
        {"tenderer:S1": "3.0"},
        {"threshold": "3", "minimum_contracting_processes": "2"},
    ),
    Case(
        "R048-digits-setting",
        "R048",
        (
            _r048_award("B1", "S2", "12000000", "12100000"),
            _r048_award("B2", "S2", "12200000"),
        ),
        {"tenderer:S2": "3.0"},
        {"threshold": "3", "minimum_contracting_processes": "2", "digits": "3"},
    ),
    Case(
        "R048-upper-fence",
        "R048",
        # varieties of five suppliers with 1 process each: 1, 1, 1, 2, 6. R-8, n = 5: Q1 at 5/3 -> 1;
        # Q3 at 13/3 -> 2 + 1/3 * 4 = 3.333; fence 3.333 + 3.5 = 6.833: nobody; with varieties
        # 1, 1, 1, 1, 1, 1, 1, 9 (n = 8): Q1 = Q3 = 1, fence 1: everybody (no guard in R048).
        (
            *tuple(_r048_award(f"X{i}", f"S{i}", f"{10 + i}000000") for i in range(7)),
            _r048_award("X9", "S9", *[f"{20 + k}000000" for k in range(9)]),
        ),
        {f"tenderer:S{i}": "1.0" for i in range(7)} | {"tenderer:S9": "9.0"},
        {"minimum_contracting_processes": "1"},
    ),
]

CASES: list[Case] = R003 + R018 + R024 + R025 + R028 + R030 + R035 + R036 + R038 + R048 + R058
