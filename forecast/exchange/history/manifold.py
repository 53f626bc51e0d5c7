"""Manifold's API JSON: markets (``GET /v0/market/[id]`` or ``/v0/markets``: ``FullMarket`` /
``LiteMarket``) and bets (``GET /v0/bets``: ``Bet``), saved together as ``{"markets": [...],
"bets": [...]}`` (optionally ``"users": [...]`` from ``/v0/users`` to name traders), or as a
folder holding ``markets.json`` and ``bets.json``. Times are milliseconds since 1970.

What is imported as what — a trade's price is not the trader's belief (someone buying YES at
30% may think 31% or 90%, or be closing a position), so no trader gets a forecast:

- a BINARY market -> a binary question (``closeTime`` -> closes, ``createdTime`` -> opens,
  ``resolution`` YES/NO -> resolved at ``resolutionTime``; CANCEL or MKT (a resolution to a
  probability) -> annulled);
- a MULTIPLE_CHOICE market whose answers sum to one -> a multi-outcome question (the answers'
  texts; a resolution to one answer id -> that outcome), with no price history (one trade moves
  one answer's price, so the vector after it is not in the data);
- the market's price after each filled, uncancelled trade on a binary market -> a forecast by
  the forecaster ``manifold market`` (the crowd's price, as a crowd forecast; the last trade in
  a second stands for that second), so the market can be scored beside the team;
- each bet's trader is counted in the summary, nothing more. Other market types are skipped
  with a warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from questions.errors import InvalidInput

from .predictionbook import load_json
from .records import (
    ANNULLED,
    Batch,
    HistoryForecast,
    HistoryQuestion,
    RowError,
    epoch_ms,
    probability,
)

MARKET = "manifold market"


def _load(path: Path) -> tuple[list[Any], list[Any]]:
    if path.is_dir():
        markets, bets = load_json(path / "markets.json"), load_json(path / "bets.json")
    else:
        data = load_json(path)
        if not isinstance(data, dict):
            raise InvalidInput(f'{path}: not an object with "markets" and "bets" lists')
        markets, bets = data.get("markets"), data.get("bets", [])
    if isinstance(markets, dict):
        markets = [markets]
    if not isinstance(markets, list) or not isinstance(bets, list):
        raise InvalidInput(f"{path}: markets and bets: not lists (the API's responses)")
    return markets, bets


def parse(path: Path) -> Batch:
    markets, bets = _load(path)
    batch = Batch("manifold", path)
    binary: set[str] = set()
    for i, market in enumerate(markets):
        here = f"{path}: markets[{i}]"
        if not isinstance(market, dict) or not market.get("id"):
            raise RowError(
                here,
                "id",
                market if not isinstance(market, dict) else None,
                "required (a market object)",
            )
        key = str(market["id"])
        kind = market.get("outcomeType")
        answers = market.get("answers") or []
        if kind == "BINARY":
            outcomes: list[str] = []
            binary.add(key)
        elif (
            kind == "MULTIPLE_CHOICE"
            and market.get("shouldAnswersSumToOne", True)
            and len(answers) >= 2
        ):
            outcomes = [str(a.get("text", "")).strip() for a in answers]
        else:
            batch.warnings.append(
                f"{here}: {kind} market {key}: skipped (binary and multiple-choice only)"
            )
            continue
        title = market.get("question")
        if not isinstance(title, str) or not title.strip():
            raise RowError(here, "question", title, "required (the market's question)")
        question = HistoryQuestion(
            key=key,
            title=title.strip(),
            where=here,
            outcomes=outcomes,
            opens_at=epoch_ms(here, "createdTime", market.get("createdTime")),
            closes_at=epoch_ms(here, "closeTime", market.get("closeTime")),
            description=str(market.get("textDescription") or market.get("url") or ""),
            tags={"manifold", *(str(s).lower() for s in market.get("groupSlugs") or [])},
        )
        resolution = market.get("resolution")
        if market.get("isResolved") and resolution:
            question.resolved_at = epoch_ms(here, "resolutionTime", market.get("resolutionTime"))
            if resolution in ("CANCEL", "MKT"):
                question.resolution = ANNULLED
            elif not outcomes and resolution in ("YES", "NO"):
                question.resolution = resolution.capitalize()
            else:
                ids = {str(a.get("id")): str(a.get("text", "")).strip() for a in answers}
                if resolution not in ids:
                    raise RowError(
                        here, "resolution", resolution, "not YES, NO, MKT, CANCEL or an answer id"
                    )
                question.resolution = ids[resolution]
        batch.questions[key] = question
    _prices(path, bets, batch, binary)
    return batch


def _prices(path: Path, bets: list[Any], batch: Batch, binary: set[str]) -> None:
    latest: dict[tuple[str, str], tuple[int, float, str]] = {}
    traders: set[str] = set()
    for i, bet in enumerate(bets):
        here = f"{path}: bets[{i}]"
        if not isinstance(bet, dict):
            raise RowError(here, "bet", bet, "not an object")
        market = str(bet.get("contractId", ""))
        if market not in binary or bet.get("isCancelled") or bet.get("isFilled") is False:
            continue
        traders.add(str(bet.get("userId")))
        created = bet.get("createdTime")
        at = epoch_ms(here, "createdTime", created, required=True) or ""
        p = probability(here, "probAfter", bet.get("probAfter"))
        if (market, at) not in latest or latest[(market, at)][0] <= created:  # type: ignore[operator]
            latest[(market, at)] = (created, p, here)  # type: ignore[assignment]
    for (market, at), (_, p, here) in sorted(latest.items()):
        batch.forecasts.append(HistoryForecast(market, MARKET, at, [p, 1 - p], here))
    if traders:
        batch.warnings.append(
            f"{path}: {len(latest)} market prices imported as forecasts by {MARKET!r} from the trades of "
            f"{len(traders)} traders; a trade's price is not its trader's belief, so no trader gets a forecast"
        )
