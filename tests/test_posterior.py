"""PropagationPosterior: models from samples, the ECSV round trip, quantile bands."""

import numpy as np
import pytest

from positrons.analysis.posterior import PropagationPosterior, model_with, quantile_band
from positrons.propagation.models import UnknownModelKeyError, get_propagation_model


def _posterior(n=200, seed=1):
    rng = np.random.default_rng(seed)
    names = ("D0_1e28_cm2_s", "delta1", "z_h_kpc", "proton_injection_index_0", "nuisance_phi_ams02_GV")
    mean = np.array([5.8, 0.29, 3.2, 2.4, 0.6])
    samples = mean + rng.normal(size=(n, 5)) * np.array([0.5, 0.02, 0.4, 0.01, 0.05])
    logp = -0.5 * np.sum(((samples - mean) / np.array([0.5, 0.02, 0.4, 0.01, 0.05])) ** 2, axis=1)
    return PropagationPosterior(get_propagation_model("MED"), names, samples, logp, {"data": ["bc"], "sampler": "test"})


def test_model_of_a_sample_sets_the_free_parameters_and_keeps_the_rest():
    post = _posterior()
    m = post.model(3)
    v = post.values(3)
    assert m.D0_1e28_cm2_s == v["D0_1e28_cm2_s"] and m.delta1 == v["delta1"] and m.z_h_kpc == v["z_h_kpc"]
    assert m.proton_injection.indices[0] == v["proton_injection_index_0"]
    base = get_propagation_model("MED")
    assert m.v_alfven_km_s == base.v_alfven_km_s and m.eta == base.eta and m.phi_GV == base.phi_GV


def test_best_model_is_the_highest_posterior_sample():
    post = _posterior()
    i = int(np.argmax(post.log_posterior))
    assert post.best_model().z_h_kpc == post.samples[i, 2]


def test_best_model_is_the_recorded_maximum_when_the_fit_gives_one(tmp_path):
    """A nested sampler's equal-weight samples need not contain its maximum: the fit records it."""
    import dataclasses

    post = _posterior()
    maximum = dict(zip(post.parameters, post.samples.mean(axis=0) * 1.01))
    recorded = dataclasses.replace(post, settings={**post.settings, "maximum_posterior": maximum})
    assert recorded.best_model().z_h_kpc == pytest.approx(maximum["z_h_kpc"])
    assert recorded.best_model().z_h_kpc != post.best_model().z_h_kpc
    back = PropagationPosterior.read(recorded.write(tmp_path / "post.ecsv"))
    assert back.best_model() == recorded.best_model()
    incomplete = dataclasses.replace(post, settings={"maximum_posterior": {"z_h_kpc": 4.0}})
    with pytest.raises(ValueError, match="lacks"):
        incomplete.best_values()


def test_ecsv_round_trip_gives_the_same_models(tmp_path):
    post = _posterior()
    path = post.write(tmp_path / "post.ecsv")
    back = PropagationPosterior.read(path)
    assert back.parameters == post.parameters
    np.testing.assert_array_equal(back.samples, post.samples)
    assert back.settings["sampler"] == "test"
    assert back.model(7) == post.model(7)
    assert back.base_model.replace(name="MED") == get_propagation_model("MED")


def test_best_model_toml_round_trip(tmp_path):
    from positrons.propagation.models import PropagationModel

    best = _posterior().best_model()
    (tmp_path / "fit.toml").write_text(best.to_toml())
    assert PropagationModel.from_toml(tmp_path / "fit.toml").replace(name=best.name) == best


def test_draws_are_reproducible_and_distinct():
    post = _posterior()
    a, b = post.draw_indices(20, seed=4), post.draw_indices(20, seed=4)
    np.testing.assert_array_equal(a, b)
    assert len(set(a.tolist())) == 20
    assert len(post.draws(500)) == post.n_samples


def test_quantile_band_of_gaussian_draws_is_one_and_two_sigma():
    x = np.random.default_rng(0).normal(size=(200_000, 3))
    band = quantile_band(x)
    np.testing.assert_allclose(band["median"], 0.0, atol=0.01)
    np.testing.assert_allclose(band["hi68"], 1.0, atol=0.015)
    np.testing.assert_allclose(band["lo68"], -1.0, atol=0.015)
    np.testing.assert_allclose(band["hi95"], 2.0, atol=0.03)


@pytest.mark.parametrize("bad", ["D0", "proton_injection_index_3", "nuisancephi"])
def test_unknown_parameter_names_are_refused(bad):
    with pytest.raises(UnknownModelKeyError):
        model_with(get_propagation_model("MED"), {bad: 1.0})


def test_a_file_that_is_not_a_posterior_is_refused(tmp_path):
    (tmp_path / "x.ecsv").write_text("# %ECSV 1.0\n# ---\n# datatype:\n# - {name: a, datatype: float64}\na\n1.0\n")
    with pytest.raises(ValueError, match="not a propagation posterior"):
        PropagationPosterior.read(tmp_path / "x.ecsv")
    with pytest.raises(ValueError, match="does not exist"):
        PropagationPosterior.read(tmp_path / "missing.ecsv")


def test_slab_posterior_models_carry_the_alfven_speed_to_the_2d_engine():
    base = get_propagation_model("MED")
    post = PropagationPosterior(base, ("v_alfven_km_s", "z_h_kpc"), [[100.0, 4.0], [90.0, 6.4]], [0.0, -1.0],
                                {"engine": "slab (thin disc + diffusive halo)", "fit": {"disc": {"h_kpc": 0.1}}})
    assert post.best_model().v_alfven_km_s == pytest.approx(100.0 * np.sqrt(0.1 / 4.0))
    assert post.model(1).v_alfven_km_s == pytest.approx(90.0 * np.sqrt(0.1 / 6.4))
    assert "2D" in post.best_model().description
    plain_post = PropagationPosterior(base, ("v_alfven_km_s",), [[100.0]], [0.0])
    assert plain_post.best_model().v_alfven_km_s == 100.0
    # a slab fit with V_a fixed: the base model's (disc) value is converted too
    fixed = PropagationPosterior(base, ("D0_1e28_cm2_s", "z_h_kpc"), [[5.0, 4.0]], [0.0],
                                 {"engine": "slab (thin disc + diffusive halo)", "fit": {"disc": {"h_kpc": 0.1}}})
    assert fixed.best_model().v_alfven_km_s == pytest.approx(base.v_alfven_km_s * np.sqrt(0.1 / 4.0))
