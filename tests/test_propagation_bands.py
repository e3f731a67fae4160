"""PBH limits and the secondary fraction over propagation-posterior draws (the bands).

On the coarse transport grid of the other PBH-limit tests (2 x 0.2-0.5 kpc, 8 energies per
decade: a fraction of a second per draw); the physics of one draw is tested elsewhere.  The
checks: the band is ordered, a posterior whose samples are all equal gives a zero-width band
equal to the single-model pipelines (``pbh_limit_scan``, ``secondary_fraction``: a second code
path, so equality to rounding checks that sharing work across draws changes no number), the
draws are reproducible by seed, the result records the posterior, and the work that does not
depend on the propagation parameters is done once per run.
"""

import hashlib

import numpy as np
import pytest

from positrons.analysis.fraction import secondary_fraction
from positrons.analysis.pbh_limits import pbh_limit_scan
from positrons.analysis.posterior import PropagationPosterior
from positrons.analysis.propagation_bands import fraction_over_posterior, pbh_limits_over_posterior
from positrons.analysis.transport import Transport
from positrons.propagation.grid import GridSpec
from positrons.propagation.models import get_propagation_model

COARSE = Transport(GridSpec(dR_kpc=2.0, dz_kpc=0.2, dz_max_kpc=0.5, energy_points_per_decade=8))
MASSES = [1e16, 3e16]
#: the two code paths do the same arithmetic in the same order; 1e-9 leaves room for rounding
SAME = 1e-9
NAMES = ("z_h_kpc", "D0_1e28_cm2_s", "delta1")
MED = (3.2, 5.8, 0.29)


def _posterior(n=8, seed=3, spread=0.08):
    """``n`` samples scattered by ``spread`` (relative) around MED's z_h, D0 and delta."""
    rng = np.random.default_rng(seed)
    samples = np.array(MED) * (1.0 + spread * rng.normal(size=(n, 3)))
    return PropagationPosterior(get_propagation_model("MED"), NAMES, samples, -np.arange(n, dtype=float),
                                {"note": "test posterior, not a fit"})


def _equal_posterior(n=3):
    return PropagationPosterior(get_propagation_model("MED"), NAMES, np.tile(MED, (n, 1)), np.zeros(n))


def _ordered(band):
    return np.all(band["lo95"] <= band["lo68"]) and np.all(band["lo68"] <= band["median"]) \
        and np.all(band["median"] <= band["hi68"]) and np.all(band["hi68"] <= band["hi95"])


def test_limit_band_is_ordered_and_has_width():
    calls = []
    result = pbh_limits_over_posterior(_posterior(), MASSES, n_draws=5, transport=COARSE,
                                       progress=lambda done, total: calls.append((done, total)))
    assert result.f_limit_draws.shape == (5, 2) and np.all(np.isfinite(result.f_limit_draws))
    band = result.band
    assert _ordered(band)
    assert np.all(band["hi95"] > 1.05 * band["lo95"])  # 8 % scatter of z_h and D0 moves the limit
    assert calls == [(k, 5) for k in range(1, 6)]  # one progress call per draw


@pytest.mark.parametrize("background", ["none", "secondary"])
def test_equal_samples_give_a_zero_width_band_equal_to_the_single_model_scan(background):
    result = pbh_limits_over_posterior(_equal_posterior(), MASSES, n_draws=3, transport=COARSE, background=background)
    single = pbh_limit_scan(get_propagation_model("MED"), MASSES, transport=COARSE, background=background)
    for name, values in result.band.items():
        np.testing.assert_allclose(values, single.f_limit, rtol=SAME, err_msg=name)
    assert result.settings["data_points_used"] == single.data_points_used
    assert result.settings["phi_GV"] == single.phi_GV


