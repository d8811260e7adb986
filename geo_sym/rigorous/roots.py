"""Rigorous enclosures of the eigenvalues from the exact characteristic polynomial (Arb balls, python-flint).

Input: an :class:`~geo_sym.maps.charpoly.ExactCharpoly`, whose factors ``F_i(λ, t)`` have rational
coefficients and ``t = exp(g)``. For each factor (irreducible over ``ℚ(t)``, hence squarefree at the
transcendental ``t = e^g``):

1. ``t`` is enclosed in an Arb ball (``exp`` of the exact rational ``g``, outward rounded), and the
   monic coefficients ``c_k(t) = F_k(t) / F_d(t)`` are evaluated in ball arithmetic: the true
   polynomial's coefficients lie in those balls (``F_d`` must exclude ``0`` at the precision used).
2. Approximate roots ``m_1, …, m_d`` come from Arb's root finder (only their midpoints are used).
3. **Validation, independent of the root finder:** for a monic polynomial ``p`` of degree ``d`` and
   any point ``m``, some root lies within ``d |p(m)| / |p'(m)|`` of ``m`` (from
   ``p'/p(m) = Σ_j 1/(m − ζ_j)``). These radii are bounded above in ball arithmetic for every
   polynomial in the coefficient balls; when the ``d`` disks are pairwise disjoint each holds exactly
   one root (``p`` has exactly ``d`` roots). Otherwise the precision is doubled, up to a limit, after
   which the factor is reported as not isolated (never guessed).

What is rigorous: each reported disk ``|λ − center| ≤ radius`` (center and radius are floats
rounded so that the disk contains Arb's ball) contains exactly one eigenvalue, of the factor's
multiplicity; the spectral radius interval, when every factor is isolated. Nothing else is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geo_sym.errors import ValidationError
from geo_sym.rigorous.arb import require_flint

__all__ = ["RootDisk", "FactorRoots", "SpectrumEnclosure", "enclose_roots"]


@dataclass(frozen=True)
class RootDisk:
    """``|λ − center| ≤ radius`` holds exactly one root (the disk contains Arb's ball ``ball``).

    ``real`` is True when the root is proved real: a disk centred on the real axis that still
    isolates it contains its conjugate too, which must then be the root itself.
    """

    center: complex
    radius: float
    ball: str
    real: bool = False

    def __repr__(self) -> str:
        return f"RootDisk({self.center:.6g}, r≤{self.radius:.2g}{', real' if self.real else ''})"


@dataclass(frozen=True)
class FactorRoots:
    """The roots of one factor: ``disks`` when isolated (``None`` otherwise, ``note`` says why)."""

    degree: int
    multiplicity: int
    disks: tuple | None
    note: str = ""

    def __repr__(self) -> str:
        return f"FactorRoots(degree={self.degree}, multiplicity={self.multiplicity}, isolated={self.disks is not None})"


@dataclass(frozen=True, eq=False)
class SpectrumEnclosure:
    """Rigorous root disks of every factor and the spectral radius interval (module docstring).

    Attributes
    ----------
    factors : tuple of FactorRoots
        In the order of ``ExactCharpoly.factors``.
    spectral_radius : tuple of float or None
        ``(lo, hi)`` with ``lo ≤ ρ ≤ hi`` when every factor is isolated.
    precision : int
        The largest working precision used (bits).
    t_ball : str
        Arb's enclosure of ``t = exp(g)`` (``None`` when no transcendental occurs).
    """

    factors: tuple
    spectral_radius: tuple | None
    precision: int
    t_ball: str | None

    def __repr__(self) -> str:
        isolated = sum(f.disks is not None for f in self.factors)
        return f"SpectrumEnclosure(isolated={isolated}/{len(self.factors)}, rho={self.spectral_radius})"

    def to_frame(self):
        """One row per root disk: factor, degree, multiplicity, center, radius, real, ball (pandas, imported lazily)."""
        import pandas as pd

        rows = [
            {
                "factor": i,
                "degree": f.degree,
                "multiplicity": f.multiplicity,
                "center": d.center,
                "radius": d.radius,
                "real": d.real,
                "ball": d.ball,
            }
            for i, f in enumerate(self.factors)
            for d in f.disks or ()
        ]
        return pd.DataFrame(rows, columns=["factor", "degree", "multiplicity", "center", "radius", "real", "ball"])

    def plot(self, ax=None):
        """The enclosed eigenvalues in the complex plane against the unit circle (multiplicities annotated).

        Returns
        -------
        matplotlib.figure.Figure
        """
        import numpy as np

        if ax is None:
            fig, ax = _pyplot().subplots(figsize=(5.0, 5.0))
        else:
            fig = ax.figure
        t = np.linspace(0.0, 2.0 * np.pi, 721)
        ax.plot(np.cos(t), np.sin(t), color="0.35", lw=1.0, label="unit circle")
        for f in self.factors:
            for d in f.disks or ():
                ax.plot(d.center.real, d.center.imag, "o", color="C0", ms=5)
                if f.multiplicity > 1:
                    ax.annotate(
                        f"×{f.multiplicity}", (d.center.real, d.center.imag), textcoords="offset points", xytext=(4, 4)
                    )
        ax.set_xlabel("Re λ")
        ax.set_ylabel("Im λ")
        ax.set_aspect("equal", adjustable="datalim")
        if self.spectral_radius is not None:
            ax.set_title(f"eigenvalues (rigorous disks), spectral radius ≈ {self.spectral_radius[1]:.6g}")
        ax.legend(loc="best", fontsize="small")
        return fig

    def to_dict(self) -> dict:
        return {
            "t": self.t_ball,
            "precision_bits": self.precision,
            "spectral_radius": None if self.spectral_radius is None else list(self.spectral_radius),
            "factors": [
                {
                    "degree": f.degree,
                    "multiplicity": f.multiplicity,
                    "roots": None
                    if f.disks is None
                    else [
                        {"center": [d.center.real, d.center.imag], "radius": d.radius, "ball": d.ball, "real": d.real}
                        for d in f.disks
                    ],
                    "note": f.note,
                }
                for f in self.factors
            ],
        }


def _pyplot():
    """matplotlib.pyplot, with the Agg backend when there is no display (imported lazily)."""
    import os
    import sys

    import matplotlib

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _up(x) -> float:
    return math.nextafter(float(x), math.inf)


def _down(x) -> float:
    return math.nextafter(float(x), -math.inf)


def _monic_coefficients(factor, t, flint):
    """Ball coefficients (lowest degree first) of the monic factor at the ball ``t``; ``None`` if ``F_d(t) ∋ 0``."""
    lam, T = factor.poly.gens
    by_power: dict[int, dict[int, object]] = {}
    for (i, j), c in factor.poly.terms():
        r = factor.poly.get_domain().to_sympy(c)
        by_power.setdefault(i, {})[j] = flint.fmpq(int(r.p), int(r.q))
    values = []
    for i in range(factor.degree + 1):
        coeffs = by_power.get(i, {})
        dmax = max(coeffs, default=0)
        values.append(flint.arb_poly([coeffs.get(j, 0) for j in range(dmax + 1)])(t) if coeffs else flint.arb(0))
    lead = values[-1]
    if lead.contains(0):
        return None
    return [flint.acb(v / lead) for v in values[:-1]] + [flint.acb(1)]


def _isolate(coeffs, flint, prec: int):
    """Validated disks ``(center acb, radius arb)`` for the monic ball polynomial, or ``None``."""
    p = flint.acb_poly(coeffs)
    d = len(coeffs) - 1
    if d == 1:
        root = -coeffs[0]
        m = flint.acb(root.real.mid())  # the polynomial is real, so is its one root
        return [(m, (abs(root - m) + abs(root.imag)).upper(), True)]
    try:
        approx = p.roots(tol=2.0 ** (-prec // 2), maxprec=prec)
    except ValueError:
        return None
    dp = p.derivative()
    disks = []
    for z in approx:
        m = flint.acb(z.mid())
        der = abs(dp(m))
        if der.contains(0):
            return None
        disks.append((m, (d * abs(p(m)) / der).upper()))
    for i in range(d):
        for j in range(i + 1, d):
            if not abs(disks[i][0] - disks[j][0]) > disks[i][1] + disks[j][1]:
                return None
    return [_on_real_axis(i, disks, flint) for i in range(d)]


def _on_real_axis(i, disks, flint):
    """``(center, radius, real)``: the disk moved onto the real axis when it still isolates its root."""
    m, r = disks[i]
    moved = (flint.acb(m.real), (r + abs(m.imag)).upper())
    for j, (mj, rj) in enumerate(disks):
        if j != i and not abs(moved[0] - mj) > moved[1] + rj:
            return m, r, False
    return moved[0], moved[1], True


def _disk(m, rad, real, flint) -> RootDisk:
    c = complex(float(m.real.mid()), 0.0 if real else float(m.imag.mid()))
    err = abs(m - flint.acb(c.real, c.imag)) + rad  # the float center's offset, plus the radius
    ball = flint.acb(flint.arb(m.real.mid(), _up(rad)), 0 if real else flint.arb(m.imag.mid(), _up(rad)))
    return RootDisk(c, _up(err.upper()), ball.str(15, radius=True), real)


def enclose_roots(cp, precision: int = 128, max_precision: int = 4096) -> SpectrumEnclosure:
    """Rigorous disks around every eigenvalue of an exact characteristic polynomial (module docstring).

    Parameters
    ----------
    cp : ExactCharpoly
        From :func:`geo_sym.maps.charpoly.exact_charpoly` (rational ground field).
    precision, max_precision : int
        Starting and largest working precision in bits.

    Raises
    ------
    OptionalDependencyError
        Without python-flint.
    ValidationError
        When the coefficients are not over ``ℚ`` (a number field or the per-path fallback).
    """
    flint = require_flint()
    if cp.domain != "QQ":
        raise ValidationError("charpoly.domain", cp.domain, "QQ (rational coefficients in t) for Arb enclosures")
    out, used, t_str = [], precision, None
    old = flint.ctx.prec
    try:
        for f in cp.factors:
            prec, disks = precision, None
            while prec <= max_precision and disks is None:
                flint.ctx.prec = prec
                t = flint.arb(flint.fmpq(int(cp.g.p), int(cp.g.q))).exp() if cp.g is not None else flint.arb(1)
                coeffs = _monic_coefficients(f, t, flint)
                disks = None if coeffs is None else _isolate(coeffs, flint, prec)
                used, prec = max(used, prec), 2 * prec
            if cp.g is not None and t_str is None:
                t_str = t.str(20, radius=True)
            if disks is None:
                out.append(FactorRoots(f.degree, f.multiplicity, None, f"not isolated at {max_precision} bits"))
            else:
                out.append(
                    FactorRoots(f.degree, f.multiplicity, tuple(_disk(m, r, real, flint) for m, r, real in disks))
                )
        rho = None
        if all(fr.disks is not None for fr in out) and out:
            mods = [(abs(flint.acb(d.center.real, d.center.imag)), flint.arb(d.radius)) for fr in out for d in fr.disks]
            rho = (
                max(max(_down((a - r).lower()), 0.0) for a, r in mods),
                max(_up((a + r).upper()) for a, r in mods),
            )
    finally:
        flint.ctx.prec = old
    return SpectrumEnclosure(tuple(out), rho, used, t_str)
