r"""All fixed points of a map: a rigorous branch-and-prune search, and a numeric search with Krawczyk tests.

Branch and prune (:func:`find_all_fixed_points`)
    Boxes of the state space (tangent coordinates, :mod:`geo_sym.rigorous.boxes`) are excluded
    (``X ∩ Φ(X) = ∅``, ``K(X) ∩ X = ∅``, a simplex coordinate certainly negative), contracted
    (``X ← X ∩ Φ(X) ∩ K(X)``), certified by Krawczyk (:mod:`geo_sym.rigorous.krawczyk`; on the
    box, or on a box inflated around a float Newton point), or bisected, within a stated box
    budget. ``complete`` is true only when no box is left unresolved. A continuum of fixed points
    (an eigenvalue exactly 1) can never be certified box by box: the budget runs out, ``complete``
    stays false and the unresolved boxes are reported with numeric evidence of the continuum.
Numeric search (:func:`certify_fixed_points`)
    Float fixed points from seeded starts, each then tested by Krawczyk; never complete.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field

import numpy as np

from geo_sym.rigorous.arb import require_flint
from geo_sym.rigorous.boxes import NO_IMAGE, TangentBox, box_full, enclosure_full, simplex_contract
from geo_sym.rigorous.fixed_point_problem import (
    MAX_CERTIFY_DIMENSION,
    MAX_SEARCH_DIMENSION,
    as_interval_map,
    check_count,
    check_dimension,
    newton,
)
from geo_sym.rigorous.interval import IntervalMap, interval_map
from geo_sym.rigorous.krawczyk import krawczyk_step, tighten

__all__ = ["CertifiedFixedPoint", "FixedPointSearchResult", "find_all_fixed_points", "certify_fixed_points"]


# ------------------------------------------------------------------------------------ results
@dataclass(frozen=True, eq=False)
class CertifiedFixedPoint:
    """A fixed point with its enclosure.

    Attributes
    ----------
    state : dict
        The state-file format (floats): a point of the enclosure (its midpoint when certified).
    enclosure : list of [lo, hi]
        Flat state coordinates; contains the fixed point when ``certified``. Otherwise: in an
        exhaustive search, the unresolved box the float point lies in; in the numeric search, the
        float point itself (a zero-width box, no claim).
    certified : bool
        True when a rigorous test proved exactly one fixed point in ``unique_in``.
    unique_in : list of [lo, hi] or None
        The box (flat state coordinates) in which uniqueness is proved.
    residual : float or None
        ``max|Φ(x) - x|`` of ``state`` in floats (for uncertified candidates).
    """

    state: dict
    enclosure: list
    certified: bool
    unique_in: list | None = None
    residual: float | None = None

    def __repr__(self) -> str:
        w = max((b - a for a, b in self.enclosure), default=0.0)
        return f"CertifiedFixedPoint(certified={self.certified}, width={w:.3g})"

    def to_dict(self) -> dict:
        d = {"state": self.state, "enclosure": self.enclosure, "certified": self.certified}
        if self.unique_in is not None:
            d["unique_in"] = self.unique_in
        if self.residual is not None:
            d["residual"] = self.residual
        return d


@dataclass(frozen=True, eq=False)
class FixedPointSearchResult:
    """All fixed points of the map, with a completeness flag.

    Attributes
    ----------
    fixed_points : tuple of CertifiedFixedPoint
    complete : bool
        True only when the search proved there are no fixed points other than the certified
        ones (every box excluded or covered by a uniqueness box).
    success : bool
        Same as ``complete``.
    boxes_processed, max_boxes : int
    n_unresolved : int
        Boxes left undecided (budget exhausted, or narrower than ``min_width``).
    unresolved : list of list of [lo, hi]
        The first unresolved boxes (flat state coordinates).
    unresolved_hull : list of [lo, hi] or None
    continuum : dict or None
        ``{"suspected": bool, "evidence": str, ...}``: numeric evidence of a continuum of fixed
        points when boxes remain unresolved.
    exhaustive : bool
        False for the numeric search (:func:`certify_fixed_points`), which never claims completeness.
    message : str
    elapsed : float
        Seconds.
    """

    fixed_points: tuple
    complete: bool
    boxes_processed: int
    max_boxes: int
    n_unresolved: int
    unresolved: list
    unresolved_hull: list | None
    continuum: dict | None
    exhaustive: bool
    message: str
    elapsed: float
    labels: tuple = field(repr=False, default=())

    @property
    def success(self) -> bool:
        return self.complete

    @property
    def n_certified(self) -> int:
        return sum(1 for f in self.fixed_points if f.certified)

    def __repr__(self) -> str:
        return (
            f"FixedPointSearchResult(certified={self.n_certified}, candidates={len(self.fixed_points)}, "
            f"complete={self.complete}, boxes={self.boxes_processed}, unresolved={self.n_unresolved})"
        )

    def to_dict(self) -> dict:
        return {
            "fixed_points": [f.to_dict() for f in self.fixed_points],
            "complete": self.complete,
            "n_certified": self.n_certified,
            "exhaustive": self.exhaustive,
            "boxes_processed": self.boxes_processed,
            "max_boxes": self.max_boxes,
            "unresolved": {"count": self.n_unresolved, "boxes": self.unresolved, "hull": self.unresolved_hull},
            "continuum": self.continuum,
            "labels": list(self.labels),
            "elapsed_seconds": round(self.elapsed, 3),
            "method": (
                "branch and prune over the state space in tangent coordinates: exclusion (X ∩ Φ(X) = ∅, "
                "K(X) ∩ X = ∅, simplex bounds), Krawczyk contraction and certification, bisection; Arb "
                "ball arithmetic (python-flint)"
                if self.exhaustive
                else "numeric search from seeded starts, each fixed point then tested by Krawczyk; "
                "not exhaustive (use --all for a complete search)"
            ),
            "message": self.message,
        }


@dataclass(eq=False)
class _Root:
    """A certified fixed point: a tight enclosure, and the largest box found where it is the only one."""

    unique_box: TangentBox
    enclosure: TangentBox


def _register_root(roots: list, enclosure: TangentBox, unique_box: TangentBox) -> str:
    """Add a certified root unless it is a known one. Returns ``"new"``, ``"known"`` or ``"ambiguous"``."""
    for r in roots:
        if enclosure.subset_of(r.unique_box):
            return "known"
    if all(enclosure.disjoint_from(r.enclosure) for r in roots):
        roots.append(_Root(unique_box, enclosure))
        return "new"
    return "ambiguous"


def _inflate_and_certify(imap: IntervalMap, u: np.ndarray, base: TangentBox, domain: TangentBox):
    """Krawczyk on boxes of decreasing size around a float zero ``u``; the first success or ``None``."""
    widths = np.maximum(base.width, 1e-12 * np.maximum(domain.width, 1.0))
    for f in (0.5, 0.05, 1e-3, 1e-6):
        X = TangentBox.around(u, f * widths)  # may stick out of the state space (see _grow_uniqueness)
        st = krawczyk_step(imap, X, u)
        if st.status == "certified":
            return st.tested, st.box
        if st.status == "excluded":
            return None
    return None


def _grow_uniqueness(imap, root: _Root, scale: np.ndarray, steps: int = 14) -> None:
    """Enlarge a root's uniqueness box by Krawczyk tests on growing boxes around its enclosure.

    A certified box that contains the root's enclosure has that root as its only fixed point, so
    the largest such box can replace ``root.unique_box``: more boxes of the search then lie inside it.
    """
    E = root.enclosure
    c = float(np.max(root.unique_box.width / scale))
    c = max(c, 1e-12)
    for _ in range(steps):
        c *= 4.0
        if c > 0.5:
            break
        # not clipped to the state space: the map is defined on the whole affine chart, and a root on
        # the boundary of the state space (a zero price) must lie in the interior of the tested box
        X = TangentBox.around(E.mid, c * scale)
        st = krawczyk_step(imap, TangentBox(np.minimum(X.lo, E.lo), np.maximum(X.hi, E.hi)), E.mid)
        if st.status != "certified":
            break
        root.unique_box = st.tested


# ------------------------------------------------------------------------------------ branch and prune
def find_all_fixed_points(
    econ,
    *,
    max_boxes: int = 20000,
    min_width: float = 1e-10,
    max_listed: int = 20,
    time_limit: float | None = None,
    progress=None,
) -> FixedPointSearchResult:
    """Every fixed point of the map in the state space, by branch and prune (rigorous).

    Parameters
    ----------
    econ : Economy
        At most :data:`MAX_SEARCH_DIMENSION` tangent coordinates.
    max_boxes : int
        Box budget; when it runs out the remaining boxes are reported unresolved and
        ``complete`` is false (a continuum of fixed points always ends this way).
    min_width : float
        Boxes narrower than this fraction of the state space in every coordinate are not
        bisected further (reported unresolved).
    max_listed : int
        Unresolved boxes listed in the result (all are counted).
    time_limit : float, optional
        Seconds; like the box budget, running out leaves ``complete`` false.
    progress : callable, optional
        ``progress(boxes_processed, max_boxes)`` after each box (the command line draws a bar).

    Returns
    -------
    FixedPointSearchResult

    Raises
    ------
    SearchTooLargeError
        More than :data:`MAX_SEARCH_DIMENSION` tangent coordinates.
    """
    require_flint()
    t0 = time.perf_counter()
    max_boxes = check_count("max_boxes", max_boxes)
    imap = as_interval_map(econ)
    check_dimension(imap, MAX_SEARCH_DIMENSION, "an exhaustive fixed-point search (--all)")
    search = _BranchAndPrune(imap, min_width)
    search.run(max_boxes, time_limit, t0, progress)
    return _search_result(search, max_boxes, max_listed, time_limit, t0)


class _BranchAndPrune:
    """The search's state: the heap of boxes (largest first), the certified roots and the unresolved boxes."""

    def __init__(self, imap, min_width: float):
        self.imap = imap
        self.min_width = min_width
        self.domain = imap.state_space_box()
        self.scale = np.where(self.domain.width > 0, self.domain.width, 1.0)
        self.counter = 0
        self.heap = [(-1.0, self.counter, self.domain)]
        self.roots: list[_Root] = []
        self.unresolved: list[TangentBox] = []
        self.processed = 0
        self.ambiguous = 0
        self.out_of_budget = False

    def __repr__(self) -> str:
        return f"_BranchAndPrune(processed={self.processed}, roots={len(self.roots)})"

    @property
    def complete(self) -> bool:
        """No box left, none unresolved, the budget not exhausted, every certified box told apart."""
        return not self.heap and not self.unresolved and not self.out_of_budget and self.ambiguous == 0

    def run(self, max_boxes: int, time_limit: float | None, t0: float, progress=None) -> None:
        """Process boxes until none is left or the box budget or the time limit runs out."""
        while self.heap:
            if self.processed >= max_boxes or (time_limit is not None and time.perf_counter() - t0 > time_limit):
                self.out_of_budget = True
                self.unresolved.extend(item[2] for item in self.heap)
                self.heap = []
                break
            _, _, X = heapq.heappop(self.heap)
            self.processed += 1
            if progress is not None:
                progress(self.processed, max_boxes)
            self._process(X)

    def _covered(self, X: TangentBox) -> bool:
        return any(X.subset_of(r.unique_box) for r in self.roots)

    def _process(self, X: TangentBox) -> None:
        """Exclude, contract, certify or bisect one box."""
        if self._covered(X):
            return
        X = simplex_contract(self.imap, X) if self.imap.chart.dropped else X
        if X is None:
            return
        leaf = X
        status, step, X = self._contract(X)
        if status in ("excluded", "covered"):
            return
        if status == "certified":
            kind = self._register(tighten(self.imap, step.box, step.tested), step.tested)
            if kind == "ambiguous":
                self.unresolved.append(leaf)
            return
        # undecided: a float zero nearby with a good slope bound -> an inflated Krawczyk box
        if step.norm is not None and step.norm < 1 and self._certify_near_zero(X):
            return
        self._bisect(X, step)

    def _contract(self, X: TangentBox):
        """Krawczyk steps while the box shrinks: ``(status, last step, box)``."""
        status, step = None, None
        for _ in range(6):
            step = krawczyk_step(self.imap, X)
            status = step.status
            if status in ("excluded", "certified", "failed"):
                break
            shrunk = np.max(step.box.width / self.scale) < 0.7 * np.max(X.width / self.scale)
            X = step.box
            if not shrunk:
                break
            if self._covered(X):
                status = "covered"
                break
        return status, step, X

    def _register(self, enclosure: TangentBox, unique_box: TangentBox) -> str:
        """Record a certified root (a new one's uniqueness box grown); ``"new"``, ``"known"`` or ``"ambiguous"``."""
        kind = _register_root(self.roots, enclosure, unique_box)
        if kind == "new":
            _grow_uniqueness(self.imap, self.roots[-1], self.scale)
        elif kind == "ambiguous":
            self.ambiguous += 1
        return kind

    def _certify_near_zero(self, X: TangentBox) -> bool:
        """Krawczyk around a float Newton zero in ``X``; True when ``X`` lies in the certified uniqueness box."""
        if any(not X.disjoint_from(r.unique_box) for r in self.roots):
            return False
        nw = newton(self.imap, X.mid, iters=8)
        if nw is None or not nw[1] < 1e-9 or not self.domain.contains(nw[0]):
            return False
        got = _inflate_and_certify(self.imap, nw[0], X, self.domain)
        if got is None:
            return False
        ubox, enc = got
        self._register(tighten(self.imap, enc, ubox), ubox)
        return X.subset_of(ubox)

    def _bisect(self, X: TangentBox, step) -> None:
        """Bisect along the coordinate that smears the slope bound most (or the widest); too narrow: unresolved."""
        ws = X.width / self.scale
        if np.max(ws) <= self.min_width:
            self.unresolved.append(X)
            return
        if step.smear is not None and np.all(np.isfinite(step.smear)) and np.max(step.smear) > 0:
            score = np.where(ws > self.min_width, step.smear / self.scale, -1.0)
            i = int(np.argmax(score))
        else:
            i = int(np.argmax(ws))
        for child in X.bisect(i):
            self.counter += 1
            heapq.heappush(self.heap, (-float(np.max(child.width / self.scale)), self.counter, child))


