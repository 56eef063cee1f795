"""Errors that carry every problem found, each with its place, for a friendly exit."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "AntikorupsiError", "FrameworkError", "InputError", "ScenarioError"]


@dataclass(frozen=True)
class Problem:
    """One located problem: where it is, what was found and what was expected."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    expected: str | None = None

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"baris {self.row}")
        if self.column:
            what = "bagian" if self.file.endswith((".yaml", ".yml")) else "kolom"
            parts.append(f"{what} '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.value is not None:
            text += f" (nilai: {self.value!r})"
        if self.expected:
            text += f"; diharapkan: {self.expected}"
        return text


class AntikorupsiError(Exception):
    """Base error holding a list of located problems."""

    title = "Masalah"

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        n = len(self.problems)
        head = f"{self.title}: {n} masalah ditemukan" if n != 1 else f"{self.title}: 1 masalah"
        return "\n".join([head] + [f"  - {p}" for p in self.problems])


class FrameworkError(AntikorupsiError):
    title = "Berkas kerangka penilaian tidak valid"


class InputError(AntikorupsiError):
    title = "Data masukan tidak valid"


class ScenarioError(AntikorupsiError):
    title = "Skenario tidak valid"
