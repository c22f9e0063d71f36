"""Exception classes, named in the editor's terms.

Library code raises these; only the CLI turns them into messages and exit codes
(0 ok, 1 content problem, 2 usage). Every content problem carries the file, the line as a
text editor counts it (the CSV header is line 1) and the field, so an editor can jump to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content: where it is and what was expected.

    ``severity`` is ``"error"`` (the build refuses) or ``"warning"`` (reported; an error
    under ``--strict``).
    """

    path: str
    line: int | None
    column: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        field = f" {self.column}:" if self.column else ""
        tag = "warning: " if self.severity == "warning" else ""
        return f"{where}:{field} {tag}{self.message}"


class ReportError(Exception):
    """Base class of every error this package raises on purpose."""


class ContentError(ReportError):
    """The content (data, commentary, pages, settings) has one or more problems.

    Raised by the load and validate stages with every problem found, not just the first,
    so that one run of ``check`` or ``build`` lists them all.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, path: str | Path, line: int | None, column: str | None, message: str) -> ContentError:
        return cls([Problem(str(path), line, column, message)])


class BuildError(ReportError):
    """The build could not finish for a reason that is not the content's fault
    (output folder locked by another build, unwritable output, ...)."""


class UsageError(ReportError):
    """The command line asked for something impossible (bad date, unknown option value)."""


def _problem_order(p: Problem) -> tuple:
    return (p.path, p.line if p.line is not None else -1, p.column or "", p.message)


@dataclass(frozen=True, order=True)
class Omitted(Problem):
    """One line standing for ``count`` problems not printed one by one ("warning for 672 more
    dates not shown"), so that a summary can count what it stands for."""

    count: int = 1


def problem_count(problems: list[Problem]) -> int:
    """How many problems a list reports: an ``Omitted`` line counts for what it leaves out."""
    return sum(p.count if isinstance(p, Omitted) else 1 for p in problems)