def test_equal_samples_give_the_single_model_fraction():
    T = np.geomspace(1.0, 500.0, 6)
    result = fraction_over_posterior(_equal_posterior(), n_draws=3, T=T, transport=COARSE)
    single = secondary_fraction("MED", T=T, transport=COARSE)
    for name in ("median", "lo95", "hi95"):
        np.testing.assert_allclose(result.fraction_band[name], single.fraction_secondary, rtol=SAME)
        np.testing.assert_allclose(result.positron_band[name], single.secondary_positrons, rtol=SAME)


def test_fraction_band_is_ordered_and_work_independent_of_the_model_is_done_once(monkeypatch):
    """The production matrices (cross sections) do not depend on the propagation parameters:
    two per run (e+ and e-), whatever the number of draws."""
    from positrons.sources import secondary

    built = []
    original = secondary.build_production_matrix
    monkeypatch.setattr(secondary, "build_production_matrix", lambda *a, **k: built.append(a[:2]) or original(*a, **k))
    result = fraction_over_posterior(_posterior(), n_draws=4, T=np.geomspace(1.0, 500.0, 5), transport=COARSE)
    assert sorted(built) == [("hybrid", "electron"), ("hybrid", "positron")]
    assert _ordered(result.fraction_band) and _ordered(result.positron_band)
    assert np.all(result.fraction_band["hi95"] > result.fraction_band["lo95"])


def test_pbh_spectra_are_computed_once_per_mass(monkeypatch):
    from positrons.analysis import galactic

    calls = []
    original = galactic.pbh_profile_and_spectrum
    monkeypatch.setattr(galactic, "pbh_profile_and_spectrum", lambda *a, **k: calls.append(a[0]) or original(*a, **k))
    pbh_limits_over_posterior(_posterior(), MASSES, n_draws=3, transport=COARSE)
    assert calls == MASSES


def test_draws_are_reproducible_by_seed():
    post = _posterior(n=12)
    a = pbh_limits_over_posterior(post, [1e16], n_draws=3, seed=5, transport=COARSE)
    b = pbh_limits_over_posterior(post, [1e16], n_draws=3, seed=5, transport=COARSE)
    c = pbh_limits_over_posterior(post, [1e16], n_draws=3, seed=6, transport=COARSE)
    np.testing.assert_array_equal(a.draw_indices, b.draw_indices)
    np.testing.assert_array_equal(a.f_limit_draws, b.f_limit_draws)
    assert list(a.draw_indices) != list(c.draw_indices)
    assert a.settings["draw_indices"] == list(post.draw_indices(3, seed=5))
    # each row is the limit of its own sample's model
    k = 1
    single = pbh_limit_scan(post.model(int(a.draw_indices[k])), [1e16], transport=COARSE)
    np.testing.assert_allclose(a.f_limit_draws[k], single.f_limit, rtol=SAME)


