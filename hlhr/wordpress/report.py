"""What an import did: counts per kind and outcome, every skipped item with its reason."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def count(self, kind: str, outcome: str) -> None:
        self.counts[(kind, outcome)] += 1

    def skip(self, what: str, reason: str) -> None:
        self.skipped.append((what, reason))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def total(self, kind: str) -> int:
        return sum(n for (k, _), n in self.counts.items() if k == kind)

    def lines(self) -> list[str]:
        """The summary printed by ``flask import-wxr``."""
        kinds = sorted({kind for kind, _ in self.counts})
        out = ["Dry run: nothing was written." if self.dry_run else "Import committed."]
        for kind in kinds:
            parts = ", ".join(
                f"{n} {outcome}" for (k, outcome), n in sorted(self.counts.items()) if k == kind
            )
            out.append(f"  {kind}: {parts}")
        out.append(f"Skipped: {len(self.skipped)}")
        out += [f"  - {what}: {reason}" for what, reason in self.skipped]
        if self.notes:
            out.append(f"Notes: {len(self.notes)}")
            out += [f"  - {text}" for text in self.notes]
        return out
