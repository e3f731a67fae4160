"""The propagation fit: settings, likelihood, mock recovery and coverage, the emcee checkpoint
and resume, the outputs and the command line."""

import numpy as np
import pytest

from positrons.analysis.posterior import PropagationPosterior
from positrons.analysis.propagation_fit import (CHAIN_FILE, FitSettings, FitSettingsMismatch, PropagationLikelihood,
                                                chain_diagnostics, fit_propagation, fit_quick)
from positrons.propagation.models import PropagationModel

#: a small fit for the tests: B/C and 10Be/9Be, three free propagation parameters
SMALL = FitSettings(data=("bc", "be10"), free=("D0_1e28_cm2_s", "delta1", "z_h_kpc"), energy_points_per_decade=10,
                    sampler="emcee", walkers=12, steps=12, checkpoint_every=5)


@pytest.fixture(scope="module")
def small_like():
    return PropagationLikelihood(SMALL)


def test_settings_refuse_unknown_names():
    with pytest.raises(ValueError, match="twice as many walkers"):
        FitSettings(sampler="emcee", walkers=8)
    with pytest.raises(ValueError, match="live_points"):
        FitSettings(live_points=40)
    with pytest.raises(ValueError, match="unknown sampler"):
        FitSettings(sampler="multinest")
    with pytest.raises(ValueError, match="unknown data set"):
        FitSettings(data=("bc", "pbar"))
    with pytest.raises(ValueError, match="cannot free"):
        FitSettings(free=("D0_1e28_cm2_s", "phi_GV"))
    with pytest.raises(ValueError, match="together"):
        FitSettings(free=("delta0",))
    with pytest.raises(ValueError, match="unknown fit settings bogus"):
        FitSettings.from_dict({**SMALL.as_dict(), "bogus": 1})


def test_settings_round_trip_through_the_recorded_dictionary():
    settings = FitSettings(data=("bc", "p"), free=("D0_1e28_cm2_s", "delta1"), injection_break=True, model="MAX",
                           flux_rigidity_GV=(6.0, 150.0), energy_points_per_decade=12, sampler="emcee", walkers=8 * 2)
    assert FitSettings.from_dict(settings.as_dict()) == settings


def test_the_resume_key_holds_what_changes_the_samples(tmp_path):
    """A resume compares what changes the samples: not the run's length, not the other
    sampler's settings, not how often emcee checkpoints; the base model by its contents."""
    from positrons.analysis.propagation_fit import _settings_key

    emcee = FitSettings(sampler="emcee")
    assert _settings_key(emcee) == _settings_key(FitSettings(sampler="emcee", live_points=2000, steps=9000,
                                                             checkpoint_every=7))
    assert _settings_key(emcee) != _settings_key(FitSettings(sampler="emcee", walkers=40))
    nested = FitSettings()
    assert _settings_key(nested) == _settings_key(FitSettings(steps=9000, walkers=40, effective_samples=20000))
    assert _settings_key(nested) != _settings_key(FitSettings(live_points=2000))
    from positrons.propagation.models import get_propagation_model

    (tmp_path / "m.toml").write_text(get_propagation_model("MED").to_toml())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "m.toml").write_text(get_propagation_model("MED").to_toml())
    key = _settings_key(FitSettings(model=str(tmp_path / "m.toml")))
    assert key == _settings_key(FitSettings(model=str(tmp_path / "sub" / "m.toml")))
    (tmp_path / "m.toml").write_text(get_propagation_model("MED").replace(z_h_kpc=5.0).to_toml())
    assert key != _settings_key(FitSettings(model=str(tmp_path / "m.toml")))


def test_parameters_follow_the_data():
    names = FitSettings(data=("bc", "p", "he"), injection_break=True).parameters()
    assert names[:6] == ("D0_1e28_cm2_s", "delta1", "v_alfven_km_s", "z_h_kpc", "v_conv0_km_s", "eta")
    for expected in ("proton_injection_index_1", "proton_injection_break_GV_0", "nuisance_he_index_0",
                     "nuisance_phi_bc", "nuisance_phi_p", "nuisance_phi_he", "nuisance_xs_norm_B"):
        assert expected in names
    assert "nuisance_xs_norm_B" not in FitSettings(data=("p",)).parameters()
    assert "nuisance_xs_norm_Be" not in names
    assert FitSettings(data=("beb",)).parameters()[-2:] == ("nuisance_xs_norm_B", "nuisance_xs_norm_Be")


