"""The one definition of an optimizer: `Method`, its `State`, and the registry.

A method declares its hyperparameters with their domains, its state variables
(their order fixes the basis of the iteration matrix), how its state starts from
an initial point, and a ``step`` written as plain arithmetic. The step receives a
gradient oracle ``grad`` and an ``ops`` namespace for everything beyond
``+ - * /`` (``sqrt``, ``sign``, ``abs``, ``maximum``, ``where``, ``norm``,
``zeros_like``), so the same code runs on numpy arrays (simulate layer) and on
sympy symbols (theory layer).

The gradient oracle ``grad(q)`` returns the (possibly stochastic) gradient at the
point ``q``. A step may query it at any point it likes (Nesterov's look-ahead,
SAM's perturbed point); all queries within one step see the same random draw
(the same minibatch, the same additive noise).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

from .domains import Domain

__all__ = ["Method", "State", "get", "names", "register"]


class State(Mapping):
    """An immutable, ordered record of state variables with attribute access.

    ``s.x`` reads a field; ``s.replace(x=...)`` returns a new state with some
    fields changed (the field order is kept).
    """

    __slots__ = ("_fields",)

    def __init__(self, **fields: Any) -> None:
        object.__setattr__(self, "_fields", dict(fields))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(f"state has no variable {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("State is immutable; use replace()")

    def __getitem__(self, name: str) -> Any:
        return self._fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def replace(self, **changes: Any) -> State:
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise AttributeError(f"state has no variable(s) {sorted(unknown)}")
        return State(**{**self._fields, **changes})

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._fields.items())
        return f"State({inner})"


Grad = Callable[[Any], Any]


class Method(ABC):
    r"""Base class of an optimizer definition.

    Subclasses set the class attributes below and implement :meth:`step`; they
    override :meth:`init` when a state variable does not start at zero.

    Attributes
    ----------
    name : str
        Registry name.
    hyper : dict[str, Domain]
        Hyperparameters and their domains (order is the canonical order).
    state : tuple[str, ...]
        State variables; ``"x"`` (the iterate) always comes first.
    linear : bool
        True if the step is linear in the state and the gradient, so that
        linearization is exact on a quadratic.
    slow_states : tuple[str, ...]
        Second-moment statistics that the theory layer freezes (the
        preconditioner view of adaptive methods).
    slow_rates : dict[str, str]
        For each slow state that is an exponential moving average, the
        hyperparameter that is its decay rate: set close to 1, the state
        stays where it starts (the frozen-preconditioner experiment).
    schedule_states : tuple[str, ...]
        States that depend on the step counter only, never on the iterate.
    uses_step_counter : bool
        True if the update depends on the step counter ``t`` (bias corrections).
    reference : str
        Where the update rule comes from.
    torch : tuple[str, Callable] or None
        The ``torch.optim`` class that implements the same update and a map
        from optdyn hyperparameters to its keyword arguments.
    not_linearizable : str or None
        Why the step has no Jacobian at the minimum, for methods that have none.
    """

    name: ClassVar[str]
    hyper: ClassVar[dict[str, Domain]]
    state: ClassVar[tuple[str, ...]] = ("x",)
    linear: ClassVar[bool] = False
    slow_states: ClassVar[tuple[str, ...]] = ()
    slow_rates: ClassVar[dict[str, str]] = {}
    schedule_states: ClassVar[tuple[str, ...]] = ()
    uses_step_counter: ClassVar[bool] = False
    reference: ClassVar[str] = ""
    torch: ClassVar[tuple[str, Callable[[dict], dict]] | None] = None
    not_linearizable: ClassVar[str | None] = None

    # -- hyperparameters -------------------------------------------------
    def resolve(self, **hyper: Any) -> dict[str, Any]:
        """Validate hyperparameters and fill in defaults.

        Returns
        -------
        dict
            One entry per hyperparameter in canonical order: a float, a float64
            array (for a grid) or a bool.

        Raises
        ------
        TypeError
            For an unknown or missing hyperparameter, or a value of the wrong type.
        ValueError
            For a value outside the hyperparameter's domain (NaN and inf included).
        """
        unknown = [k for k in hyper if k not in self.hyper]
        if unknown:
            raise TypeError(
                f"{self.name} has no hyperparameter {unknown[0]!r}; "
                f"its hyperparameters are {', '.join(self.hyper)}"
            )
        out: dict[str, Any] = {}
        for key, dom in self.hyper.items():
            if key in hyper:
                out[key] = dom.validate(key, hyper[key])
            elif dom.required:
                raise TypeError(f"{self.name} requires hyperparameter {key!r} in {dom.describe()}")
            else:
                out[key] = dom.default
        return out

    def states(self, **hyper: Any) -> tuple[str, ...]:
        """State variables used for these hyperparameters (flags may add some)."""
        return self.state

    # -- dynamics ----------------------------------------------------------
    def init(self, x: Any, ops: Any, **hyper: Any) -> State:
        """Initial state at the point ``x``: every other variable starts at zero."""
        return State(**{k: (x if k == "x" else ops.zeros_like(x)) for k in self.states(**hyper)})

    @abstractmethod
    def step(self, s: State, grad: Grad, ops: Any, *, t: Any, **hyper: Any) -> State:
        """One iteration: the state after step number ``t`` (counting from 1)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<method {self.name}: {', '.join(self.hyper)}>"


_REGISTRY: dict[str, Method] = {}


def register(cls: type[Method]) -> type[Method]:
    """Class decorator: add one instance of ``cls`` to the registry."""
    if cls.name in _REGISTRY:
        raise ValueError(f"method {cls.name!r} is already registered")
    if not cls.state or cls.state[0] != "x":
        raise ValueError(f"{cls.name}: the first state variable must be 'x'")
    _REGISTRY[cls.name] = cls()
    return cls


def names() -> list[str]:
    """Names of all registered methods, in registration order."""
    return list(_REGISTRY)


def get(method: str | Method) -> Method:
    """The registered method called ``method`` (a `Method` is returned as is).

    Raises
    ------
    ValueError
        If no method has that name.
    TypeError
        If ``method`` is neither a string nor a `Method`.
    """
    if isinstance(method, Method):
        return method
    if not isinstance(method, str):
        raise TypeError(f"method must be a method name or a Method; got {type(method).__name__}")
    try:
        return _REGISTRY[method]
    except KeyError:
        raise ValueError(
            f"unknown method {method!r}; known methods are {', '.join(_REGISTRY)}"
        ) from None
