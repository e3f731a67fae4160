"""Production cross sections of secondary e+-: registry, published statements, sum rules.

Independent references used here:
* measured sigma(pp -> p n pi+) below the two-pion threshold (Landolt-Boernstein
  compilation: Shimizu et al., NPA 386, 571 (1982); McIlwain et al., PR 127, 239 (1962)),
  where it is the whole inclusive pi+ cross section apart from pi+ d;
* measured sigma_inel = sigma_tot - sigma_el (PDG compilation) for the Kamae et al. fit;
* statements of the papers themselves (abstracts, the only part of the papers readable in
  this environment): Kamae et al. 2006 "secondary spectra harder by about 0.05 in index
  than the incident protons"; Kelner et al. 2006 Eq. 79 at E_p = 1 TeV;
* the NA49 pi+ Feynman-x density in inelastic p + p at 158 GeV/c (Alt et al., EPJC 45, 343
  (2006), hep-ex/0510009, Table 6 / Fig. 48a; HEPData ins694016, doi:10.17182/hepdata.43114.v1/t24,
  as distributed in Rivet's reference file NA49_2006_I694016.yoda; shipped in
  positrons.cross_sections.accelerator_data);
* conservation laws: one lepton per charged pion, energy, charge.
"""

import numpy as np
import pytest

from positrons import constants as const
from positrons.cross_sections import OutsideValidityError, available_models, combine, get_model
from positrons.cross_sections import kamae2006, kelner2006, nuclear, pion_production
from positrons.cross_sections.accelerator_data import NA49_PI_PLUS_158
from positrons.cross_sections.chain import ChainKernel

T_E = np.geomspace(1e-4, 1e5, 3000)  # lepton grid for integrals, GeV
# the chain's spectra are smooth (decay kernels); 900 points keep its decay matrix cheap
T_E_CHAIN = np.geomspace(1e-4, 1e5, 900)


def _moments(model, T_p, lepton):
    """(number, energy) per collision x sigma: integrals of dsigma/dT_e and T_e dsigma/dT_e."""
    T_e = T_E_CHAIN if model.name == "chain" else T_E
    s = model.dsigma_dT(T_p, T_e, lepton)
    return np.trapezoid(s, T_e), np.trapezoid(s * T_e, T_e)


def test_registry():
    assert {"chain", "kamae2006", "kelner2006", "hybrid"} <= set(available_models())
    with pytest.raises(ValueError, match="unknown cross-section model"):
        get_model("kamae2007")


def test_outside_validity_raises_or_zero():
    model = get_model("kamae2006")
    with pytest.raises(OutsideValidityError, match="0.488"):
        model.dsigma_dT(0.3, 0.01)
    assert model.dsigma_dT(0.3, 0.01, outside="zero") == 0.0
    with pytest.raises(OutsideValidityError):
        get_model("kelner2006").dsigma_dT(50.0, 1.0)
    with pytest.raises(ValueError, match="lepton"):
        model.dsigma_dT(10.0, 1.0, lepton="muon")
    with pytest.raises(ValueError, match="reaction"):
        model.dsigma_dT(10.0, 1.0, reaction="pC")
    with pytest.raises(ValueError, match="> 0"):
        model.dsigma_dT(10.0, -1.0)


def test_combine_refuses_gaps():
    k = get_model("kamae2006")
    with pytest.raises(ValueError, match="touch"):
        combine("x", [(k, 1.0, 10.0), (k, 20.0, 100.0)])
    with pytest.raises(ValueError, match="not valid"):
        combine("x", [(k, 0.1, 10.0)])


# --- Kamae et al. 2006 ----------------------------------------------------------------------


def test_kamae_sigma_inel_matches_measured_values():
    """Kamae Eqs. 1-4 vs sigma_tot - sigma_el of the PDG compilation (Blobel 1973: 12 and
    24 GeV/c; Baksay 1978: 1073 GeV/c).  The fit is quoted to reproduce data to a few %."""
    for p_lab, measured in [(12.0, 29.75), (24.0, 30.6), (1073.4, 34.44)]:
        T = np.sqrt(p_lab**2 + const.m_proton**2) - const.m_proton
        assert sum(kamae2006.sigma_pp_components(T)) == pytest.approx(measured, rel=0.04)


@pytest.mark.parametrize("lepton", ["positron", "electron"])
def test_kamae_spectra_harder_than_protons(lepton):
    """Kamae et al. 2006, abstract: secondary spectra are harder by about 0.05 in power-law
    index than the incident protons.  Protons T^-2.7; index of q(T_e) over 10-100 GeV."""
    from positrons.sources.secondary import build_production_matrix

    T_e = np.geomspace(10, 100, 12)
    q = build_production_matrix("kamae2006", lepton, T_e).source(lambda T: T**-2.7)
    index = -np.polyfit(np.log(T_e), np.log(q), 1)[0]
    assert 2.7 - index == pytest.approx(0.05, abs=0.04)