def test_beryllium_normalisation_scales_be_over_b():
    """Be/B with the beryllium production scaled by 1.2: Be/B rises by 1.15-1.21 at every
    rigidity (Be is all secondary; measured 1.195-1.201: the tertiary 10Be -> 9Be, 7Be channels
    are scaled twice, 1.2 x 1.2, and 10Be -> 10B decay lifts boron by up to 2 % at 1 GV)."""
    like = PropagationLikelihood(FitSettings(data=("beb",), free=("D0_1e28_cm2_s", "delta1")))
    theta = like.start()
    i = like.parameters.index("nuisance_xs_norm_Be")
    theta[i] = 1.0
    x = np.array([3.0, 10.0, 100.0])
    nominal = like.ratio_curve(theta, "beb", x)
    theta[i] = 1.2
    ratio = like.ratio_curve(theta, "beb", x) / nominal
    assert np.all((ratio > 1.15) & (ratio < 1.21)), ratio


def test_likelihood_is_finite_and_priors_bound_it(small_like):
    x0 = small_like.start()
    assert np.isfinite(small_like(x0))
    outside = x0.copy()
    outside[small_like.parameters.index("delta1")] = 1.5
    assert small_like(outside) == -np.inf
    negative_phi = x0.copy()
    negative_phi[small_like.parameters.index("nuisance_phi_bc")] = -0.1
    assert small_like(negative_phi) == -np.inf
    pred = small_like.predictions(x0)
    assert set(pred) == {"bc", "be10"} and pred["bc"][0].size == 67


def test_fluxes_are_profiled():
    """A primary flux's normalisation is profiled: scaling the data scales nothing else."""
    like = PropagationLikelihood(FitSettings(data=("p",), free=("D0_1e28_cm2_s",), energy_points_per_decade=10))
    obs = like.observables[0]
    x0 = like.start()
    scaled = PropagationLikelihood(like.settings, {"p": (3.0 * obs.value, obs.error)})
    model, chi2 = like.predictions(x0)["p"]
    model3, _ = scaled.predictions(x0)["p"]
    np.testing.assert_allclose(model3, 3.0 * model, rtol=1e-10)
    assert chi2 == pytest.approx(float(np.sum(((model - obs.value) / obs.error) ** 2)))


def test_mock_recovery_quick(small_like):
    """Mock data from a known model (data errors, seeded noise): MIGRAD recovers every parameter
    within 3 of its HESSE errors."""
    truth = small_like.start()
    truth[:3] = (5.0, 0.5, 6.0)
    mock = small_like.mock(truth, seed=3)
    fit = fit_quick(mock, start=small_like.start())
    assert fit["valid"]
    pulls = (fit["values"] - truth) / fit["errors"]
    assert np.all(np.abs(pulls) < 3), dict(zip(small_like.parameters, pulls))


@pytest.mark.slow
def test_coverage_of_68_percent_intervals(small_like):
    """20 mocks in quick mode: the fraction of (mock, parameter) pairs whose 68 % interval
    (HESSE) contains the truth is within the binomial range of 0.68 (3 sigma for 20 x 2
    independent-ish draws: 0.68 +- 0.22) for delta and D0/z_h (the B/C-constrained ones)."""
    settings = FitSettings(data=("bc",), free=("D0_1e28_cm2_s", "delta1"), energy_points_per_decade=8)
    like = PropagationLikelihood(settings)
    truth = like.start()
    truth[:2] = (5.0, 0.5)
    inside = []
    for seed in range(20):
        fit = fit_quick(like.mock(truth, seed=seed), start=truth)
        inside.append(np.abs(fit["values"][:2] - truth[:2]) <= fit["errors"][:2])
    fraction = float(np.mean(inside))
    assert 0.46 <= fraction <= 0.90, fraction


def test_chain_diagnostics_on_an_ar1_chain():
    """An AR(1) chain x_t = rho x_t-1 + noise has tau = (1 + rho)/(1 - rho) (= 9 for rho = 0.8)."""
    rng = np.random.default_rng(0)
    steps, walkers, rho = 20000, 4, 0.8
    chain = np.zeros((steps, walkers, 1))
    for t in range(1, steps):
        chain[t] = rho * chain[t - 1] + rng.standard_normal((walkers, 1))
    d = chain_diagnostics(chain)
    assert d["tau_max"] == pytest.approx(9.0, rel=0.2)
    assert d["converged"] and d["n_eff"] > 5000


