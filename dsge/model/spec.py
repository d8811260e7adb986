"""A validated model: names, exact parameter values, parse trees, shocks and analysis options.

:class:`ModelSpec` is what the YAML reader (:mod:`dsge.model.model_file`) and the Dynare
``.mod`` reader (:mod:`dsge.model.mod_file`) produce and what the compiler
(:mod:`dsge.model.core`) and symbolic tools (e.g. determinacy regions, through
:func:`dsge.model.parser.to_sympy`) consume. It holds the model twice:

* as written — :attr:`ModelSpec.written_trees` (equations with model-local names and any
  lead or lag), :attr:`ModelSpec.local_trees`;
* expanded — :attr:`ModelSpec.trees`, one ``(lhs, rhs)`` per variable of
  :attr:`ModelSpec.variables` (the declared ones, then the auxiliary variables of
  :mod:`dsge.model.auxiliary`), with locals inlined, timings in ``{-1, 0, +1}`` and shocks
  dated ``t``. Its residual is ``lhs - rhs``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dsge.model.parser import node_names

__all__ = ["ModelSpec", "DEFAULT_SS_TOL", "DEFAULT_UNIT_CIRCLE_TOL", "OPTION_TYPES"]

DEFAULT_SS_TOL = 1e-9
DEFAULT_UNIT_CIRCLE_TOL = 1e-6


#: ``stoch_simul`` options: name -> kind (``int`` >= 0, ``bool``, ``number`` > 0 or 0, ``ints``, ``names``)
OPTION_TYPES = {
    "order": "int",
    "irf": "int",
    "ar": "int",
    "periods": "int",
    "drop": "int",
    "hp_filter": "number",
    "loglinear": "bool",
    "conditional_variance_decomposition": "ints",
    "irf_shocks": "names",
    "var_list": "names",
    "nomoments": "bool",
    "nocorr": "bool",
    "nodecomposition": "bool",
    "nofunctions": "bool",
    "noprint": "bool",
    "nograph": "bool",
}


@dataclass(frozen=True)
class ModelSpec:
    """A validated model file.

    Attributes
    ----------
    name, description : str
    variables : tuple of str
        Declared variables, then auxiliary ones.
    declared : int
        Number of declared variables (the first ``declared`` of ``variables``).
    shocks, parameter_names : tuple of str
    parameters : dict
        Name -> value after ``--set`` overrides and derived definitions: a
        :class:`fractions.Fraction` when exact (numbers are read from their decimal
        text, ``0.1`` is ``1/10``), a float when a formula needs ``exp``, ``log``, ...
    parameter_formulas : dict
        Name -> parse tree of each parameter defined from others (``beta: "1/(1+r)"``),
        in dependency order; overridden parameters are not in it.
    equations : tuple of str
        Equation texts: as written for the declared equations, generated for the
        definitions of auxiliary variables.
    trees : tuple of (Node, Node)
        Expanded equations (see the module docstring).
    written_trees : tuple of (Node, Node)
        The declared equations as written (``("local", name)`` leaves, any timing).
    local_trees : dict
        Model-local name -> parse tree (as written, in order).
    aux : tuple of dsge.model.auxiliary.AuxiliaryVariable
    guess : tuple of float
        Steady-state values or starting guesses, in variable order.
    steady_state_model : tuple of (str, Node)
        The analytic steady-state block, in order (targets are variables or helper names).
    shock_cov_trees : tuple of tuple of Node
        Covariance of the shocks as expressions in the parameters (``ne x ne``).
    shock_cov : tuple of tuple of float
        Its value (checked positive semidefinite).
    log_variables : tuple of str
        Variables linearized in logs.
    options : dict
        ``stoch_simul`` options (Dynare names: ``irf``, ``ar``, ``periods``, ``drop``,
        ``hp_filter``, ``loglinear``, ``conditional_variance_decomposition``, ``irf_shocks``,
        ``var_list``, ``nomoments``, ``nocorr``, ``nodecomposition``, ``nofunctions``,
        ``noprint``, ``nograph``); None when the file has no such section.
    ss_tol, unit_circle_tol : float
    latex_names : dict
    notes : tuple of str
        What a reader of a ``.mod`` file accepted but ignored (output-only commands).
    """

    name: str
    variables: tuple
    shocks: tuple
    parameter_names: tuple
    parameters: dict = field(repr=False)
    equations: tuple = field(repr=False)
    trees: tuple = field(repr=False)
    guess: tuple = field(repr=False)
    shock_cov: tuple = field(repr=False)
    declared: int = -1
    description: str = ""
    parameter_formulas: dict = field(default_factory=dict, repr=False)
    written_trees: tuple = field(default=(), repr=False)
    local_trees: dict = field(default_factory=dict, repr=False)
    aux: tuple = field(default=(), repr=False)
    steady_state_model: tuple = field(default=(), repr=False)
    shock_cov_trees: tuple = field(default=(), repr=False)
    log_variables: tuple = ()
    options: dict | None = field(default=None, repr=False)
    ss_tol: float = DEFAULT_SS_TOL
    unit_circle_tol: float = DEFAULT_UNIT_CIRCLE_TOL
    latex_names: dict = field(default_factory=dict, repr=False)
    notes: tuple = field(default=(), repr=False)

    def __post_init__(self):
        if self.declared < 0:
            object.__setattr__(self, "declared", len(self.variables))

    @property
    def declared_variables(self) -> tuple:
        """The variables of the file (without the auxiliary ones)."""
        return self.variables[: self.declared]

    @property
    def leads(self) -> tuple:
        """Variables (of the expanded model) that appear with ``(+1)``."""
        return self._timed(1)

    @property
    def lags(self) -> tuple:
        """Variables (of the expanded model) that appear with ``(-1)``."""
        return self._timed(-1)

    def _timed(self, timing: int) -> tuple:
        seen = set()
        for lhs, rhs in self.trees:
            for kind, name, t in node_names(lhs) | node_names(rhs):
                if kind == "var" and t == timing:
                    seen.add(name)
        return tuple(v for v in self.variables if v in seen)