@pytest.mark.parametrize("name", ["kamae2006", pytest.param("chain", marks=pytest.mark.slow), "kelner2006"])
def test_energy_and_charge_sum_rules(name):
    """Energy in e+ + e- never exceeds the proton kinetic energy (it is ~5-9 % here: each
    charged pion gives a quarter of its energy to its lepton); the produced lepton charge
    n(e+) - n(e-) lies in [0, 2] because the pions' net charge cannot exceed the initial +2."""
    model = get_model(name)
    for T_p in np.geomspace(max(model.projectile_min, 0.6), min(model.projectile_max, 1e5), 8):
        sigma_inel = sum(kamae2006.sigma_pp_components(T_p))
        n_pos, e_pos = _moments(model, T_p, "positron")
        n_ele, e_ele = _moments(model, T_p, "electron")
        assert (e_pos + e_ele) / sigma_inel < 0.12 * T_p
        assert 0.0 <= (n_pos - n_ele) / sigma_inel <= 2.0


# --- the pi -> mu -> e chain ----------------------------------------------------------------


def test_dermer_pi_plus_matches_measured_threshold_cross_section():
    """Below the two-pion threshold (T_p = 0.6 GeV) sigma(pi+ X) without pi+ d is the
    exclusive p n pi+ channel.  Data (Landolt-Boernstein): T_p [GeV], sigma [mb], error.
    The fit must agree within 2 sigma + 20 % (Dermer quotes ~10-20 % near threshold)."""
    data = [(0.4049, 0.63, 0.06), (0.4331, 1.23, 0.11), (0.5160, 3.04, 0.17), (0.5969, 7.59, 0.29)]
    for T_p, sigma, err in data:
        model = float(pion_production.dermer_cross_section(T_p, +1))
        assert abs(model - sigma) < 2 * err + 0.2 * sigma, (T_p, model, sigma)


@pytest.mark.parametrize("T_p", [0.35, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0])
@pytest.mark.parametrize("charge", [+1, -1])
def test_pion_spectrum_integrates_to_the_inclusive_cross_section(T_p, charge):
    """The shapes are normalised, so the cells sum to sigma_D (+ sigma_d for pi+)."""
    kernel = ChainKernel()
    total = kernel.pion_cells(T_p, charge).sum()
    expected = pion_production.dermer_cross_section(T_p, charge)
    if charge == +1:
        expected = expected + pion_production.deuteron_channel_cross_section(T_p)
    assert total == pytest.approx(float(expected), rel=2e-3, abs=1e-9)


def test_pion_spectrum_respects_kinematics():
    """No pion above the two-body limit of pp -> pi+ d (the largest pi+ energy)."""
    kernel = ChainKernel()
    T_p = 0.5
    s = 2 * const.m_proton * (T_p + 2 * const.m_proton)
    rs = np.sqrt(s)
    gamma_c = rs / (2 * const.m_proton)
    e_star = (s - const.m_deuteron**2 + const.m_pion_charged**2) / (2 * rs)
    p_star = np.sqrt(e_star**2 - const.m_pion_charged**2)
    e_max = gamma_c * e_star + np.sqrt(gamma_c**2 - 1) * p_star
    cells = kernel.pion_cells(T_p, +1)
    assert np.all(cells[kernel.edges[:-1] > e_max * 1.0001] == 0)
    assert cells.sum() > 0


@pytest.mark.parametrize("T_p", [0.4, 1.0, 10.0, 300.0])
def test_chain_makes_one_lepton_per_charged_pion(T_p):
    """Number conservation through the folding: integral of dsigma/dT_e = sigma(pi).
    Tolerance 1 %: the lepton grid (900 log points) resolves the MeV decay spectra."""
    model = get_model("chain")
    kernel = ChainKernel()
    for lepton, charge in (("positron", +1), ("electron", -1)):
        n, _ = _moments(model, T_p, lepton)
        assert n == pytest.approx(kernel.pion_cells(T_p, charge).sum(), rel=0.01, abs=1e-6)