def test_emcee_checkpoint_resume_and_outputs(tmp_path):
    out = tmp_path / "fit"
    settings = SMALL.__class__(**{**SMALL.__dict__, "steps": 7})
    first = fit_propagation(settings, output=out, scheduler="none")
    with np.load(out / CHAIN_FILE) as f:
        assert f["chain"].shape == (7, 12, len(settings.parameters()))
        chain7 = f["chain"].copy()
    assert not first.converged and "NOT CONVERGED" in first.summary()
    with pytest.raises(ValueError, match="--resume"):
        fit_propagation(settings, output=out, scheduler="none")
    with pytest.raises(FitSettingsMismatch, match="walkers"):
        fit_propagation(SMALL.__class__(**{**SMALL.__dict__, "walkers": 14}), output=out, resume=True,
                        scheduler="none")
    result = fit_propagation(SMALL, output=out, resume=True, scheduler="none")  # 12 steps in all
    with np.load(out / CHAIN_FILE) as f:
        assert f["chain"].shape[0] == 12
        np.testing.assert_array_equal(f["chain"][:7], chain7)
    paths = result.write(out)
    posterior = PropagationPosterior.read(paths["posterior"])
    assert posterior.parameters == SMALL.parameters()
    assert posterior.settings["fit"]["data"] == ["bc", "be10"]
    model = PropagationModel.from_toml(paths["best_fit_model"])
    assert model.D0_1e28_cm2_s == pytest.approx(result.best["D0_1e28_cm2_s"])
    assert paths["corner"].stat().st_size > 0 and paths["bc"].stat().st_size > 0


def test_command_line_quick(tmp_path, capsys):
    from positrons.cli import main

    out = tmp_path / "quick"
    code = main(["fit", "propagation", "--quick", "--data", "bc", "--free", "D0_1e28_cm2_s,delta1",
                 "--output", str(out), "--quiet"])
    assert code == 0
    text = capsys.readouterr().out
    assert "MIGRAD valid" in text and "delta1" in text
    assert (out / "posterior.ecsv").is_file() and (out / "best_fit_model.toml").is_file()
    assert main(["fit", "propagation", "--data", "bc,xyz"]) == 2
    assert "unknown data set xyz" in capsys.readouterr().err


def test_command_choices_match_the_library():
    from positrons.analysis import propagation_fit as lib
    from positrons.commands import fit

    assert fit.FIT_DATA_KEYS == tuple(lib.FIT_DATA)
    assert fit.FREE_CHOICES == lib.FREE_CHOICES
    assert fit.DEFAULT_FREE == lib.DEFAULT_FREE
    assert fit.SAMPLERS == lib.SAMPLERS


@pytest.mark.slow
def test_dask_walkers_give_the_serial_chain(tmp_path):
    """Walkers on a local dask cluster (2 workers): the same chain as the serial path (same seed)."""
    pytest.importorskip("distributed")
    settings = FitSettings(data=("bc",), free=("D0_1e28_cm2_s", "delta1"), energy_points_per_decade=8,
                           sampler="emcee", walkers=8, steps=4)
    on_dask = fit_propagation(settings, output=tmp_path / "dask", scheduler="local")
    serial = fit_propagation(settings, output=tmp_path / "serial", scheduler="none")
    np.testing.assert_array_equal(on_dask.posterior.samples, serial.posterior.samples)


def test_process_pool_walkers_give_the_serial_chain(tmp_path):
    """Walkers on the default pool of 2 forked processes (the likelihood sent once per process):
    the same chain as the serial path (same seed)."""
    settings = FitSettings(data=("bc",), free=("D0_1e28_cm2_s", "delta1"), energy_points_per_decade=8,
                           sampler="emcee", walkers=8, steps=3)
    pooled = fit_propagation(settings, output=tmp_path / "pool")
    serial = fit_propagation(settings, output=tmp_path / "serial", scheduler="none")
    np.testing.assert_array_equal(pooled.posterior.samples, serial.posterior.samples)


#: a 4-parameter B/C fit for nested sampling (D0, delta, phi_bc, the boron normalisation)
NESTED = FitSettings(data=("bc",), free=("D0_1e28_cm2_s", "delta1"), energy_points_per_decade=8, sampler="nautilus",
                     live_points=150, effective_samples=800)