def _search_result(search: _BranchAndPrune, max_boxes, max_listed, time_limit, t0) -> FixedPointSearchResult:
    """Certified roots, numeric candidates from the unresolved boxes, and the message."""
    imap, unresolved = search.imap, search.unresolved
    fps = []
    for r in search.roots:
        enc = enclosure_full(imap, r.enclosure)
        fps.append(CertifiedFixedPoint(imap.state_dict(r.enclosure.mid), enc, True, box_full(imap, r.unique_box)))
    continuum = None
    if unresolved:
        cands, continuum = _probe_unresolved(imap, unresolved, search.roots)
        fps.extend(cands)
    listed = [enclosure_full(imap, B, image=NO_IMAGE) for B in unresolved[:max_listed]]
    hull = None
    if unresolved:
        lo = np.min([B.lo for B in unresolved], axis=0)
        hi = np.max([B.hi for B in unresolved], axis=0)
        hull = enclosure_full(imap, TangentBox(lo, hi), image=NO_IMAGE)
    return FixedPointSearchResult(
        tuple(fps),
        search.complete,
        search.processed,
        max_boxes,
        len(unresolved),
        listed,
        hull,
        continuum,
        True,
        _search_message(search, max_boxes, time_limit, continuum),
        time.perf_counter() - t0,
        imap.chart.full_labels,
    )


