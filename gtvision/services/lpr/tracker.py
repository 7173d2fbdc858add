"""One vote per vehicle pass: reads of the same plate in consecutive frames become one record.

A pass collects reads whose folded text (see :func:`.plates.plate_key`) is within two edits of
the pass's; a pass not seen for ``gap_s`` has left the scene and is closed. Its text is voted
position by position among the reads of the most common length, each character weighted by
its confidence, and the best-scored read's crop is kept. An operator should not wait for the
car to leave: once ``settle_frames`` reads agree exactly with the vote, or ``settle_s`` after
its first read (whatever the vote is then), the pass is *settled* and its record goes out at
once; the pass stays open (later reads of the car join it), so it still makes exactly one
record. Pure Python, driven by timestamps,
so it is tested without video.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from gtvision.services.lpr.plates import plate_key


@dataclass(frozen=True, slots=True, eq=False)
class Observation:
    text: str
    confidence: float
    char_confidences: tuple[float, ...]
    format: str
    box: tuple[float, float, float, float]
    at: datetime
    t: float  # monotonic seconds
    evidence: Any = None  # what to keep of the best frame (crop and context JPEGs)


@dataclass(frozen=True, slots=True)
class VotedRead:
    text: str
    confidence: float
    char_confidences: tuple[float, ...]
    format: str
    frames: int
    best: Observation  # the highest-confidence observation: its evidence is the pass's


@dataclass(slots=True)
class _Pass:
    observations: list[Observation] = field(default_factory=list)
    best: Observation | None = None
    best_index: int = -1
    last_t: float = 0.0
    settled: bool = False  # its record already went out

    @property
    def key(self) -> str:
        return plate_key(self.observations[-1].text)

    def add(self, observation: Observation) -> None:
        """Keep the evidence (a whole frame) of the best observation only."""
        if self.best is None or observation.confidence > self.best.confidence:
            if self.best is not None:
                self.observations[self.best_index] = replace(self.best, evidence=None)
            self.best, self.best_index = observation, len(self.observations)
            self.observations.append(observation)
        else:
            self.observations.append(replace(observation, evidence=None))
        self.last_t = observation.t

    def voted(self) -> VotedRead:
        return vote(self.observations)  # its best is ours: the one that kept its evidence


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, stopping early above ``limit`` (plates are short)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def vote(observations: list[Observation]) -> VotedRead:
    lengths = Counter(len(o.text) for o in observations)
    length = max(lengths, key=lambda n: (lengths[n], n))
    same = [o for o in observations if len(o.text) == length]
    chars, confs = [], []
    for i in range(length):
        score: dict[str, float] = defaultdict(float)
        best_conf: dict[str, float] = defaultdict(float)
        for o in same:
            c = o.char_confidences[i] if i < len(o.char_confidences) else o.confidence
            score[o.text[i]] += c
            best_conf[o.text[i]] = max(best_conf[o.text[i]], c)
        winner = max(score, key=lambda ch: score[ch])
        chars.append(winner)
        confs.append(score[winner] / sum(score.values()) * best_conf[winner])
    text = "".join(chars)
    agreeing = [o for o in same if o.text == text] or same
    best = max(observations, key=lambda o: o.confidence)
    formats = Counter(o.format for o in agreeing)
    return VotedRead(
        text=text,
        confidence=min(confs) if confs else 0.0,
        char_confidences=tuple(confs),
        format=formats.most_common(1)[0][0],
        frames=len(observations),
        best=best,
    )


class PassTracker:
    def __init__(
        self,
        gap_s: float = 2.0,
        max_pass_s: float = 60.0,
        *,
        settle_frames: int = 0,
        settle_confidence: float = 0.6,
        settle_s: float = 1.5,
    ) -> None:
        self.gap_s = gap_s
        self.max_pass_s = max_pass_s  # a parked car still yields a record now and then
        self.settle_frames = settle_frames  # 0: every record waits for its pass to end
        self.settle_confidence = settle_confidence
        self.settle_s = settle_s
        self._open: list[_Pass] = []

    @property
    def open_passes(self) -> int:
        return len(self._open)

    def observe(self, observation: Observation) -> None:
        key = plate_key(observation.text)
        best: tuple[int, _Pass] | None = None
        for p in self._open:
            d = edit_distance(key, p.key, limit=2)
            if d <= 2 and (best is None or d < best[0]):
                best = (d, p)
        target = best[1] if best is not None else _Pass()
        if best is None:
            self._open.append(target)
        target.add(observation)

    def settled(self) -> list[VotedRead]:
        """Passes whose vote has just become sure enough to be told before the car leaves."""
        if self.settle_frames <= 0:
            return []
        ready = []
        for p in self._open:
            if p.settled or len(p.observations) < self.settle_frames:
                continue
            voted = p.voted()
            agreeing = sum(1 for o in p.observations if o.text == voted.text)
            sure = agreeing >= self.settle_frames and voted.confidence >= self.settle_confidence
            if sure or p.last_t - p.observations[0].t >= self.settle_s:
                p.settled = True
                ready.append(voted)
        return ready

    def close_idle(self, now_t: float) -> list[VotedRead]:
        """Passes unseen for ``gap_s`` (or open for ``max_pass_s``), voted; a settled pass
        closes without a second record."""
        done = [
            p for p in self._open
            if now_t - p.last_t >= self.gap_s or now_t - p.observations[0].t >= self.max_pass_s
        ]  # fmt: skip
        self._open = [p for p in self._open if p not in done]
        return [p.voted() for p in done if not p.settled]

    def close_all(self) -> list[VotedRead]:
        done, self._open = self._open, []
        return [p.voted() for p in done if not p.settled]
