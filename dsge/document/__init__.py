r"""LaTeX for DSGE models: the model document and notebook summaries.

:func:`model_document` writes a complete, compilable document of a model, in the spirit of
Dynare's ``write_latex_dynamic_model`` / ``write_latex_steady_state_model`` and gEcon's
model reports:

1. declarations: variables, shocks and parameters with their values;
2. the equations with Dynare timing (``x_{t+1}`` is the expectation at ``t``,
   ``x_{t-1}`` last period's value), printed from the parse trees (never from the raw
   text), long equations broken across lines;
3. the steady state and the residual of each equation there;
4. the linearized model ``F_+ ŷ_{t+1} + F_0 ŷ_t + F_- ŷ_{t-1} + F_ε ε_t = 0`` — as
   equations in deviations and as matrices (large ones as lists of non-zero entries);
5. the Blanchard–Kahn table (order and rank conditions, moduli of the generalized
   eigenvalues, status);
6. the solution ``ŷ_t = T ŷ_{t-1} + R ε_t`` and, when stationary, standard deviations and
   autocorrelations.

Names are typeset with the file's ``latex_names`` (a trailing ``_t`` or ``_{t}`` is read as
the date and replaced by the timing); other names get Dynare-like defaults (``pi`` →
``\pi``, ``phi_pi`` → ``\phi_{\pi}``, ``eps_v`` → ``\varepsilon_{v}``).
The ``*_latex`` functions return MathJax-compatible math for notebooks
(``_repr_latex_`` of :mod:`dsge.solution.results`).
"""

from __future__ import annotations

from dsge.document.model import model_document
from dsge.document.names import MAX_MATRIX, default_latex_name, equation_latex, tree_latex, variable_latex
from dsge.document.notebook import irf_latex, linearization_latex, moments_latex, solution_latex

__all__ = [
    "model_document",
    "solution_latex",
    "linearization_latex",
    "irf_latex",
    "moments_latex",
    "equation_latex",
    "tree_latex",
    "variable_latex",
    "default_latex_name",
    "MAX_MATRIX",
]
