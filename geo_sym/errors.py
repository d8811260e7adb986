"""One exception hierarchy for geo-sym.

Every error raised on bad input names the offending field, the value that was
given and what was expected, so that the command line can print it on one line.
All classes subclass a builtin (``ValueError``, ``RuntimeError``, ...) so that
callers who do not know geo-sym can still catch them.
"""

from __future__ import annotations

__all__ = [
    "GeoSymError",
    "ValidationError",
    "NumberFormatError",
    "ShapeError",
    "CycleError",
    "UnknownNameError",
    "DomainError",
    "DegenerateNormalizationError",
    "ModelFileError",
    "ParseError",
    "SolverError",
    "InconsistencyError",
    "OptionalDependencyError",
    "SizeLimitError",
]


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class GeoSymError(Exception):
    """Base class of every error geo-sym raises on purpose."""


class ValidationError(GeoSymError, ValueError):
    """Invalid input: names the field, the value given and what was expected.

    Parameters
    ----------
    field : str
        Dotted path of the offending field, e.g. ``"agents[2].box"``.
    value : object
        The value that was given (shown abbreviated).
    expected : str
        What would have been accepted.
    """

    def __init__(self, field: str, value, expected: str, *, message: str | None = None):
        self.field = field
        self.value = value
        self.expected = expected
        if message is None:
            message = f"{field}: got {_short(value)}, expected {expected}"
        super().__init__(message)


class NumberFormatError(ValidationError):
    """A number field holds something that is not an int, a float or a ``"p/q"`` string."""


class ShapeError(ValidationError):
    """Lengths or shapes that must agree do not."""


class CycleError(ValidationError):
    """The agent graph has a directed cycle; ``cycle`` lists it, first node repeated last."""

    def __init__(self, field: str, cycle: list[str]):
        self.cycle = list(cycle)
        text = " -> ".join(cycle)
        super().__init__(
            field, text, "an acyclic graph (DAG)", message=f"{field}: the graph has a cycle {text}; expected a DAG"
        )


class UnknownNameError(ValidationError):
    """A name that was not declared (an agent in an edge, a variable in an equation, ...)."""


class SizeLimitError(ValidationError):
    """The input is too large for the computation asked: the message gives the sizes, the limit and an alternative.

    Raised before anything of that size is allocated (a dense Jacobian of a DAG with millions of
    paths, a state vector with one coordinate per path of a DAG with 10^20 paths).
    """


class DomainError(GeoSymError, ValueError):
    """A state or argument lies outside the domain where an operation is defined."""


class DegenerateNormalizationError(DomainError):
    """``normalize(0)``: the positive part of the updated prices is zero (eq. 11)."""


class ModelFileError(ValidationError):
    """A model or economy file is malformed (missing keys, unknown keys, bad YAML)."""


class ParseError(ValidationError):
    """An expression in a model file is not in the accepted grammar."""


class SolverError(GeoSymError, RuntimeError):
    """A numerical procedure failed; the message says what was tried and the residuals."""


class InconsistencyError(SolverError):
    """Two independent computations of the same fact disagree (e.g. an exact region and its numeric check).

    Not a refusal of the input: a defect to report, which callers must not treat as "no answer".
    """


class OptionalDependencyError(GeoSymError, ImportError):
    """An optional package (pandas, matplotlib, python-flint, …) is needed and missing; says how to install it."""
