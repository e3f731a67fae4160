"""The disk cache of transport responses and solutions (positrons.cache, Propagator(cache=...))."""

import numpy as np
import pytest

from positrons.cache import ArrayCache, clear_all
from positrons.cli import main
from positrons.propagation.diffusion2d import Propagator, SolverSettings
from positrons.propagation.grid import GridSpec
from positrons.propagation.models import PRESETS

SPEC = GridSpec(2.0, 0.2, 0.5, 6)


def _prop(cache, **settings):
    model = PRESETS["MED"]
    grid = SPEC.grid(model, SPEC.energies(0.01, 100.0))
    return Propagator.for_species(model, grid, "positron", settings=SolverSettings(**settings), cache=cache)


def test_keys_depend_on_every_part_and_the_version(tmp_path):
    cache = ArrayCache("responses", tmp_path)
    a = np.arange(3.0)
    base = cache.key("x", a, {"rtol": 1e-6}, 2.0)
    assert base == cache.key("x", a.copy(), {"rtol": 1e-6}, 2.0)
    assert base != cache.key("x", a + 1e-15, {"rtol": 1e-6}, 2.0)
    assert base != cache.key("x", a, {"rtol": 1e-7}, 2.0)
    assert base != cache.key("x", a, {"rtol": 1e-6}, 2.0 + 1e-15)
    assert base != cache.key("x", a.astype(np.float32), {"rtol": 1e-6}, 2.0)
    with pytest.raises(TypeError):
        cache.key(object())


def test_round_trip_corruption_and_clear(tmp_path):
    cache = ArrayCache("responses", tmp_path)
    key = cache.key("G", np.ones(2))
    assert cache.load(key) is None
    value = np.array([[1.0, np.nan], [3.0, 4.0]])
    path = cache.save(key, value)
    assert np.array_equal(cache.load(key), value, equal_nan=True)
    assert cache.load(cache.key("G", np.zeros(2))) is None  # another key
    assert [p.name for p in tmp_path.joinpath("responses").iterdir()] == [path.name]  # no temporary file left
    path.write_bytes(path.read_bytes()[:-20])  # a cut file is ignored, never trusted
    assert cache.load(key) is None
    assert clear_all(tmp_path) == {"responses": 1, "greybody": 0}
    assert cache.entries() == []


def test_cached_solutions_and_responses_are_reused_and_equal(tmp_path):
    """The second propagator (same operator) takes both from disk without factorising; other
    settings (rtol) miss the cache."""
    cache = ArrayCache("responses", tmp_path)
    model = PRESETS["MED"]
    source = lambda R, z, T: model.source_distribution(R, z) * T**-2.5  # noqa: E731
    first = _prop(cache)
    sol = first.solve(source)
    G = first.energy_response(model.source_distribution, observed_GeV=(1.0, 5.0))
    second = _prop(cache)
    again = second.solve(source)
    assert np.array_equal(again.density, sol.density) and again.iterations == sol.iterations
    assert np.array_equal(second.energy_response(model.source_distribution, observed_GeV=(1.0, 5.0)), G,
                          equal_nan=True)
    assert second._precondition is None and second._precondition_T is None  # nothing was solved
    other = _prop(cache, rtol=1e-7)
    other.solve(source)
    assert other._precondition is not None
    assert len(cache.entries()) == 3


def test_cache_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("POSITRONS_CACHE_DIR", str(tmp_path))
    ArrayCache("responses").save(ArrayCache("responses").key("x"), np.ones(3))
    assert main(["cache", "info"]) == 0
    assert "responses      1 entries" in capsys.readouterr().out
    assert main(["cache", "clear"]) == 0
    assert "removed 1 cached entries" in capsys.readouterr().out
    assert ArrayCache("responses").entries() == []
