"""The built-in production models, registered by name (see the package docstring)."""

from __future__ import annotations

from .. import constants as const
from . import kamae2006, kelner2006
from .production import ProductionModel, register


@register("kamae2006")
def kamae() -> ProductionModel:
    def kernel(T_p, T_e, lepton):
        # Kamae et al. tabulate in the lepton energy E; E = T + m_e (a 0.5 MeV shift, relevant
        # only near their 2.5 MeV low-energy roll-off)
        return kamae2006.dsigma_dE(T_p, T_e + const.m_electron, lepton)

    return ProductionModel(
        name="kamae2006",
        reference="T. Kamae et al., ApJ 647, 692 (2006), astro-ph/0605581; erratum ApJ 662, 779 (2007)",
        projectile_min=kamae2006.T_MIN,
        projectile_max=kamae2006.T_MAX,
        pp_kernel=kernel,
        description="parametrised p+p Monte Carlo (non-diffractive, diffractive, Delta(1232), res(1600))",
    )


@register("kelner2006")
def kelner() -> ProductionModel:
    def kernel(T_p, T_e, lepton):
        return kelner2006.dsigma_dE(T_p, T_e + const.m_electron, lepton)

    return ProductionModel(
        name="kelner2006",
        reference="S. R. Kelner, F. A. Aharonian & V. V. Bugayov, PRD 74, 034018 (2006), astro-ph/0606058",
        projectile_min=kelner2006.E_P_MIN,
        projectile_max=1e8,
        pp_kernel=kernel,
        description="SIBYLL-based fit of e+ + e- (Eqs. 62-65, sigma_inel Eq. 79), split into e+ and e- "
        "with the Kamae et al. (2006) e+ share; lepton fractions below x = 1e-3 extrapolate the fit",
    )


class _SharedChainKernel:
    """The chain kernel, built on first use and shared by every "chain" model instance, so
    its cached decay matrices are reused."""

    _kernel = None

    def __call__(self, T_p, T_e, lepton):
        if _SharedChainKernel._kernel is None:
            from .chain import ChainKernel

            _SharedChainKernel._kernel = ChainKernel()
        return _SharedChainKernel._kernel(T_p, T_e, lepton)


@register("chain")
def chain() -> ProductionModel:
    return ProductionModel(
        name="chain",
        reference="pion spectrum: I. V. Moskalenko & A. W. Strong, ApJ 493, 694 (1998), App. B (Dermer 1986 "
        "cross sections; Stecker isobar; Badhwar et al. 1977 scaling); decays: this package (positrons.decays)",
        projectile_min=0.28,
        projectile_max=1e3,
        pp_kernel=_SharedChainKernel(),
        description="p+p -> pi+- spectrum folded through the exact pi -> mu -> e kernels (no kaons)",
    )


@register("hybrid")
def hybrid() -> ProductionModel:
    """chain below 5 GeV (threshold region, exact decays), kamae2006 to 512 TeV, kelner2006 above."""
    from .production import combine

    return combine(
        "hybrid",
        [(chain(), 0.28, 5.0), (kamae(), 5.0, kamae2006.T_MAX), (kelner(), kamae2006.T_MAX, 1e8)],
        description="chain [0.28, 5) GeV + kamae2006 [5 GeV, 512 TeV) + kelner2006 [512 TeV, 1e5 TeV]: "
        "every projectile energy from threshold to 1e5 TeV by the model made for it",
    )


@register("orusa2022")
def orusa() -> ProductionModel:
    from .orusa2022 import orusa2022_model

    return orusa2022_model()
