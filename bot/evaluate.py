"""Measure detection and false alarms on a labelled JSON Lines corpus (../shared/corpus/dev.jsonl)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.detect import Detector
from bot.models import Verdict


@dataclass
class Tally:
    """Verdict counts for one group of messages, with the ids of the misjudged ones."""

    counts: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Messages in the group."""
        return sum(self.counts.values())

    def share(self, *verdicts: Verdict) -> float:
        """Fraction of the group with one of these verdicts."""
        return sum(self.counts[v.value] for v in verdicts) / self.total if self.total else 0.0


def _group(row: dict[str, object]) -> str:
    flags = row.get("flags") or []
    if isinstance(flags, list) and "ambiguous" in flags:
        return "ambiguous"
    return str(row.get("kind") or row.get("label"))


def evaluate(detector: Detector, rows: Iterable[dict[str, object]]) -> dict[str, Tally]:
    """Judge every row and tally verdicts by kind (ambiguous rows apart)."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        sender = row.get("sender")
        result = detector.check(str(row["text"]), sender if isinstance(sender, str) else None)
        group = _group(row)
        tally = tallies[group]
        tally.counts[result.verdict.value] += 1
        is_scam = row.get("label") == "scam"
        if (is_scam and result.verdict is not Verdict.DANGER) or (not is_scam and result.verdict is not Verdict.NO_SIGNS):
            tally.wrong.append(f"{row.get('id')}={result.verdict.value}:{result.score}")
    return dict(tallies)


def read_jsonl(path: Path) -> list[dict[str, object]]:
    """Rows of a JSON Lines file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def report(tallies: dict[str, Tally], verbose: bool = False) -> str:
    """The figures as a few readable lines."""
    lines = []
    for group in sorted(tallies, key=lambda g: (g != "scam_sms", g)):
        t = tallies[group]
        c = t.counts
        line = (f"{group:18} n={t.total:4}  danger={c['danger']:4}  caution={c['caution']:4}  no_signs={c['no_signs']:4}")
        if group == "scam_sms":
            line += (f"  detected={t.share(Verdict.DANGER, Verdict.CAUTION):6.1%}"
                     f"  as_danger={t.share(Verdict.DANGER):6.1%}")
        else:
            line += f"  danger_rate={t.share(Verdict.DANGER):6.1%}  caution_rate={t.share(Verdict.CAUTION):6.1%}"
        lines.append(line)
        if verbose and t.wrong:
            lines.append("    " + " ".join(t.wrong))
    return "\n".join(lines)
