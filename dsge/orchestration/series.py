"""Observables of the orchestration economy and their exact derivatives at a steady state (§7).

Series read off the reduced state ``x = (y, p, w)`` (every one depends on the routing only through the
agent marginals ``w``):

* ``y[a,k]`` — production coordinates; ``price[a]`` — ``Σ_k p_{a,k}``; ``w[a]`` — routing share of agent
  ``a`` (traffic through it);
* ``latency``, ``quality`` — the aggregates ``L = Σ_a w_a <r_lat, y_a>``, ``Q = Σ_a w_a <r_qual, y_a>``
  (:func:`geo_sym.economy.policy.aggregate_metrics`);
* ``lambda_lat``, ``lambda_qual`` — the SLO weights in force: set by the Taylor rule of eq. (18)–(19)
  (:func:`geo_sym.economy.policy.slo_weights`, with its floor) when one is on, else the constants ``λ*``.

A linear response of a series is ``G Δx_t`` with ``G`` its exact derivative at ``x*``
(:func:`observable_jacobian`), so it scales exactly with the shock; applying the nonlinear read-out to a
linear state path would not.
"""

from __future__ import annotations

import numpy as np

from geo_sym.economy.policy import TaylorRule, aggregate_gradients, aggregate_metrics, slo_weight_slopes, slo_weights

__all__ = ["observable_names", "observables", "observable_jacobian", "series_label"]

AGGREGATES = ("latency", "quality", "lambda_lat", "lambda_qual")


def observable_names(econ) -> list[str]:
    """Names of the series, in a fixed order (per agent: production, price, share; then the aggregates)."""
    names = []
    for nm in econ.agent_names:
        names += [f"y[{nm},{k + 1}]" for k in range(econ.K)] + [f"price[{nm}]", f"w[{nm}]"]
    if econ.slo is not None:
        names += list(AGGREGATES)
    return names


def _split(econ, X):
    A, K = econ.A, econ.K
    AK = A * K
    X = np.atleast_2d(np.asarray(X, dtype=float))
    return X[:, :AK].reshape(-1, A, K), X[:, AK : 2 * AK].reshape(-1, A, K), X[:, 2 * AK :]


def observables(econ, X, policy: TaylorRule | None = None) -> tuple[dict, np.ndarray]:
    """The series along reduced states ``X`` (rows: periods, columns: ``(y, p, w)`` flat).

    Returns
    -------
    series : dict of name -> ndarray (periods,)
    at_floor : ndarray (periods, 2) of bool
        Where the rule holds ``λ1`` (column 0) or ``λ2`` (column 1) at its floor (all False without a rule).
    """
    y, p, w = _split(econ, X)
    out: dict = {}
    for a, nm in enumerate(econ.agent_names):
        for k in range(econ.K):
            out[f"y[{nm},{k + 1}]"] = y[:, a, k]
        out[f"price[{nm}]"] = p[:, a, :].sum(axis=1)
        out[f"w[{nm}]"] = w[:, a]
    at_floor = np.zeros((y.shape[0], 2), dtype=bool)
    slo = econ.slo
    if slo is not None:
        lat, qual = aggregate_metrics(slo, y, w)
        out["latency"], out["quality"] = lat, qual
        if policy is not None:
            rates = slo_weights(slo, policy.as_float(), lat, qual)
            out["lambda_lat"], out["lambda_qual"] = np.asarray(rates.lat, float), np.asarray(rates.qual, float)
            at_floor = rates.at_floor.T.copy()
        else:
            out["lambda_lat"] = np.full(y.shape[0], float(slo.lambda_lat))
            out["lambda_qual"] = np.full(y.shape[0], float(slo.lambda_qual))
    return out, at_floor


def observable_jacobian(econ, x_star, policy: TaylorRule | None = None, at_floor=None) -> tuple[list[str], np.ndarray]:
    """Exact derivative ``G`` of every series at the reduced state ``x_star`` (rows: series, columns: ``(y, p, w)``).

    ``at_floor`` is the floor's branch at ``x_star`` (an active set's ``slo_at_floor``); a weight held at its
    floor has zero derivative. Production, prices and shares are linear; ``L``, ``Q`` bilinear
    (:func:`~geo_sym.economy.policy.aggregate_gradients`); ``λ1 = λ1* + φ_lat (L − L*)`` and
    ``λ2 = λ2* + φ_qual (Q* − Q)`` on the rule's branch (:func:`~geo_sym.economy.policy.slo_weight_slopes`).
    """
    A, K = econ.A, econ.K
    AK = A * K
    n = 2 * AK + A
    names = observable_names(econ)
    G = np.zeros((len(names), n))
    row = 0
    for a in range(A):
        for k in range(K):
            G[row, a * K + k] = 1.0
            row += 1
        G[row, AK + a * K : AK + (a + 1) * K] = 1.0
        G[row + 1, 2 * AK + a] = 1.0
        row += 2
    slo = econ.slo
    if slo is not None:
        y, _, w = _split(econ, x_star)
        (dL_dy, dL_dw), (dQ_dy, dQ_dw) = aggregate_gradients(slo, y[0], w[0])
        gL = np.concatenate([dL_dy.ravel(), np.zeros(AK), dL_dw])
        gQ = np.concatenate([dQ_dy.ravel(), np.zeros(AK), dQ_dw])
        G[row], G[row + 1] = gL, gQ
        if policy is not None:
            if at_floor is None:
                lat, qual = aggregate_metrics(slo, y[0], w[0])
                at_floor = slo_weights(slo, policy.as_float(), float(lat), float(qual)).at_floor
            s_lat, s_qual = slo_weight_slopes(policy.as_float(), at_floor)
            G[row + 2], G[row + 3] = s_lat * gL, s_qual * gQ
    return names, G


def series_label(econ, name: str) -> str:
    """A typeset (matplotlib mathtext) label for a series, with agent names upright
    (:func:`geo_sym.render.plot_style.series_label`, the one symbol table of the figures)."""
    from geo_sym.render.plot_style import series_label as label

    return label(name, econ.metric_names, econ.stats_per_metric or 1)