def test_settings_record_the_posterior_file_and_the_draws(tmp_path):
    from astropy.table import Table

    path = _posterior().write(tmp_path / "post.ecsv")
    result = pbh_limits_over_posterior(path, [1e16], n_draws=3, seed=2, transport=COARSE)
    s = result.settings
    assert s["posterior_file"] == "post.ecsv"
    assert s["posterior_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (s["n_draws"], s["seed"], s["posterior_n_samples"]) == (3, 2, 8)
    assert s["posterior_parameters"] == list(NAMES) and s["posterior_settings"]["note"] == "test posterior, not a fit"
    out = tmp_path / "band.ecsv"
    result.write(out)
    table = Table.read(out, format="ascii.ecsv")
    assert table.meta["posterior_sha256"] == s["posterior_sha256"] and table.meta["draw_indices"] == s["draw_indices"]
    for name in ("M_g", "f_PBH_limit_median", "f_PBH_limit_lo68", "f_PBH_limit_hi95",
                 *(f"f_PBH_limit_draw{i}" for i in s["draw_indices"])):
        assert name in table.colnames
    np.testing.assert_allclose(table["f_PBH_limit_median"], result.band["median"], rtol=1e-15)
    assert "median" in result.summary() and "post.ecsv" in result.summary()


def test_records_draw_their_bands(tmp_path):
    result = pbh_limits_over_posterior(_posterior(), MASSES, n_draws=3, transport=COARSE)
    fig = result.plot()
    ax = fig.axes[0]
    assert len(ax.collections) >= 2  # the 95 % and 68 % intervals
    assert any("median of 3 draws" in t.get_text() for t in ax.get_legend().get_texts())
    frac = fraction_over_posterior(_equal_posterior(), n_draws=2, T=np.geomspace(1.0, 100.0, 4), transport=COARSE)
    for quantity in ("fraction", "positron_flux"):
        frac.plot(quantity=quantity).savefig(tmp_path / f"{quantity}.png")
    frac.write(tmp_path / "fraction.csv")
    assert "fraction_median" in (tmp_path / "fraction.csv").read_text().splitlines()[0]


def test_refusals_before_any_transport():
    with pytest.raises(ValueError, match="n_draws >= 2"):
        pbh_limits_over_posterior(_posterior(), MASSES, n_draws=1, transport=COARSE)
    one = PropagationPosterior(get_propagation_model("MED"), NAMES, [MED], [0.0])
    with pytest.raises(ValueError, match="at least 2 posterior samples"):
        fraction_over_posterior(one, n_draws=5, transport=COARSE)
    shallow = PropagationPosterior(get_propagation_model("MED"), ("z_h_kpc",), [[3.2], [0.5]], [0.0, 0.0])
    with pytest.raises(ValueError, match="posterior draw MED_draw1.*too coarse"):
        pbh_limits_over_posterior(shallow, MASSES, n_draws=2, transport=COARSE)
    with pytest.raises(ValueError, match="PBH masses"):
        pbh_limits_over_posterior(_posterior(), [1e13], n_draws=2, transport=COARSE)
    with pytest.raises(ValueError, match="background"):
        pbh_limits_over_posterior(_posterior(), MASSES, n_draws=2, transport=COARSE, background="fancy")


def test_a_sampled_phi_modulates_each_draw_at_its_own_phi():
    """phi_GV is a model field: a posterior may sample it (a fit's modulation potential); each
    draw is then modulated at its own phi, as pbh_limit_scan(phi_GV=...) with the same model."""
    post = PropagationPosterior(get_propagation_model("MED"), ("phi_GV",), [[0.45], [0.65]], [0.0, 0.0])
    result = pbh_limits_over_posterior(post, [1e16], n_draws=2, transport=COARSE)
    assert result.settings["phi_GV"] is None and result.settings["phi_GV_per_draw"] == [0.45, 0.65]
    for k, phi in enumerate((0.45, 0.65)):
        single = pbh_limit_scan("MED", [1e16], transport=COARSE, phi_GV=phi)
        np.testing.assert_allclose(result.f_limit_draws[k], single.f_limit, rtol=SAME)


def test_draws_with_one_operator_share_its_response(monkeypatch):
    """A chain repeats samples, and draws may differ only in phi: the operator is the same, so
    the response is built once per distinct operator (the numbers stay those of each draw)."""
    from positrons.analysis import pbh_limits

    built = []
    original = pbh_limits.pbh_response
    monkeypatch.setattr(pbh_limits, "pbh_response", lambda model, transport: built.append(model.name)
                        or original(model, transport))
    samples = [[3.2, 0.55], [3.2, 0.55], [3.6, 0.55], [3.2, 0.55]]
    post = PropagationPosterior(get_propagation_model("MED"), ("z_h_kpc", "phi_GV"), samples, np.zeros(4))
    result = pbh_limits_over_posterior(post, MASSES, n_draws=4, transport=COARSE, background="secondary")
    assert len(built) == 2
    np.testing.assert_array_equal(result.f_limit_draws[0], result.f_limit_draws[3])
    assert not np.allclose(result.f_limit_draws[0], result.f_limit_draws[2])
