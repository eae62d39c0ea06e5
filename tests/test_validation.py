"""Bad input is rejected with a ValueError or TypeError that names the parameter and its range.

One test per kind of bad input: hyperparameters (out of their domain, NaN, inf, wrongly
typed, unknown, missing, not broadcasting), problems (H not symmetric, not positive
semidefinite, not finite, of the wrong shape), noise models, the arguments of
``od.simulate.run`` and ``od.methods.get``. Messages are matched on the parameter name
and, where the message states one, on the allowed range.

A hypothesis fuzz test then calls ``run`` (and the problem and noise constructors) with
a mix of valid and invalid arguments and checks that only ValueError and TypeError ever
escape (warnings are errors in this test suite, so a stray RuntimeWarning fails too),
and that a run that succeeds reports no NaN loss and NaN iterates exactly on the runs
it flags as diverged.

Numbers beyond the float64 range (huge ints, Fractions, matrices whose products
overflow) and the abstract base classes get the same treatment.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import optdyn as od
from optdyn.methods import Boolean, Interval

S = od.simulate
NAMES = od.methods.names()
PROBLEM = S.DiagonalQuadratic([1.0, 4.0])
NAN, INF = math.nan, math.inf

#: A valid value for every required hyperparameter of any registered method.
VALID = {"lr": 0.01, "momentum": 0.5}


def required(name: str) -> dict[str, float]:
    """The required hyperparameters of method ``name``, at valid values."""
    return {k: VALID[k] for k, d in od.methods.get(name).hyper.items() if d.required}


def raises(exc: type[Exception], *fragments: str):
    """``pytest.raises(exc)`` whose message contains ``fragments`` literally, in order."""
    return pytest.raises(exc, match=".*".join(re.escape(f) for f in fragments))


def run(method="gd", problem=PROBLEM, steps=3, **kwargs):
    """``od.simulate.run`` with small defaults."""
    return S.run(method, problem, steps=steps, **kwargs)


def test_valid_table_covers_every_required_hyperparameter():
    for name in NAMES:
        for key, dom in od.methods.get(name).hyper.items():
            if dom.required:
                assert key in VALID, f"{name}.{key} has no valid value in VALID"
                assert dom.validate(key, VALID[key]) == VALID[key]


# -- hyperparameters: out of their domain ----------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_negative_lr(name):
    with raises(ValueError, "lr must be in [0, inf); got -0.1"):
        run(name, **{**required(name), "lr": -0.1})


@pytest.mark.parametrize("value", [1.0, 1.5, -0.1])
def test_ema_momentum_outside_unit_interval(value):
    with raises(ValueError, "momentum must be in [0, 1); got", repr(value)):
        run("ema_momentum", lr=0.1, momentum=value)


@pytest.mark.parametrize("name", ["adam", "adam_l2", "adamw", "amsgrad", "nadam"])
@pytest.mark.parametrize("beta", ["beta1", "beta2"])
def test_adam_beta_equal_to_one(name, beta):
    with raises(ValueError, f"{beta} must be in [0, 1); got 1.0"):
        run(name, lr=0.01, **{beta: 1.0})


@pytest.mark.parametrize(
    ("name", "key", "value", "domain"),
    [
        ("rmsprop", "decay", 1.0, "[0, 1)"),
        ("lion", "beta1", 1.01, "[0, 1]"),
        ("lion", "beta2", -0.5, "[0, 1]"),
        ("sgd_momentum", "dampening", 1.5, "[0, 1]"),
        ("heavy_ball", "momentum", -0.5, "[0, inf)"),
        ("sam", "rho", -1.0, "[0, inf)"),
        ("adam", "eps", -1e-8, "(0, inf)"),
        ("adam", "eps", 0.0, "(0, inf)"),
        ("rmsprop", "eps", 0.0, "(0, inf)"),
        ("adagrad", "eps", 0.0, "(0, inf)"),
        ("sam", "eps", 0.0, "(0, inf)"),
        ("adagrad", "initial_accumulator_value", -1.0, "[0, inf)"),
        ("nadam", "momentum_decay", -0.004, "[0, inf)"),
    ],
)
def test_hyperparameter_outside_its_domain(name, key, value, domain):
    with raises(ValueError, f"{key} must be in {domain}; got {value!r}"):
        run(name, **{**required(name), key: value})


@pytest.mark.parametrize(
    ("name", "key", "value"),
    [
        ("gd", "lr", 0.0),
        ("ema_momentum", "momentum", 0.0),
        ("lion", "beta1", 1.0),
        ("sgd_momentum", "dampening", 1.0),
        ("adam", "beta2", 0.0),
    ],
)
def test_closed_ends_of_a_domain_are_accepted(name, key, value):
    r = run(name, **{**required(name), key: value})
    assert r.hyper[key] == value


# -- hyperparameters: NaN and inf, as scalars and inside arrays --------------------------


@pytest.mark.parametrize(
    ("value", "shown"), [(NAN, "NaN"), (np.float64(NAN), "NaN"), (INF, "inf"), (-INF, "-inf")]
)
@pytest.mark.parametrize("name", ["gd", "heavy_ball", "adam"])
def test_nonfinite_scalar_hyperparameter(name, value, shown):
    with raises(ValueError, "lr must be in [0, inf); got", shown):
        run(name, **{**required(name), "lr": value})


@pytest.mark.parametrize(
    ("name", "key", "value", "range_", "shown"),
    [
        ("gd", "lr", [0.1, NAN, 0.2], "[0, inf)", "got NaN at index (1,)"),
        (
            "heavy_ball",
            "momentum",
            np.array([[0.1, 0.2], [INF, 0.3]]),
            "[0, inf)",
            "got inf at index (1, 0)",
        ),
        ("adam", "beta1", np.array([0.9, 0.99, -INF]), "[0, 1)", "got -inf at index (2,)"),
        ("ema_momentum", "momentum", [0.5, 1.0], "[0, 1)", "got 1.0 at index (1,)"),
        ("lion", "beta2", [[0.5], [1.5]], "[0, 1]", "got 1.5 at index (1, 0)"),
    ],
)
def test_bad_element_of_an_array_hyperparameter_reports_its_index(name, key, value, range_, shown):
    with raises(ValueError, f"{key} must be in {range_}; {shown}"):
        run(name, **{**required(name), key: value})


# -- hyperparameters: wrong types -------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "0.1",
        b"0.1",
        None,
        1j,
        np.complex128(0.1),
        [0.1, 1j],
        [0.1, "a"],
        [[0.1], [0.1, 0.2]],
        {"lr": 0.1},
        np.array([1], dtype="m8[s]"),
    ],
    ids=repr,
)
@pytest.mark.parametrize("name", ["gd", "adam", "rmsprop"])
def test_non_real_hyperparameter_is_a_type_error(name, value):
    with raises(TypeError, "lr must be a real number", "in [0, inf)"):
        run(name, **{**required(name), "lr": value})


@pytest.mark.parametrize("value", [True, False, np.True_, np.array(True), [True, False]], ids=repr)
def test_bool_given_for_a_real_hyperparameter(value):
    with raises(TypeError, "momentum must be a real number", "in [0, inf)"):
        run("heavy_ball", lr=0.1, momentum=value)


@pytest.mark.parametrize("value", [0, 1, 1.0, "True", None, np.array(True), [True]], ids=repr)
@pytest.mark.parametrize(("name", "key"), [("sgd_momentum", "nesterov"), ("rmsprop", "centered")])
def test_non_bool_given_for_a_boolean_hyperparameter(name, key, value):
    with raises(TypeError, f"{key} must be True or False; got {type(value).__name__}"):
        run(name, **{**required(name), key: value})


@pytest.mark.parametrize(("name", "key"), [("sgd_momentum", "nesterov"), ("rmsprop", "centered")])
@pytest.mark.parametrize("flag", [True, np.False_])
def test_bools_are_accepted_for_a_boolean_hyperparameter(name, key, flag):
    assert run(name, **{**required(name), key: flag}).hyper[key] is bool(flag)


def test_empty_array_hyperparameter():
    with raises(ValueError, "lr must not be an empty array"):
        run("gd", lr=[])


# -- hyperparameters: unknown, missing, not broadcasting -------------------------------


@pytest.mark.parametrize(
    ("name", "key", "known"),
    [
        ("gd", "momentum", "lr"),
        ("adam", "momentum", "lr, beta1, beta2, eps"),
        ("heavy_ball", "beta", "lr, momentum"),
        ("rmsprop", "alpha", "lr, decay, eps, weight_decay, momentum, centered"),
    ],
)
def test_unknown_hyperparameter(name, key, known):
    with raises(
        TypeError, f"{name} has no hyperparameter {key!r}; its hyperparameters are {known}"
    ):
        run(name, **{**required(name), key: 0.5})


@pytest.mark.parametrize("name", NAMES)
def test_missing_lr(name):
    with raises(TypeError, f"{name} requires hyperparameter 'lr' in [0, inf)"):
        run(name, **{k: v for k, v in required(name).items() if k != "lr"})


@pytest.mark.parametrize("name", ["heavy_ball", "nesterov", "ema_momentum", "sgd_momentum"])
def test_missing_momentum(name):
    dom = od.methods.get(name).hyper["momentum"].describe()
    with raises(TypeError, f"{name} requires hyperparameter 'momentum' in {dom}"):
        run(name, lr=0.1)


@pytest.mark.parametrize(
    ("lr", "momentum", "shapes"),
    [
        ([0.1, 0.2], [0.1, 0.2, 0.3], "lr (2,), momentum (3,)"),
        (np.full((2, 3), 0.1), np.full((2,), 0.5), "lr (2, 3), momentum (2,)"),
        (np.full((4, 1), 0.1), np.full((3, 2), 0.5), "lr (4, 1), momentum (3, 2)"),
    ],
)
def test_array_hyperparameters_that_do_not_broadcast(lr, momentum, shapes):
    with raises(ValueError, "array hyperparameters of heavy_ball must broadcast together", shapes):
        run("heavy_ball", lr=lr, momentum=momentum)


def test_array_hyperparameters_that_broadcast_form_a_grid():
    r = run("heavy_ball", seeds=2, lr=np.full((4, 1), 0.1), momentum=[0.0, 0.5, 0.9])
    assert r.grid_shape == (4, 3)
    assert r.x.shape == (4, 3, 2, 2)


# -- problems ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("H", "fragments"),
    [
        ([[1.0, 0.5], [0.0, 1.0]], ("H must be symmetric",)),
        ([[1.0, 0.0], [0.0, -1.0]], ("H must be positive semidefinite (eigenvalues >= 0)", "-1")),
        ([[1.0, 2.0], [2.0, 1.0]], ("H must be positive semidefinite (eigenvalues >= 0)", "-1")),
        ([[1.0, NAN], [NAN, 1.0]], ("H must be finite",)),
        ([[INF, 0.0], [0.0, 1.0]], ("H must be finite",)),
        (np.ones((2, 3)), ("H must be square; got shape (2, 3)",)),
        ([1.0, 2.0], ("H must be 2-dimensional; got shape (2,)",)),
        (np.ones((2, 2, 2)), ("H must be 2-dimensional; got shape (2, 2, 2)",)),
        (np.zeros((0, 0)), ("H must not be empty",)),
    ],
    ids=[
        "non-symmetric",
        "indefinite-diag",
        "indefinite",
        "nan",
        "inf",
        "non-square",
        "1-d",
        "3-d",
        "empty",
    ],
)
def test_quadratic_rejects_bad_hessian(H, fragments):
    with raises(ValueError, *fragments):
        S.Quadratic(H)


@pytest.mark.parametrize(
    "H",
    [None, "eye", [["1", "0"], ["0", "1"]], np.eye(2) * 1j, np.eye(2, dtype=bool)],
    ids=["None", "str", "str-array", "complex", "bool"],
)
def test_quadratic_rejects_non_real_hessian(H):
    with raises(TypeError, "H must be an array of real numbers"):
        S.Quadratic(H)


@pytest.mark.parametrize(
    ("x_star", "fragments"),
    [
        ([0.0, 0.0, 0.0], ("x_star must have shape (2,); got (3,)",)),
        ([1.0], ("x_star must have shape (2,); got (1,)",)),
        ([[0.0, 0.0]], ("x_star must be 1-dimensional; got shape (1, 2)",)),
        ([0.0, NAN], ("x_star must be finite",)),
        ([INF, 0.0], ("x_star must be finite",)),
    ],
)
@pytest.mark.parametrize("make", [S.Quadratic, S.DiagonalQuadratic], ids=["dense", "diagonal"])
def test_x_star_of_wrong_shape_or_not_finite(make, x_star, fragments):
    arg = np.eye(2) if make is S.Quadratic else [1.0, 2.0]
    with raises(ValueError, *fragments):
        make(arg, x_star=x_star)


@pytest.mark.parametrize(
    ("eigenvalues", "exc", "fragments"),
    [
        ([1.0, -0.5], ValueError, ("eigenvalues must be >= 0",)),
        ([1.0, NAN], ValueError, ("eigenvalues must be finite",)),
        ([INF, 1.0], ValueError, ("eigenvalues must be finite",)),
        ([], ValueError, ("eigenvalues must not be empty",)),
        ([[1.0, 2.0]], ValueError, ("eigenvalues must be 1-dimensional; got shape (1, 2)",)),
        (1.0, ValueError, ("eigenvalues must be 1-dimensional; got shape ()",)),
        ("1 2", TypeError, ("eigenvalues must be an array of real numbers",)),
        ([True, False], TypeError, ("eigenvalues must be an array of real numbers",)),
    ],
    ids=["negative", "nan", "inf", "empty", "2-d", "scalar", "str", "bool"],
)
def test_diagonal_quadratic_rejects_bad_eigenvalues(eigenvalues, exc, fragments):
    with raises(exc, *fragments):
        S.DiagonalQuadratic(eigenvalues)


def test_quadratic_from_eigenvalues_checks_eigenvalues_and_rng():
    with raises(ValueError, "eigenvalues must be >= 0"):
        S.Quadratic.from_eigenvalues([1.0, -1.0], rng=0)
    with raises(ValueError, "rng is required"):
        S.Quadratic.from_eigenvalues([1.0, 2.0])
    with raises(TypeError, "rng must be an int seed >= 0 or a numpy.random.Generator"):
        S.Quadratic.from_eigenvalues([1.0, 2.0], rng="seed")


@pytest.mark.parametrize(
    ("A", "b", "fragments"),
    [
        (np.ones((3, 2)), [1.0, 2.0], ("b must have 3 entries (rows of A); got 2",)),
        (np.ones((2, 2)), [1.0, 2.0, 3.0], ("b must have 2 entries (rows of A); got 3",)),
        ([1.0, 2.0], [1.0, 2.0], ("A must be 2-dimensional; got shape (2,)",)),
        (np.ones((2, 2)), [[1.0, 2.0]], ("b must be 1-dimensional; got shape (1, 2)",)),
        ([[1.0, NAN], [0.0, 1.0]], [1.0, 2.0], ("A must be finite",)),
        (np.eye(2), [1.0, INF], ("b must be finite",)),
    ],
    ids=["b-short", "b-long", "A-1d", "b-2d", "A-nan", "b-inf"],
)
def test_least_squares_rejects_mismatched_or_bad_data(A, b, fragments):
    with raises(ValueError, *fragments):
        S.LeastSquares(A, b)


@pytest.mark.parametrize(
    ("batch_size", "exc", "shown"),
    [
        (0, ValueError, "got 0"),
        (-2, ValueError, "got -2"),
        (1.5, TypeError, "got float"),
        (2.0, TypeError, "got float"),
        (True, TypeError, "got bool"),
        ("4", TypeError, "got str"),
    ],
)
def test_least_squares_rejects_bad_batch_size(batch_size, exc, shown):
    with raises(exc, "batch_size must be an integer >= 1", shown):
        S.LeastSquares(np.eye(2), [1.0, 2.0], batch_size=batch_size)


@pytest.mark.parametrize(
    ("kwargs", "exc", "fragments"),
    [
        ({"n": 0, "dim": 2}, ValueError, ("n must be an integer >= 1; got 0",)),
        ({"n": 3, "dim": -1}, ValueError, ("dim must be an integer >= 1; got -1",)),
        ({"n": 3, "dim": 2, "label_noise": -1.0}, ValueError, ("label_noise", ">= 0", "-1.0")),
        ({"n": 3, "dim": 2, "label_noise": NAN}, ValueError, ("label_noise", ">= 0", "nan")),
        ({"n": 3.0, "dim": 2}, TypeError, ("n must be an integer >= 1; got float",)),
    ],
)
def test_least_squares_synthetic_checks_its_arguments(kwargs, exc, fragments):
    with raises(exc, *fragments):
        S.LeastSquares.synthetic(rng=0, **kwargs)


# -- noise models --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sigma", "fragments"),
    [
        (-0.1, ("sigma must be >= 0",)),
        ([0.1, -0.1], ("sigma must be >= 0",)),
        (NAN, ("sigma must be finite",)),
        ([0.1, INF], ("sigma must be finite",)),
        (np.ones((2, 2)), ("sigma must be a scalar or 1-dimensional; got shape (2, 2)",)),
        ([], ("sigma must not be empty",)),
    ],
)
def test_additive_noise_rejects_bad_sigma(sigma, fragments):
    with raises(ValueError, *fragments):
        S.AdditiveNoise(sigma=sigma)


@pytest.mark.parametrize("sigma", ["0.1", True, 0.1j], ids=repr)
def test_additive_noise_rejects_non_real_sigma(sigma):
    with raises(TypeError, "sigma must be an array of real numbers"):
        S.AdditiveNoise(sigma=sigma)


@pytest.mark.parametrize("kwargs", [{}, {"sigma": 0.1, "cov": np.eye(2)}], ids=["neither", "both"])
def test_additive_noise_takes_exactly_one_of_sigma_and_cov(kwargs):
    with raises(TypeError, "AdditiveNoise takes exactly one of sigma and cov"):
        S.AdditiveNoise(**kwargs)


@pytest.mark.parametrize(
    ("cov", "fragments"),
    [
        ([[1.0, 0.5], [0.0, 1.0]], ("cov must be symmetric",)),
        ([[1.0, 0.0], [0.0, -1.0]], ("cov must be positive semidefinite (eigenvalues >= 0)",)),
        ([[1.0, NAN], [NAN, 1.0]], ("cov must be finite",)),
        (np.ones((2, 3)), ("cov must be square",)),
        ([1.0, 1.0], ("cov must be 2-dimensional",)),
    ],
)
def test_additive_noise_rejects_bad_cov(cov, fragments):
    with raises(ValueError, *fragments):
        S.AdditiveNoise(cov=cov)


@pytest.mark.parametrize(
    "noise",
    [
        S.AdditiveNoise(cov=np.eye(3)),
        S.AdditiveNoise(cov=np.eye(1)),
        S.AdditiveNoise(sigma=[0.1] * 3),
    ],
    ids=["cov-3x3", "cov-1x1", "sigma-3"],
)
def test_noise_of_the_wrong_dimension_is_rejected_by_run(noise):
    dim = noise._dim()
    with raises(ValueError, f"{dim}", "problem has dim 2"):
        run("gd", lr=0.1, rng=0, noise=noise)


@pytest.mark.parametrize(
    ("kwargs", "exc", "fragments"),
    [
        ({"sigma2": -1.0}, ValueError, ("sigma2 must be a finite real number >= 0; got -1.0",)),
        ({"sigma2": NAN}, ValueError, ("sigma2 must be a finite real number >= 0; got nan",)),
        ({"sigma2": INF}, ValueError, ("sigma2 must be a finite real number >= 0; got inf",)),
        ({"sigma2": "1"}, TypeError, ("sigma2 must be a real number >= 0; got str",)),
        ({"sigma2": True}, TypeError, ("sigma2 must be a real number >= 0; got bool",)),
        ({"batch_size": 0}, ValueError, ("batch_size must be an integer >= 1; got 0",)),
        ({"batch_size": -3}, ValueError, ("batch_size must be an integer >= 1; got -3",)),
        ({"batch_size": 2.0}, TypeError, ("batch_size must be an integer >= 1; got float",)),
    ],
)
def test_hessian_noise_rejects_bad_arguments(kwargs, exc, fragments):
    with raises(exc, *fragments):
        S.HessianNoise(**kwargs)


@pytest.mark.parametrize("noise", [0.1, "gaussian", S.AdditiveNoise], ids=repr)
def test_noise_that_is_not_a_noise_model(noise):
    with raises(TypeError, "noise must be a NoiseModel or None"):
        run("gd", lr=0.1, rng=0, noise=noise)


# -- run: method and problem -------------------------------------------------------------


@pytest.mark.parametrize("method", ["newton", "", "GD", "heavy-ball", "adam "])
def test_unknown_method_name_lists_the_known_names(method):
    with raises(ValueError, f"unknown method {method!r}; known methods are"):
        run(method, lr=0.1)
    with pytest.raises(ValueError) as info:
        run(method, lr=0.1)
    listed = str(info.value).split("known methods are ", 1)[1].split(", ")
    assert listed == NAMES


@pytest.mark.parametrize(
    "method", [None, 3, 1.5, ["gd"], ("gd",), type(od.methods.get("gd"))], ids=repr
)
def test_method_that_is_neither_a_name_nor_a_method(method):
    with raises(TypeError, "method must be a method name or a Method; got", type(method).__name__):
        run(method, lr=0.1)


@pytest.mark.parametrize("problem", [None, np.eye(2), [1.0, 4.0], "quadratic", S.DiagonalQuadratic])
def test_problem_that_is_not_a_problem(problem):
    with raises(
        TypeError, "problem must be an optdyn.simulate Problem; got", type(problem).__name__
    ):
        run("gd", problem=problem, lr=0.1)


# -- run: integer arguments --------------------------------------------------------------

BAD_INTS = [
    (0, ValueError, "got 0"),
    (-1, ValueError, "got -1"),
    (-100, ValueError, "got -100"),
    (1.0, TypeError, "got float"),
    (2.5, TypeError, "got float"),
    (np.float64(3.0), TypeError, "got float64"),
    (True, TypeError, "got bool"),
    (np.True_, TypeError, "got bool"),
    (None, TypeError, "got NoneType"),
    ("3", TypeError, "got str"),
]


@pytest.mark.parametrize(
    ("arg", "value", "exc", "shown"),
    [
        (arg, *case)
        for arg in ["steps", "seeds", "record_every", "chunk_size"]
        for case in BAD_INTS
        if not (arg == "chunk_size" and case[0] is None)  # None is chunk_size's default
    ],
)
def test_integer_arguments_must_be_at_least_one(arg, value, exc, shown):
    with raises(exc, f"{arg} must be an integer >= 1", shown):
        run("gd", lr=0.1, **{arg: value})


@pytest.mark.parametrize("value", [np.int64(2), np.int8(2), np.uint64(2)], ids=repr)
def test_numpy_integers_are_accepted(value):
    r = run("gd", lr=0.1, steps=value, seeds=value, record_every=value, chunk_size=value)
    assert (r.steps, r.seeds) == (2, 2)


# -- run: x0 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x0", "shape"),
    [
        ([0.0, 0.0, 0.0], "(3,)"),
        (np.zeros((2, 2)), "(2, 2)"),
        (np.zeros((1, 1, 1, 2)), "(1, 1, 1, 2)"),
    ],
)
def test_x0_of_wrong_shape(x0, shape):
    with raises(ValueError, "x0 must broadcast to (*grid, seeds, dim) = (3, 2); got shape", shape):
        run("gd", seeds=3, lr=0.1, x0=x0)


def test_x0_of_wrong_shape_for_the_grid():
    with raises(
        ValueError, "x0 must broadcast to (*grid, seeds, dim) = (2, 1, 2); got shape (3, 1, 2)"
    ):
        run("gd", lr=[0.1, 0.2], x0=np.zeros((3, 1, 2)))


@pytest.mark.parametrize("x0", [[NAN, 0.0], [0.0, INF], [[0.0, 0.0], [0.0, -INF]]], ids=repr)
def test_x0_not_finite(x0):
    with raises(ValueError, "x0 must be finite"):
        run("gd", seeds=2, lr=0.1, x0=x0)


@pytest.mark.parametrize("x0", ["00", [True, False], [1j, 0.0], [[0.0], [0.0, 0.0]]], ids=repr)
def test_x0_not_real(x0):
    with raises(TypeError, "x0 must be an array of real numbers"):
        run("gd", lr=0.1, x0=x0)


# -- run: rng ------------------------------------------------------------------------


@pytest.mark.parametrize("noisy", [False, True], ids=["deterministic", "stochastic"])
@pytest.mark.parametrize(
    "rng", ["seed", 1.5, True, np.random.RandomState(0), np.random.PCG64(0), [1, 2]], ids=repr
)
def test_rng_of_wrong_type(rng, noisy):
    noise = S.AdditiveNoise(sigma=0.1) if noisy else None
    with raises(TypeError, "rng must be an int seed >= 0 or a numpy.random.Generator; got"):
        run("gd", lr=0.1, rng=rng, noise=noise)


@pytest.mark.parametrize("noisy", [False, True], ids=["deterministic", "stochastic"])
@pytest.mark.parametrize("rng", [-1, np.int64(-5)], ids=repr)
def test_negative_rng_seed(rng, noisy):
    noise = S.AdditiveNoise(sigma=0.1) if noisy else None
    with raises(ValueError, "rng must be an int seed >= 0", f"got {rng}"):
        run("gd", lr=0.1, rng=rng, noise=noise)


@pytest.mark.parametrize(
    ("problem", "noise"),
    [
        (PROBLEM, S.AdditiveNoise(sigma=0.1)),
        (PROBLEM, S.HessianNoise(1.0, batch_size=4)),
        (S.LeastSquares(np.eye(2), [1.0, 2.0], batch_size=1), None),
    ],
    ids=["additive", "hessian", "minibatch"],
)
def test_stochastic_run_without_rng(problem, noise):
    with raises(ValueError, "rng is required"):
        run("gd", problem=problem, lr=0.1, noise=noise)


# -- run: divergence_factor and flags --------------------------------------------------


@pytest.mark.parametrize("factor", [1, 1.0, 0.5, 0, -2.0, NAN, INF, np.float64(NAN)], ids=repr)
def test_divergence_factor_out_of_range(factor):
    with raises(ValueError, "divergence_factor must be a finite real number > 1; got"):
        run("gd", lr=0.1, divergence_factor=factor)


@pytest.mark.parametrize("factor", ["10", None, True, 1e10j, [10.0]], ids=repr)
def test_divergence_factor_not_real(factor):
    with raises(TypeError, "divergence_factor must be a real number > 1"):
        run("gd", lr=0.1, divergence_factor=factor)


@pytest.mark.parametrize("arg", ["keep_iterates", "progress"])
@pytest.mark.parametrize("value", [1, 0, "yes", None], ids=repr)
def test_run_flags_must_be_bools(arg, value):
    with raises(TypeError, f"{arg} must be True or False; got {type(value).__name__}"):
        run("gd", lr=0.1, **{arg: value})


# -- od.methods.get and od.simulate.grid ---------------------------------------------------


@pytest.mark.parametrize("name", ["newton", "Adam", ""])
def test_methods_get_unknown_name(name):
    with raises(ValueError, f"unknown method {name!r}; known methods are", ", ".join(NAMES)):
        od.methods.get(name)


@pytest.mark.parametrize("value", [None, 1, ["gd"], b"gd", type(od.methods.get("gd"))], ids=repr)
def test_methods_get_wrong_type(value):
    with raises(TypeError, "method must be a method name or a Method; got", type(value).__name__):
        od.methods.get(value)


def test_methods_get_returns_a_method_as_is():
    m = od.methods.get("adam")
    assert od.methods.get(m) is m


@pytest.mark.parametrize(
    ("values", "exc", "fragments"),
    [
        ([], ValueError, ("lr must not be empty",)),
        (0.1, ValueError, ("lr must be 1-dimensional; got shape ()",)),
        ([[0.1, 0.2]], ValueError, ("lr must be 1-dimensional; got shape (1, 2)",)),
        (["a"], TypeError, ("lr must be an array of real numbers",)),
    ],
)
def test_grid_rejects_bad_axes(values, exc, fragments):
    with raises(exc, *fragments):
        S.grid(lr=values)


# -- numbers beyond float64 and abstract bases -------------------------------------------


@pytest.mark.parametrize(
    "value", [10**400, -(10**400), Fraction(10**400, 3)], ids=["big", "-big", "frac"]
)
def test_int_beyond_float_range_as_hyperparameter(value):
    with raises(ValueError, "lr must be in [0, inf)"):
        run("gd", lr=value)


def test_int_beyond_float_range_as_divergence_factor():
    with raises(ValueError, "divergence_factor must be a finite real number > 1"):
        run("gd", lr=0.1, divergence_factor=10**400)


def test_int_beyond_float_range_as_a_nonnegative_scalar():
    with raises(ValueError, "sigma2 must be a finite real number >= 0"):
        S.HessianNoise(sigma2=10**400)
    with raises(ValueError, "label_noise must be a finite real number >= 0"):
        S.LeastSquares.synthetic(3, 2, rng=0, label_noise=10**400)


def test_steps_beyond_int64():
    with raises(ValueError, "steps must be an integer"):
        run("gd", lr=0.1, steps=10**400)


def test_large_finite_spd_matrix_is_kept_finite():
    big = np.diag([1e308, 1.0])
    np.testing.assert_array_equal(S.Quadratic(big).hessian, big)
    np.testing.assert_array_equal(S.AdditiveNoise(cov=big).cov, big)


def test_large_non_symmetric_matrix_is_reported_as_non_symmetric():
    with raises(ValueError, "H must be symmetric"):
        S.Quadratic([[1.0, 1e308], [-1e308, 1.0]])


def test_least_squares_whose_hessian_overflows_names_A():
    with raises(ValueError, "A"):
        S.LeastSquares([[1e160, 1.0], [1.0, 1.0]], [1.0, 2.0])


@pytest.mark.parametrize("which", ["problem", "noise", "method"])
def test_abstract_base_instances_are_rejected(which):
    with pytest.raises(TypeError):
        problem = S.Problem() if which == "problem" else PROBLEM
        noise = S.NoiseModel() if which == "noise" else None
        method = od.methods.Method() if which == "method" else "gd"
        run(method, problem=problem, lr=0.1, rng=0, noise=noise)


# -- fuzz: only ValueError and TypeError ever escape --------------------------------------

#: Every parameter name a validation message may name.
PARAMETER_NAMES = sorted(
    {k for n in NAMES for k in od.methods.get(n).hyper}
    | {
        "method",
        "problem",
        "steps",
        "seeds",
        "rng",
        "x0",
        "noise",
        "record_every",
        "chunk_size",
        "divergence_factor",
        "keep_iterates",
        "eigenvalues",
        "x_star",
        "H",
        "A",
        "b",
        "batch_size",
        "sigma",
        "cov",
        "sigma2",
    }
)
NAMES_PATTERN = re.compile(r"\b(" + "|".join(map(re.escape, PARAMETER_NAMES)) + r")\b")


class Build:
    """A constructor call drawn by a strategy and made inside the test body."""

    def __init__(self, fn, *args, **kwargs):
        self.fn, self.args, self.kwargs = fn, args, kwargs

    def __call__(self):
        return self.fn(*self.args, **self.kwargs)

    def __repr__(self):
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.fn.__qualname__}({', '.join(parts)})"


def built(value):
    return value() if isinstance(value, Build) else value


BAD = "bad"  # marks a weighted option that gives an invalid value


def weighted(*options, clean=False):
    """One of ``(weight, strategy[, BAD])`` options, by weight; shrinks towards the first.

    With ``clean``, the options marked BAD are left out.
    """
    options = [o[:2] for o in options if not (clean and BAD in o[2:])]

    def choose(k):
        for weight, strategy in options:
            if k < weight:
                return strategy
            k -= weight
        raise AssertionError("unreachable")

    return st.integers(0, sum(w for w, _ in options) - 1).flatmap(choose)


def near(dim, clean=False):
    """``dim``; unless clean, sometimes one more or one less."""
    return st.just(dim) if clean else st.sampled_from([dim] * 8 + [dim + 1, max(dim - 1, 0)])


@st.composite
def vectors(draw, n, lo=-5.0, hi=5.0, clean=False):
    """Lists of ``n`` floats in [lo, hi]; unless clean, sometimes with a NaN, inf or negative."""
    v = draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n))
    if n and not clean and draw(st.integers(0, 9)) == 0:
        v[draw(st.integers(0, n - 1))] = draw(st.sampled_from([NAN, INF, -INF, -1.0]))
    return v


def matrices(rows, cols, lo=-3.0, hi=3.0, clean=False):
    rows_ = st.lists(vectors(cols, lo, hi, clean), min_size=rows, max_size=rows)
    return rows_.map(lambda m: np.array(m, dtype=float).reshape(rows, cols))


def _gram(m):
    with np.errstate(invalid="ignore", over="ignore"):  # M may hold NaN or inf
        return m @ m.T


def psd_or_not(k, lo, hi, clean=False):
    """``M @ M.T`` for a random k×k matrix M; unless clean, sometimes M itself."""
    return st.tuples(matrices(k, k, lo, hi, clean), st.booleans()).map(
        lambda p: _gram(p[0]) if clean or p[1] else p[0]
    )


@st.composite
def problems(draw, dim, clean):
    kind = draw(st.integers(0, 8 if clean else 9))
    if kind < 4:
        kwargs = {}
        if draw(st.integers(0, 3)) == 0:
            kwargs["x_star"] = draw(near(dim, clean).flatmap(lambda n: vectors(n, clean=clean)))
        return Build(S.DiagonalQuadratic, draw(vectors(dim, 0.0, 30.0, clean)), **kwargs)
    if kind < 6:
        seed = draw(st.integers(0, 2**32 - 1))
        eigenvalues = draw(vectors(dim, 0.0, 30.0, clean))
        return Build(S.Quadratic.from_eigenvalues, eigenvalues, rng=seed)
    if kind < 7:
        h = draw(
            weighted(
                (3, psd_or_not(dim, -3.0, 3.0, clean)),
                (1, near(dim).flatmap(lambda k: matrices(dim, k)), BAD),
                clean=clean,
            )
        )
        return Build(S.Quadratic, h)
    if kind < 9:
        n = draw(st.integers(1, 5))
        a = draw(matrices(n, dim, clean=clean))
        b = draw(near(n, clean).flatmap(lambda k: vectors(k, clean=clean)))
        batch = draw(
            weighted(
                (3, st.none()),
                (3, st.integers(1, 3)),
                (1, st.sampled_from([0, -1, 2.5]), BAD),
                clean=clean,
            )
        )
        return Build(S.LeastSquares, a, b, batch_size=batch)
    return draw(st.sampled_from([None, "quadratic", 3.0, np.eye(dim), S.DiagonalQuadratic]))


def noises(dim, clean):
    sigma = weighted(
        (3, st.floats(0.0, 2.0)),
        (2, near(dim, clean).flatmap(lambda n: vectors(n, 0.0, 2.0, clean))),
        (1, st.sampled_from([-0.1, NAN, INF, "0.1", None, np.ones((dim, dim))]), BAD),
        clean=clean,
    )
    hessian = st.builds(
        lambda s2, b: Build(S.HessianNoise, s2, batch_size=b),
        weighted(
            (4, st.floats(0.0, 2.0)), (1, st.sampled_from([-1.0, NAN, "1"]), BAD), clean=clean
        ),
        weighted((4, st.integers(1, 4)), (1, st.sampled_from([0, -1, 1.5]), BAD), clean=clean),
    )
    cov = near(dim, clean).flatmap(lambda k: psd_or_not(k, -1.0, 1.0, clean))
    bad = st.sampled_from(
        [0.1, "gaussian", Build(S.AdditiveNoise), Build(S.AdditiveNoise, 0.1, cov=np.eye(dim))]
    )
    return weighted(
        (4, st.none()),
        (3, sigma.map(lambda s: Build(S.AdditiveNoise, s))),
        (1, cov.map(lambda c: Build(S.AdditiveNoise, cov=c))),
        (1, hessian),
        (1, bad, BAD),
        clean=clean,
    )


BAD_VALUES = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            NAN,
            INF,
            -INF,
            -1.0,
            1.0,
            2.0,
            "0.1",
            None,
            [],
            [0.1, "a"],
            [[0.1], [0.1, 0.2]],
            1j,
            np.complex128(0.5),
            True,
            np.False_,
            [True, False],
            {"lr": 0.1},
            np.array([0.1, NAN]),
            np.array([[0.1, 0.2], [0.3, INF]]),
            np.zeros(0),
        ]
    ),
)


def valid_scalar(dom):
    if isinstance(dom, Boolean):
        return st.one_of(st.booleans(), st.just(np.True_))
    assert isinstance(dom, Interval)
    if math.isfinite(dom.upper):
        return st.floats(
            dom.lower, dom.upper, exclude_min=dom.left_open, exclude_max=dom.right_open
        )
    typical = st.floats(dom.lower, 2.0 * (dom.typical or (0.0, 1.0))[1], exclude_min=dom.left_open)
    extreme = st.floats(dom.lower, 1e300, exclude_min=dom.left_open)  # valid, and often diverges
    return weighted((3, typical), (1, extreme))


def valid_array(dom, clean):
    """Arrays of valid values; shapes that broadcast together, unless not clean."""
    if isinstance(dom, Boolean):
        return valid_scalar(dom)
    shapes = [(1,), (2,), (2, 1), (1, 2)] + ([] if clean else [(3,)])
    elements = valid_scalar(dom)
    return st.sampled_from(shapes).flatmap(
        lambda shape: hnp.arrays(np.float64, shape, elements=elements)
    )


@st.composite
def hyperparameters(draw, method, clean):
    try:
        domains = od.methods.get(method).hyper
    except (ValueError, TypeError):
        domains = {"lr": od.methods.get("gd").hyper["lr"], "nesterov": Boolean(default=False)}
    out = {}
    for key, dom in domains.items():
        if (clean and dom.required) or draw(st.integers(0, 9)) < (9 if dom.required else 3):
            out[key] = draw(
                weighted(
                    (12, valid_scalar(dom)),
                    (3, valid_array(dom, clean)),
                    (2, BAD_VALUES, BAD),
                    clean=clean,
                )
            )
    if not clean and draw(st.integers(0, 19)) == 0:
        out[draw(st.sampled_from(["bogus", "momentum", "beta", "alpha"]))] = 0.5
    return out


@st.composite
def run_calls(draw):
    """Arguments of ``run``: all valid in about 40% of examples, else a mix."""
    clean = draw(st.integers(0, 9)) < 4
    dim = draw(st.integers(1, 4))
    method = draw(
        weighted(
            (12, st.sampled_from(NAMES)),
            (2, st.sampled_from(NAMES).map(od.methods.get)),
            (1, st.sampled_from(["", "GD", "newton", "adam "]), BAD),
            (1, st.sampled_from([None, 3, ["gd"], type(od.methods.get("gd"))]), BAD),
            clean=clean,
        )
    )
    kwargs = {
        "steps": draw(
            weighted(
                (10, st.integers(1, 5)),
                (1, st.integers(-2, 0), BAD),
                (1, st.sampled_from([1.0, 2.5, None, True, "3"]), BAD),
                (1, st.sampled_from([np.int64(3), np.uint8(2)])),
                clean=clean,
            )
        ),
        "seeds": draw(
            weighted(
                (10, st.integers(1, 3)),
                (1, st.integers(-1, 0), BAD),
                (1, st.sampled_from([1.0, None, False]), BAD),
                (1, st.just(np.int8(2))),
                clean=clean,
            )
        ),
        "rng": draw(
            weighted(
                (6, st.integers(0, 2**32)),
                (2, st.none(), BAD),  # invalid only for a stochastic run
                (1, st.integers(0, 100).map(np.random.default_rng)),
                (1, st.sampled_from([-1, 1.5, "seed", True, np.random.PCG64(0)]), BAD),
                clean=clean,
            )
        ),
        "noise": draw(noises(dim, clean)),
    }
    x0 = draw(
        weighted(
            (6, st.none()),
            (3, vectors(dim, clean=clean)),
            (
                1,
                st.sampled_from([(), (1, dim), (2, dim), (dim + 1,), (3, 1, dim)]).flatmap(
                    lambda shape: hnp.arrays(np.float64, shape, elements=st.floats(-5, 5))
                ),
                BAD,
            ),
            (1, st.sampled_from(["x0", None, [NAN] * dim, [True] * dim]), BAD),
            clean=clean,
        )
    )
    if x0 is not None:
        kwargs["x0"] = x0
    optional = {
        "record_every": (st.integers(1, 3), st.sampled_from([0, -1, 1.5])),
        "chunk_size": (st.integers(1, 3), st.sampled_from([0, 2.0])),
        "divergence_factor": (
            st.one_of(st.floats(1.0, 10.0, exclude_min=True), st.floats(10.0, 1e6)),
            st.sampled_from([1, 0.5, NAN, INF, "big", True]),
        ),
        "keep_iterates": (st.booleans(), st.sampled_from(["yes", 1])),
    }
    for key, (good, bad) in optional.items():
        if draw(st.booleans()):
            kwargs[key] = draw(weighted((6, good), (1, bad, BAD), clean=clean))
    return {
        "clean": clean,
        "method": method,
        "problem": draw(problems(dim, clean)),
        "kwargs": kwargs,
        "hyper": draw(hyperparameters(method, clean)),
    }


def check_result(r, seeds: int, dim: int) -> None:
    """No NaN loss or distance; +inf exactly from the divergence step on; NaN x iff diverged."""
    assert r.x.shape == (*r.grid_shape, seeds, dim)
    assert r.loss.shape == r.dist.shape == (*r.grid_shape, seeds, r.t.size)
    assert not np.isnan(r.loss).any()
    assert not np.isnan(r.dist).any()
    after = r.diverged[..., None] & (r.t >= r.divergence_step[..., None])
    np.testing.assert_array_equal(np.isposinf(r.loss), after)
    np.testing.assert_array_equal(np.isposinf(r.dist), after)
    assert np.isfinite(r.loss[~after]).all()
    np.testing.assert_array_equal(np.isnan(r.x), np.broadcast_to(r.diverged[..., None], r.x.shape))
    assert np.isfinite(r.x[~r.diverged]).all()
    if r.iterates is not None:
        nan_rows = np.isnan(r.iterates)
        np.testing.assert_array_equal(nan_rows, np.broadcast_to(after[..., None], nan_rows.shape))


@settings(max_examples=300)
@given(call=run_calls())
def test_fuzz_run_raises_only_value_or_type_errors(call):
    try:
        problem = built(call["problem"])
        kwargs = {**call["kwargs"], "noise": built(call["kwargs"]["noise"])}
        r = S.run(call["method"], problem, **kwargs, **call["hyper"])
    except (ValueError, TypeError) as exc:
        message = str(exc)
        event(f"rejected: {type(exc).__name__}")
        # clean draws may still describe a problem float64 cannot hold (a least-squares
        # solution of norm 1e240 from a denormal design); that rejection is the right one
        if "overflows float64" not in message:
            assert not call["clean"], f"valid arguments were rejected: {message}"
        assert NAMES_PATTERN.search(message), f"message names no parameter: {message!r}"
        return
    event(f"ran ({'clean' if call['clean'] else 'mixed'} arguments)")
    event(f"diverged: {bool(r.diverged.any())}")
    check_result(r, kwargs["seeds"], problem.dim)