def _search_message(search: _BranchAndPrune, max_boxes, time_limit, continuum) -> str:
    """Complete with the count, or not complete and why."""
    n_cert = len(search.roots)
    if search.complete:
        return (
            f"complete: exactly {n_cert} fixed point(s) in the state space, each certified ({search.processed} boxes)"
        )
    why = []
    if search.out_of_budget:
        why.append(f"the budget of {max_boxes} boxes" + (" / the time limit" if time_limit else "") + " ran out")
    if search.ambiguous:
        why.append(f"{search.ambiguous} certified box(es) could not be told apart from known fixed points")
    if not why:
        why.append(f"boxes narrower than {search.min_width:g} of the state space stayed undecided")
    msg = (
        f"not complete: {n_cert} certified fixed point(s); {len(search.unresolved)} box(es) unresolved ("
        + "; ".join(why)
        + ")"
    )
    if continuum and continuum.get("suspected"):
        msg += "; a continuum of fixed points is suspected (see 'continuum')"
    return msg


def _probe_unresolved(imap, unresolved: list, roots: list, n_probe: int = 12):
    """Float Newton from a spread of unresolved boxes: candidates and evidence of a continuum."""
    idx = np.unique(np.linspace(0, len(unresolved) - 1, num=min(n_probe, len(unresolved))).astype(int))
    pts = []
    for k in idx:
        B = unresolved[int(k)]
        nw = newton(imap, B.mid, iters=15)
        if nw is None or nw[1] > 1e-9:
            continue
        u, res, smin = nw
        if any(r.unique_box.contains(u) for r in roots):
            continue
        owner = next((C for C in unresolved if C.contains(u)), None)
        if owner is None:
            continue  # in an excluded box: a float artefact, not a fixed point
        if any(np.max(np.abs(u - q[0])) < 1e-7 for q in pts):
            continue
        pts.append((u, res, smin, owner))
    cands = [
        CertifiedFixedPoint(imap.state_dict(u), enclosure_full(imap, owner), False, None, float(res))
        for u, res, smin, owner in pts[:5]
    ]
    if len(pts) >= 2:
        diam = float(max(np.max(np.abs(a[0] - b[0])) for a in pts for b in pts))
        singular = [p for p in pts if p[2] < 1e-6]
        sdiam = float(max((np.max(np.abs(a[0] - b[0])) for a in singular for b in singular), default=0.0))
        suspected = len(singular) >= 2 and sdiam > 1e-6
        evidence = (
            f"{len(singular)} of {len(pts)} distinct float fixed points (residual <= 1e-9) found in unresolved "
            f"boxes have a singular tangent Jacobian of Φ - I (smallest singular value < 1e-6) and are spread "
            f"over {sdiam:.3g} (max-norm, tangent coordinates): a continuum of fixed points (eigenvalue 1 of "
            "DΦ), which interval tests cannot resolve into isolated points"
            if suspected
            else f"{len(pts)} distinct float fixed points in unresolved boxes, {len(singular)} with a singular "
            "Jacobian: the budget may simply be too small"
        )
        return cands, {
            "suspected": suspected,
            "evidence": evidence,
            "numeric_points": len(pts),
            "singular_points": len(singular),
            "diameter": diam,
        }
    if len(pts) == 1:
        return cands, {
            "suspected": pts[0][2] < 1e-6,
            "evidence": f"one float fixed point in the unresolved boxes; smallest singular value of the "
            f"tangent Jacobian of Φ - I ≈ {pts[0][2]:.2g}",
            "numeric_points": 1,
        }
    return cands, {
        "suspected": False,
        "evidence": "no float fixed point found in the unresolved boxes",
        "numeric_points": 0,
    }