def test_chain_converges_with_the_pion_grid():
    """Second method: 60 cells per decade against 240 (1 % at the sharp isobar edges)."""
    coarse = ChainKernel(cells_per_decade=60)
    fine = ChainKernel(cells_per_decade=240)
    T_e = np.geomspace(1e-3, 5.0, 40)
    for T_p in (0.6, 2.0, 20.0):
        a = coarse(T_p, T_e, "positron")
        b = fine(T_p, T_e, "positron")
        sel = b > 1e-3 * b.max()
        assert np.allclose(a[sel], b[sel], rtol=0.02)


# --- measured pion yields at 158 GeV/c (NA49) ------------------------------------------------

NA49 = NA49_PI_PLUS_158
T_NA49 = np.sqrt(NA49.p_lab_GeV**2 + const.m_proton**2) - const.m_proton


def test_na49_pi_plus_multiplicity_of_the_table():
    """Guard on the transcription of the table: its integral over x_F, <pi+> = 3.02 with
    log-monotone interpolation.  The integration rule matters at the 1 % level (trapezoid
    3.06; the rapidity table of the same Rivet file gives 2.99): the multiplicity test
    below allows for it."""
    assert NA49.multiplicity() == pytest.approx(3.02, abs=0.01)


def test_xF_distribution_integrates_to_the_inclusive_cross_section():
    """Second route through the model: the p_T and x_F integral of the invariant cross
    section (CM variables) equals the lab-energy normalisation sigma_D (1e-5)."""
    from scipy.integrate import quad

    T_p = 100.0
    total = 2 * quad(lambda x: pion_production.dsigma_dxF(T_p, x, +1), 0.0, 1.0, limit=200)[0]
    assert total == pytest.approx(float(pion_production.dermer_cross_section(T_p, +1)), rel=1e-5)
    with pytest.raises(ValueError, match="7.0 GeV/c"):
        pion_production.dsigma_dxF(3.0, 0.1, +1)


def test_chain_pi_plus_multiplicity_matches_na49():
    """chain (Dermer's sigma(pp -> pi+ X) / Kamae's sigma_inel) at 158 GeV/c: 3.18 against
    NA49's 3.02.  Tolerance 8 %: sigma_inel is good to 4 % (test above), Dermer's fit to
    pre-1986 data has ~5 % scatter, NA49's normalisation a few %."""
    sigma_inel = sum(kamae2006.sigma_pp_components(T_NA49))
    n_model = float(pion_production.dermer_cross_section(T_NA49, +1)) / sigma_inel
    assert n_model == pytest.approx(NA49.multiplicity(), rel=0.08)


def test_chain_pi_plus_xF_shape_matches_na49():
    """The chain's pi+ dn/dx_F at 158 GeV/c against NA49, point by point for x_F <= 0.45
    (model/data 0.90-1.11 today; the 12 % tolerance is a guard on that agreement: NA49's
    errors are ~1-4 %, the 1977 scaling fit has no quoted accuracy), and the moment
    Z = Integral x_F^1.7 dn/dx_F, which approximately sets the secondary source for protons
    ~ E^-2.7 (model/data 0.97; tolerance 5 %).  Above x_F = 0.5 the scaling model falls
    below the data (0.74 at 0.55, 0.29 at 0.85: leading-particle pions it lacks); in Z
    this costs ~4 %, partly offset by +1 % at central x_F."""
    from scipy.integrate import quad

    sigma_inel = sum(kamae2006.sigma_pp_components(T_NA49))
    central = NA49.x_F <= 0.45
    ratio = pion_production.dsigma_dxF(T_NA49, NA49.x_F[central], +1) / sigma_inel / NA49.dn_dxF[central]
    assert np.all(np.abs(ratio - 1.0) < 0.12), ratio
    z_model = quad(lambda x: x**1.7 * pion_production.dsigma_dxF(T_NA49, x, +1), 0.0, 0.85, limit=200)[0]
    assert z_model / sigma_inel == pytest.approx(NA49.moment(1.7), rel=0.05)


def test_kamae_positron_multiplicity_against_na49_pions():
    """kamae2006 makes 3.58 e+ per collision at 158 GeV/c against NA49's 3.02 pi+.  Every pi+
    gives one e+, and kaons, hyperons and eta/omega decays add more, so the ratio must exceed 1;
    it must stay below 1.25 (strange and resonance decays add ~10-20 % to the positive
    pion-decay leptons in p + p at SPS energies, our judgement of the scale)."""
    sigma_inel = sum(kamae2006.sigma_pp_components(T_NA49))
    n_pos = np.trapezoid(get_model("kamae2006").dsigma_dT(T_NA49, T_E, "positron"), T_E) / sigma_inel
    assert 1.0 < n_pos / (NA49.multiplicity()) < 1.25