def _importance_log_evidence(like, quick, n: int = 4000, seed: int = 0) -> tuple[float, float]:
    """ln Z and its error by importance sampling (an independent method): draws from a Gaussian
    of 1.5^2 x the HESSE covariance around the maximum, weights L pi / q with the priors
    normalised (uniform: 1/width; Gaussian truncated at 0)."""
    from scipy.stats import multivariate_normal, norm

    log_norm = 0.0
    for prior in like.priors:
        if prior[0] == "uniform":
            log_norm -= np.log(prior[2] - prior[1])
        else:
            log_norm -= np.log(prior[2] * np.sqrt(2 * np.pi) * norm.cdf(prior[1] / prior[2]))
    q = multivariate_normal(quick["values"], 2.25 * quick["covariance"])
    x = q.rvs(size=n, random_state=seed)
    log_w = np.array([like(xi) for xi in x]) + log_norm - q.logpdf(x)
    top = np.max(log_w)
    w = np.exp(log_w - top)
    return float(top + np.log(w.mean())), float(w.std() / w.mean() / np.sqrt(n))


@pytest.mark.slow
def test_nested_posterior_agrees_with_hesse_and_evidence_with_importance_sampling(tmp_path):
    """The 4-parameter B/C posterior is close to Gaussian in D0 and delta: nautilus's means
    agree with MIGRAD's maximum within 0.2 sigma and its widths with HESSE's within 15 %; its
    ln Z with importance sampling within 3 combined errors (the Laplace approximation is 0.37
    lower: the phi_bc marginal, truncated at 0, is ~ 1.45 x wider than HESSE's)."""
    result = fit_propagation(NESTED, scheduler="none")
    d = result.diagnostics
    assert result.converged and d["n_eff"] >= NESTED.effective_samples and d["explored"]
    assert "converged: effective samples" in result.summary()
    like = PropagationLikelihood(NESTED)
    quick = fit_quick(like)
    samples = result.posterior.samples
    for i in range(2):  # D0, delta
        assert abs(samples[:, i].mean() - quick["values"][i]) < 0.2 * quick["errors"][i]
        assert samples[:, i].std() == pytest.approx(quick["errors"][i], rel=0.15)
    # the recorded maximum (what best_fit_model.toml holds, through the file) is as probable as
    # MIGRAD's maximum, within 0.1 in ln posterior, and at least as probable as every sample
    back = PropagationPosterior.read(result.posterior.write(tmp_path / "posterior.ecsv"))
    maximum = np.array([back.best_values()[p] for p in like.parameters])
    best_logp = like.log_prior(maximum) + like.log_likelihood(maximum)
    assert best_logp > quick["log_posterior"] - 0.1, (best_logp, quick["log_posterior"])
    assert best_logp >= back.log_posterior.max() - 1e-9
    log_z, error = _importance_log_evidence(like, quick)
    assert abs(d["log_z"] - log_z) < 3 * np.hypot(error, d["log_z_error"]), (d["log_z"], log_z, error)


@pytest.mark.slow
def test_nested_run_resumes_where_it_stopped(tmp_path):
    """A nautilus run stopped at 150 effective samples and resumed to 300 gives the same points
    as one run to 300 (the checkpoint holds the points and the random state); on the default
    pool of 2 processes (likelihoods and nautilus's network training) the run converges to the
    same posterior (D0, delta within 0.3 sigma; not bit-identical: the networks are trained in
    other processes); a resume with other
    settings, or a second run into the same directory without --resume, is refused."""
    small = FitSettings(**{**NESTED.__dict__, "live_points": 80, "effective_samples": 150})
    fit_propagation(small, output=tmp_path / "split", scheduler="none")
    more = FitSettings(**{**small.__dict__, "effective_samples": 300})
    resumed = fit_propagation(more, output=tmp_path / "split", resume=True, scheduler="none")
    whole = fit_propagation(more, output=tmp_path / "whole", scheduler="none")
    assert resumed.diagnostics["n_like"] == whole.diagnostics["n_like"]
    np.testing.assert_array_equal(resumed.posterior.samples, whole.posterior.samples)
    pooled = fit_propagation(more, output=tmp_path / "pooled")
    assert pooled.converged
    for i in range(2):
        a, b = pooled.posterior.samples[:, i], whole.posterior.samples[:, i]
        assert abs(a.mean() - b.mean()) < 0.3 * b.std()
    with pytest.raises(ValueError, match="--resume"):
        fit_propagation(more, output=tmp_path / "whole", scheduler="none")
    with pytest.raises(FitSettingsMismatch, match="live_points"):
        fit_propagation(FitSettings(**{**more.__dict__, "live_points": 90}), output=tmp_path / "whole", resume=True,
                        scheduler="none")
