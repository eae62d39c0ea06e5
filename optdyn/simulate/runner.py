"""The vectorised runner: many seeds and a whole hyperparameter grid in one call."""

from __future__ import annotations

import math
import numbers

import numpy as np
from tqdm.auto import tqdm

from ..methods.base import Method, get
from ._checks import positive_int, real_array
from ._schedule import check_schedule, hyper_at
from .noise import NoiseModel
from .ops import NUMPY_OPS
from .problems import Problem
from .results import Result

__all__ = ["as_generator", "grid", "run"]

#: Seeds are split into blocks of this many; each block has its own random
#: stream, so results do not depend on how the work is chunked.
SEED_BLOCK = 1024
#: Working memory one chunk of runs may use, in bytes.
CHUNK_BYTES = 256 * 2**20


def as_generator(rng, *, required: bool = False) -> np.random.Generator | None:
    """``rng`` (an int seed >= 0 or a ``numpy.random.Generator``) as a Generator.

    ``None`` is returned as is unless ``required``, when it raises ValueError.
    """
    if rng is None:
        if required:
            raise ValueError(
                "rng is required here: pass an int seed >= 0 or a numpy.random.Generator"
            )
        return None
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        if rng < 0:
            raise ValueError(f"rng must be an int seed >= 0 or a numpy.random.Generator; got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be an int seed >= 0 or a numpy.random.Generator; got {type(rng).__name__}"
    )


def _seed_blocks(rng, n_blocks: int) -> list[np.random.SeedSequence]:
    if isinstance(rng, np.random.Generator):
        root = np.random.SeedSequence(rng.integers(0, 2**32, size=8, dtype=np.uint64).tolist())
    else:
        as_generator(rng, required=True)  # validates
        root = np.random.SeedSequence(int(rng))
    return root.spawn(n_blocks)


def grid(**axes) -> dict[str, np.ndarray]:
    """Arrange 1-d hyperparameter arrays as the axes of an outer-product grid.

    >>> g = grid(lr=[0.1, 0.2, 0.3], momentum=[0.0, 0.9])
    >>> g["lr"].shape, g["momentum"].shape
    ((3, 1), (1, 2))

    Pass the result on with ``run(..., **g)``: the runs then fill a (3, 2) grid.
    """
    out = {}
    for i, (name, values) in enumerate(axes.items()):
        arr = real_array(name, values, ndim=1)
        shape = [1] * len(axes)
        shape[i] = arr.size
        out[name] = arr.reshape(shape)
    return out


def _grid_shape(method: Method, hyper: dict) -> tuple[int, ...]:
    arrays = {k: v for k, v in hyper.items() if isinstance(v, np.ndarray)}
    try:
        return tuple(np.broadcast_shapes(*(v.shape for v in arrays.values())))
    except ValueError:
        shapes = ", ".join(f"{k} {v.shape}" for k, v in arrays.items())
        raise ValueError(
            f"array hyperparameters of {method.name} must broadcast together; got {shapes} "
            "(od.simulate.grid(...) arranges 1-d arrays as the axes of a grid)"
        ) from None


def _initial(name: str, value, full: tuple[int, ...]) -> np.ndarray:
    """An initial value as ``(n_grid, seeds, dim)`` or, without a grid axis, ``(seeds, dim)``."""
    arr = real_array(name, value)
    try:
        ok = np.broadcast_shapes(arr.shape, full) == full
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(
            f"{name} must broadcast to (*grid, seeds, dim) = {full}; got shape {arr.shape}"
        )
    if arr.ndim > 2:
        return np.broadcast_to(arr, full).reshape(-1, *full[-2:])
    return np.broadcast_to(arr, full[-2:])


def _record_steps(steps: int, every: int) -> np.ndarray:
    rec = list(range(0, steps + 1, every))
    if rec[-1] != steps:
        rec.append(steps)
    return np.asarray(rec)