def test_feynman_x_figure(tmp_path):
    from positrons.analysis.secondary_spectra import feynman_x_comparison
    from positrons.plotting.secondary import plot_feynman_x

    fig = plot_feynman_x(feynman_x_comparison(NA49))
    assert len(fig.axes) == 2 and len(fig.axes[1].lines[0].get_xdata()) == NA49.x_F.size
    fig.savefig(tmp_path / "na49.png")


# --- Kelner et al. 2006 --------------------------------------------------------------------


def test_kelner_inelastic_cross_section():
    """Eq. 79: 34.3 mb at E_p = 1 TeV (L = 0); zero at the threshold E_th = 1.22 GeV."""
    assert kelner2006.sigma_inelastic(1e3) == pytest.approx(34.3, rel=1e-9)  # (E_th/E_p)^4 ~ 2e-12
    assert kelner2006.sigma_inelastic(1.22) == pytest.approx(0.0, abs=1e-12)


def test_kelner_and_kamae_agree_at_high_energy():
    """Two independent fits (SIBYLL vs the Kamae et al. Monte Carlo) of e+ + e- from 1 TeV
    to 100 TeV protons, lepton fractions 0.01-0.1: within 35 % (the literature spread of
    these parametrisations, e.g. Kelner et al. Fig. comparison with Kamae, is 20-40 %)."""
    kamae = get_model("kamae2006")
    kelner = get_model("kelner2006")
    for T_p in (1e3, 1e4, 1e5):
        T_e = np.geomspace(0.01, 0.1, 8) * T_p
        a = kamae.dsigma_dT(T_p, T_e, "positron") + kamae.dsigma_dT(T_p, T_e, "electron")
        b = kelner.dsigma_dT(T_p, T_e, "positron") + kelner.dsigma_dT(T_p, T_e, "electron")
        assert np.allclose(b / a, 1.0, atol=0.35), b / a


# --- helium ---------------------------------------------------------------------------------


def test_helium_scaling():
    """Orth & Buffington: (A^3/8 + B^3/8 - 1)^2 = 2.83 for p He and 5.59 for He He; isospin
    makes He He charge symmetric and sums p He e+ + e- to 2.83 x the p + p sum."""
    assert nuclear.Reaction.parse("pHe").enhancement == pytest.approx(4**0.75)
    assert nuclear.Reaction.parse("HeHe").enhancement == pytest.approx((2 * 4**0.375 - 1) ** 2)
    model = get_model("kamae2006")
    T_e = np.geomspace(0.01, 5, 10)
    pos = model.dsigma_dT(10.0, T_e, "positron", "HeHe")
    ele = model.dsigma_dT(10.0, T_e, "electron", "HeHe")
    assert np.allclose(pos, ele)
    pp_sum = model.dsigma_dT(10.0, T_e, "positron") + model.dsigma_dT(10.0, T_e, "electron")
    phe_sum = model.dsigma_dT(10.0, T_e, "positron", "pHe") + model.dsigma_dT(10.0, T_e, "electron", "pHe")
    assert np.allclose(phe_sum, 4**0.75 * pp_sum)


def test_nuclear_scaling_for_any_nucleus():
    # pair fractions by hand: p + 14N (Z/A = 1/2): half p p, half p n; 4He + 56Fe (Z/A = 26/56):
    # pp = 0.5 x 26/56, nn = 0.5 x 30/56, pn the rest; Orth & Buffington is 1 for p + p and
    # A^(3/4) for p + A
    nitrogen, iron = nuclear.Nucleus("N", 14, 7), nuclear.Nucleus("Fe", 56, 26)
    assert nuclear.nucleon_pair_fractions(nuclear.PROTON, nitrogen) == pytest.approx((0.5, 0.0, 0.5), abs=1e-15)
    pp, nn, pn = nuclear.nucleon_pair_fractions(nuclear.HELIUM4, iron)
    assert (pp, nn, pn) == pytest.approx((13 / 56, 15 / 56, 28 / 56), rel=1e-14)
    assert nuclear.enhancement(1, 1) == 1.0 and nuclear.enhancement(14) == pytest.approx(14**0.75, rel=1e-14)
    # the named reactions are the general rule applied to p and 4He
    assert nuclear.Reaction.parse("pHe").nucleon_pair_fractions == nuclear.nucleon_pair_fractions(
        nuclear.PROTON, nuclear.HELIUM4)
    assert nuclear.scale_from_pp("Hep", 3.0, 1.0, "electron") == pytest.approx(4**0.75 * (0.5 * 1.0 + 0.5 * 2.0))
    with pytest.raises(ValueError, match="0 <= Z <= A"):
        nuclear.Nucleus("X", 4, 5)