# ------------------------------------------------------------------------------------ numeric search
def certify_fixed_points(econ, *, n_starts: int = 8, seed: int = 0, progress=None) -> FixedPointSearchResult:
    """Numeric fixed points from seeded starts, each tested by Krawczyk (not exhaustive: ``complete`` is false).

    Without python-flint the points are returned with ``certified = false`` and the reason in
    the message. ``progress(done, total)`` is called after each start.
    """
    from geo_sym.solve.fixed_point import find_fixed_points

    t0 = time.perf_counter()
    found = find_fixed_points(econ, n_starts=n_starts, seed=seed, progress=progress)
    why_not = None
    try:
        require_flint()
        imap = interval_map(econ)
        if imap.m > MAX_CERTIFY_DIMENSION:
            why_not = f"more than {MAX_CERTIFY_DIMENSION} tangent coordinates"
    except ImportError:
        imap, why_not = None, "python-flint is not installed (pip install python-flint)"
    have_flint = why_not is None
    fps = []
    for res in found:
        st = res.state
        if not have_flint:
            x = st.flat()
            fps.append(
                CertifiedFixedPoint(st.to_dict(), [[float(v), float(v)] for v in x], False, None, float(res.residual))
            )
            continue
        u0 = imap.chart.to_tangent(st.flat())
        nw = newton(imap, u0)
        center = nw[0] if nw is not None else u0
        done = None
        for r in (1e-6, 1e-9, 1e-4):
            X = TangentBox.around(center, r * np.maximum(1.0, np.abs(center)))
            step = krawczyk_step(imap, X, center)
            if step.status == "certified":
                done = (step.tested, tighten(imap, step.box, step.tested))
                break
        if done is None:
            fps.append(
                CertifiedFixedPoint(
                    imap.state_dict(center),
                    [[float(v), float(v)] for v in imap.chart.from_tangent(center)],
                    False,
                    None,
                    float(res.residual),
                )
            )
        else:
            X, enc = done
            fps.append(
                CertifiedFixedPoint(imap.state_dict(enc.mid), enclosure_full(imap, enc), True, box_full(imap, X))
            )
    labels = imap.chart.full_labels if imap is not None else ()
    n_cert = sum(f.certified for f in fps)
    msg = (
        f"{len(fps)} fixed point(s) found numerically from {n_starts + 1} starts, {n_cert} certified by Krawczyk; "
        "not an exhaustive search (complete is false; use --all)"
    )
    if not have_flint and fps:
        msg += f"; nothing was certified: {why_not}"
    return FixedPointSearchResult(
        tuple(fps), False, 0, 0, 0, [], None, None, False, msg, time.perf_counter() - t0, labels
    )