def run(
    method: str | Method,
    problem: Problem,
    *,
    steps: int,
    seeds: int = 1,
    rng: int | np.random.Generator | None = None,
    x0=None,
    state0: dict | None = None,
    start: int = 1,
    noise: NoiseModel | None = None,
    record_every: int = 1,
    keep_iterates: bool = False,
    chunk_size: int | None = None,
    divergence_factor: float = 1e10,
    progress: bool = False,
    schedule: dict | None = None,
    **hyper,
) -> Result:
    r"""Run ``method`` on ``problem`` for every seed and hyperparameter grid point.

    Array-valued hyperparameters broadcast against each other into a grid
    (:func:`grid` builds an outer product); all arrays of the result are shaped
    ``(*grid, seeds, ...)``. Seed ``j`` sees the same gradient noise at every
    grid point (common random numbers), and results are bit-for-bit the same
    however the work is split into chunks.

    Parameters
    ----------
    method : str or Method
        A registered method name or a method.
    problem : Problem
        ``DiagonalQuadratic``, ``Quadratic`` or ``LeastSquares``.
    steps : int
        Number of iterations, >= 1.
    seeds : int
        Independent runs per grid point, >= 1.
    rng : int or numpy.random.Generator, optional
        Source of randomness; required when the run is stochastic (a noise
        model or minibatches), never drawn from otherwise.
    x0 : array_like, optional
        Initial point, broadcastable to ``(*grid, seeds, dim)``; default
        ``x_star + 1``.
    state0 : dict, optional
        Initial values of state variables other than ``x`` (default zero), by
        name, each broadcastable to ``(*grid, seeds, dim)``. With a slow
        state such as Adam's ``v`` set here and its decay rate close to 1,
        the preconditioner stays frozen at the given value.
    start : int
        Step counter of the first step (default 1). A large ``start`` makes
        bias corrections such as :math:`1-\beta^t` equal 1, their
        :math:`t \to \infty` limit.
    noise : NoiseModel, optional
        Additive gradient noise: independent across steps, or correlated
        (:class:`AR1Noise`).
    record_every : int
        Record loss and distance every this many steps (and at the last).
    keep_iterates : bool
        Also keep the iterates at the recorded steps.
    chunk_size : int, optional
        Grid points per chunk (default: as many as fit in 256 MiB).
    divergence_factor : float
        A run is flagged as divergent once ``‖x_t − x*‖`` exceeds this factor
        times ``max(‖x_0 − x*‖, 1)``, or once its iterate or loss is not finite.
    progress : bool
        Show a progress bar.
    schedule : dict, optional
        Per-step hyperparameters: name -> callable of the step ``k`` (from 1,
        whatever ``start`` is), e.g. ``{"lr": lambda k: 0.1 / k}`` or Nesterov's
        ``{"momentum": lambda k: (k - 1) / (k + 2)}``. Step ``k`` uses
        ``schedule[name](k)`` (validated like a fixed value; a float, or an array
        broadcasting to the grid of step 1) and ``init`` the values of step 1. A
        scheduled name must not also be given as a fixed hyperparameter.
    **hyper
        Hyperparameters of the method: floats, arrays (a grid) or bools.

    Returns
    -------
    Result
        Its ``hyper`` holds the hyperparameters of step 1.

    Raises
    ------
    TypeError, ValueError
        For an argument of the wrong type or outside its allowed range; the
        message names the argument and the range.
    """
    m = get(method)
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be an optdyn.simulate Problem; got {type(problem).__name__}")
    steps = positive_int("steps", steps)
    start = positive_int("start", start)
    seeds = positive_int("seeds", seeds)
    record_every = positive_int("record_every", record_every)
    if chunk_size is not None:
        chunk_size = positive_int("chunk_size", chunk_size)
    if noise is not None:
        if not isinstance(noise, NoiseModel):
            raise TypeError(f"noise must be a NoiseModel or None; got {type(noise).__name__}")
        noise.check(problem)
    for name, flag in (("keep_iterates", keep_iterates), ("progress", progress)):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False; got {type(flag).__name__}")
    if isinstance(divergence_factor, (bool, np.bool_)) or not isinstance(
        divergence_factor, numbers.Real
    ):
        raise TypeError(
            f"divergence_factor must be a real number > 1; got {type(divergence_factor).__name__}"
        )
    try:
        factor = float(divergence_factor)
    except OverflowError:  # an int or Fraction beyond the float64 range
        factor = math.inf
    if not (factor > 1 and math.isfinite(factor)):
        raise ValueError(f"divergence_factor must be a finite real number > 1; got {factor!r}")

    sched = check_schedule(m, schedule, hyper)
    h = hyper_at(m, hyper, sched, 1)
    gshape = _grid_shape(m, h)
    n_grid = math.prod(gshape)
    dim = problem.dim
    full = (*gshape, seeds, dim)

    x0 = _initial("x0", problem.x_star + 1.0 if x0 is None else x0, full)
    if state0 is None:
        state0 = {}
    if not isinstance(state0, dict):
        raise TypeError(f"state0 must be a dict of state values; got {type(state0).__name__}")
    others = [k for k in m.states(**h) if k != "x"]
    for k in state0:
        if k not in others:
            raise ValueError(
                f"state0: {k!r} is not a state variable of {m.name} other than x; "
                f"its others are {', '.join(others) or 'none'}"
            )
    state0 = {k: _initial(f"state0[{k!r}]", v, full) for k, v in state0.items()}
    with np.errstate(over="ignore", invalid="ignore"):
        at_x0 = problem.excess_loss(x0)
    if not all(np.all(np.isfinite(v)) for v in at_x0):
        raise ValueError(
            "x0 is too far from the minimiser: its loss or squared distance overflows float64"
        )

    stochastic = problem.stochastic or noise is not None
    n_blocks = -(-seeds // SEED_BLOCK)
    if stochastic:
        blocks = _seed_blocks(as_generator(rng, required=True) if rng is None else rng, n_blocks)
    else:
        as_generator(rng)  # validate the type, draw nothing
        blocks = None

    rec = _record_steps(steps, record_every)
    n_rec = rec.size
    n_states = len(m.states(**h))
    per_run = 8 * (dim * (n_states + 6) + 2 * n_rec + (n_rec * dim if keep_iterates else 0))
    runs_fit = max(1, CHUNK_BYTES // per_run)
    if seeds <= runs_fit:
        seed_chunk = seeds
        grid_chunk = chunk_size or max(1, runs_fit // seeds)
    else:
        seed_chunk = max(1, runs_fit // SEED_BLOCK) * SEED_BLOCK
        grid_chunk = 1 if chunk_size is None else chunk_size

    out = {
        "x": np.empty((n_grid, seeds, dim)),
        "loss": np.empty((n_grid, seeds, n_rec)),
        "dist": np.empty((n_grid, seeds, n_rec)),
        "div_step": np.full((n_grid, seeds), -1, dtype=np.int64),
        "iterates": np.empty((n_grid, seeds, n_rec, dim)) if keep_iterates else None,
    }
    chunks = [
        (g0, min(g0 + grid_chunk, n_grid), s0, min(s0 + seed_chunk, seeds))
        for s0 in range(0, seeds, seed_chunk)
        for g0 in range(0, n_grid, grid_chunk)
    ]
    bar = tqdm(total=steps * len(chunks), disable=not progress, desc=m.name, leave=False)
    ctx = dict(
        method=m, problem=problem, noise=noise, hyper=h, fixed=hyper, schedule=sched,
        gshape=gshape, x0=x0,
        state0=state0, start=start, blocks=blocks, steps=steps, rec=rec, factor=factor,
        out=out, bar=bar,
    )  # fmt: skip
    with np.errstate(all="ignore"):
        for chunk in chunks:
            _run_chunk(*chunk, **ctx)
    bar.close()

    div_step = out["div_step"].reshape((*gshape, seeds))
    return Result(
        method=m.name,
        hyper=h,
        grid_shape=gshape,
        steps=steps,
        seeds=seeds,
        t=rec,
        x=out["x"].reshape(full),
        loss=out["loss"].reshape((*gshape, seeds, n_rec)),
        dist=out["dist"].reshape((*gshape, seeds, n_rec)),
        diverged=div_step >= 0,
        divergence_step=div_step,
        iterates=None
        if not keep_iterates
        else out["iterates"].reshape((*gshape, seeds, n_rec, dim)),
    )


def _draws(problem, noise, gens, previous):
    """One step's random draws for the seeds of a chunk: (problem sample, noise).

    ``previous`` holds the last (problem, noise) draws of each seed block (``None``
    before the first step) and is updated in place, for draws that depend on the
    previous step's (reshuffled epochs, correlated noise).
    """
    samples, xis = [], []
    for i, (gen, n) in enumerate(gens):
        last_sample, last_xi = previous[i] or (None, None)
        if problem.stochastic:
            last_sample = problem.draw(gen, n, last_sample)
            samples.append(last_sample)
        if noise is not None:
            last_xi = noise.draw(gen, n, problem, last_xi)
            xis.append(last_xi)
        previous[i] = (last_sample, last_xi)

    def join(parts):
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        if isinstance(parts[0], tuple):  # (per-seed arrays, a position shared by all seeds)
            return np.concatenate([p[0] for p in parts], axis=0), *parts[0][1:]
        return np.concatenate(parts, axis=0)

    return join(samples), join(xis)


def _oracle(problem, draw, xi):
    if xi is None:
        return problem.grad if draw is None else (lambda q: problem.grad(q, draw))
    return lambda q: problem.grad(q, draw) + xi


def _reset_runs(state, runs) -> None:
    """Set the state of the given runs to zero, so that flagged runs stop overflowing."""
    for arr in {id(a): a for a in state.values()}.values():
        if isinstance(arr, np.ndarray) and arr.shape[:2] == runs.shape and arr.flags.writeable:
            arr[runs] = 0.0


def _chunk_hyper(hyper: dict, gshape: tuple, g0: int, g1: int) -> dict:
    """The hyperparameters of grid points ``g0:g1``, array values shaped ``(points, 1, 1)``."""
    return {
        k: np.broadcast_to(v, gshape).reshape(-1)[g0:g1].reshape(g1 - g0, 1, 1)
        if isinstance(v, np.ndarray)
        else v
        for k, v in hyper.items()
    }


def _scheduled_hyper(method, fixed, first, schedule, k, gshape, g0, g1) -> dict:
    """Step ``k``'s hyperparameters for grid points ``g0:g1``, checked against the grid."""
    hk = hyper_at(method, fixed, schedule, k, base=first)
    shape = _grid_shape(method, hk)
    try:
        ok = np.broadcast_shapes(shape, gshape) == gshape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(
            f"schedule at step k = {k}: the hyperparameters have grid shape {shape}, "
            f"which does not broadcast to the grid {gshape} of step 1"
        )
    return _chunk_hyper(hk, gshape, g0, g1)


def _run_chunk(g0, g1, s0, s1, *, method, problem, noise, hyper, fixed, schedule, gshape, x0,
               state0, start, blocks, steps, rec, factor, out, bar):  # fmt: skip
    ng, ns, dim = g1 - g0, s1 - s0, problem.dim
    hc = _chunk_hyper(hyper, gshape, g0, g1)

    def part(arr):
        out = np.empty((ng, ns, dim))
        out[...] = arr[g0:g1, s0:s1] if arr.ndim == 3 else arr[s0:s1]
        return out

    ops = NUMPY_OPS
    state = method.init(part(x0), ops, **hc)
    if state0:
        state = state.replace(**{k: part(v) for k, v in state0.items()})

    gens = []
    if blocks is not None:
        for b in range(s0 // SEED_BLOCK, -(-s1 // SEED_BLOCK)):
            lo, hi = max(b * SEED_BLOCK, s0), min((b + 1) * SEED_BLOCK, s1)
            gens.append((np.random.Generator(np.random.PCG64(blocks[b])), hi - lo))

    previous = [None] * len(gens)
    div = np.zeros((ng, ns), dtype=bool)
    div_step = out["div_step"][g0:g1, s0:s1]
    # records are written time-major (one contiguous row per recorded step)
    loss_rec = np.empty((rec.size, ng, ns))
    dist2_rec = np.empty((rec.size, ng, ns))
    iter_rec = None if out["iterates"] is None else np.empty((rec.size, ng, ns, dim))
    limit2 = None

    k = 0
    for t in range(steps + 1):
        if t > 0:
            draw, xi = _draws(problem, noise, gens, previous) if gens else (None, None)
            if schedule and t > 1:
                hc = _scheduled_hyper(method, fixed, hyper, schedule, t, gshape, g0, g1)
            state = method.step(state, _oracle(problem, draw, xi), ops, t=start - 1 + t, **hc)
            bar.update()
        if t != rec[k]:
            continue
        loss, dist2 = problem.excess_loss(state.x)
        if limit2 is None:
            limit2 = (factor * np.maximum(np.sqrt(dist2), 1.0)) ** 2
        ok = (dist2 <= limit2) & np.isfinite(loss)
        if not ok.all():
            new = ~ok & ~div
            if new.any():
                div |= new
                div_step[new] = t
                _reset_runs(state, new)
        loss_rec[k] = loss
        dist2_rec[k] = dist2
        if iter_rec is not None:
            iter_rec[k] = state.x
        k += 1

    # from its divergence on, a run reads loss and distance inf and iterates nan
    after = div & (rec[:, None, None] >= div_step)
    out["loss"][g0:g1, s0:s1] = np.moveaxis(np.where(after, np.inf, loss_rec), 0, -1)
    dist = np.sqrt(dist2_rec, out=dist2_rec)
    out["dist"][g0:g1, s0:s1] = np.moveaxis(np.where(after, np.inf, dist), 0, -1)
    if iter_rec is not None:
        iter_rec[after] = np.nan
        out["iterates"][g0:g1, s0:s1] = np.moveaxis(iter_rec, 0, -2)
    out["x"][g0:g1, s0:s1] = np.where(div[..., None], np.nan, state.x)
