r"""Secondary antiprotons in the 2D model: p̄ flux and p̄/p against AMS-02 and PAMELA.

Pipeline (:func:`antiproton_flux`):

1. protons and helium propagated with the model and each normalised to its AMS-02 flux
   (Physics Reports 2021) after force-field modulation
   (:func:`positrons.analysis.primaries.fit_primary`);
2. in every cell the source ``q(T) = 4 pi n_H sum [Phi_p (dsigma_pp + y dsigma_pHe)
   + Phi_He (dsigma_Hep + y dsigma_HeHe)]`` integrated over the projectile energy per nucleon
   (y = n_He/n_H), with the cross sections of one production model of :data:`PBAR_MODELS`;
3. transport of p̄ with ionisation/Coulomb losses and the inelastic (annihilation +
   non-annihilating) rate of Tan & Ng (1983) on H and He; the non-annihilating collisions
   re-inject p̄ below their energy (tertiaries, dsigma/dT = sigma_non-ann(T')/T'), solved by
   iterating the source (:data:`TERTIARY_ITERATIONS` solves);
4. force-field modulation at the model's phi; p̄/p at equal rigidity.

The band of :class:`AntiprotonResult` is the envelope of the production models.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .. import constants as const
from .. import kinematics as kin
from .. import units as u
from ..propagation.grid import GridSpec
from ..propagation.models import get_propagation_model
from .transport import Transport

__all__ = ["PbarSettings", "PBAR_MODELS", "PBAR_DATASETS", "AntiprotonResult", "antiproton_flux", "production_kernels",
           "PBAR_RANGE_GEV", "pbar_solves"]

#: production models: the di Mauro et al. (2014) parametrisation and AAfrag (needs aafragpy)
PBAR_MODELS = ("dimauro2014", "aafrag")
#: (dataset, quantity) compared with the result
PBAR_DATASETS = (("ams02_pbar_p_ratio_physrep2021", "ratio"), ("ams02_pbar_flux_physrep2021_crdb", "flux"),
                 ("pamela_pbar_flux_jetpl2013_ssdc", "flux"))
#: kinetic energies of primaries (per nucleon) and antiprotons [GeV]
PBAR_RANGE_GEV = (0.1, 1e4)
#: solves of the p̄ transport (the first without tertiaries, then with the tertiary source of the previous)
TERTIARY_ITERATIONS = 3
_REACTIONS = (("p", "p"), ("p", "He"), ("He", "p"), ("He", "He"))


@dataclass(frozen=True)
class PbarSettings:
    """Switches of the p̄ transport (each off is a check against the leaky-box formula of
    :mod:`positrons.propagation.antiproton_box`)."""

    destruction: bool = True
    tertiaries: bool = True
    energy_losses: bool = True


def production_kernels(xs: str, T_n, T_pbar) -> dict:
    """{(projectile, target): K} with K[j, i] [mb] = dsigma/dT(T_n[i] -> T_pbar[j]) x the
    quadrature weight of T_n[i] (per projectile nucleus, energies per nucleon)."""
    from ..cross_sections.antiprotons import dimauro2014_dsigma_dT, nuclear_factor, production_matrix

    if xs == "dimauro2014":
        K = production_matrix(dimauro2014_dsigma_dT, T_n, T_pbar)
        return {r: nuclear_factor(*r) * K for r in _REACTIONS}
    if xs == "aafrag":
        from ..cross_sections.aafrag import aafrag_dsigma_dT

        return {r: production_matrix(lambda a, b, _r=r: aafrag_dsigma_dT(a, b, f"{_r[0]}-{_r[1]}"), T_n, T_pbar)
                for r in _REACTIONS}
    raise ValueError(f"unknown antiproton production model {xs!r}; choose from {', '.join(PBAR_MODELS)}")


@dataclass(frozen=True)
class DataComparison:
    dataset: str
    quantity: str  # "ratio" (p̄/p) or "flux" [m^-2 s^-1 sr^-1 GeV^-1 or GV^-1]
    x: np.ndarray  # GV or GeV as the dataset
    variable: str
    value: np.ndarray
    error: np.ndarray
    model: np.ndarray
    chi2: float
    n_points: int


@dataclass(frozen=True)
class AntiprotonResult:
    """p̄ intensities [m^-2 s^-1 sr^-1 GeV^-1] on ``T`` [GeV] per production model: LIS and TOA,
    p̄/p (TOA, equal rigidity), the band (envelope of the models) and the data comparisons
    (with the first model, ``xs[0]``)."""

    model: str
    phi_GV: float
    xs: tuple[str, ...]
    T: np.ndarray
    flux_lis: dict
    flux_toa: dict
    pbar_p_toa: dict
    proton_toa: np.ndarray
    comparisons: tuple = ()
    transport: dict = field(default_factory=dict)  # Transport.settings(): grid and solver
    source_per_H: dict = field(default_factory=dict, repr=False)  # at the observer [m^-2 cm^2 s^-1 GeV^-1]
    proton_lis: np.ndarray | None = field(default=None, repr=False)

    @property
    def band(self):
        """(low, high) of p̄/p over the production models."""
        arr = np.array([self.pbar_p_toa[x] for x in self.xs])
        return arr.min(axis=0), arr.max(axis=0)

    def settings(self) -> dict:
        """What the numbers depend on: model, phi [GV], production models, the transport (grid
        and solver), and per dataset its chi^2 (with ``xs[0]``)."""
        return {"model": self.model, "phi_GV": self.phi_GV, "xs": list(self.xs), "transport": dict(self.transport),
                "comparisons": {f"{c.dataset} ({c.quantity})": {"chi2": c.chi2, "n_points": c.n_points}
                                for c in self.comparisons}}

    def to_table(self):
        """Kinetic energy [GeV]; per production model the p̄ intensity (LIS and TOA) [1 / (GeV m2 s
        sr)] and p̄/p (TOA); the proton TOA intensity; settings and chi^2 per dataset in ``meta``."""
        from .records import table_with_meta

        flux_unit = "1 / (GeV m2 s sr)"
        columns = {"T_GeV": (self.T, "GeV", "antiproton kinetic energy")}
        for name in self.xs:
            columns[f"pbar_flux_lis_{name}"] = (self.flux_lis[name], flux_unit, f"p-bar LIS intensity ({name})")
            columns[f"pbar_flux_toa_{name}"] = (self.flux_toa[name], flux_unit, f"p-bar TOA intensity ({name})")
            columns[f"pbar_p_toa_{name}"] = (self.pbar_p_toa[name], "", f"p-bar/p at the top of the atmosphere ({name})")
        columns["proton_flux_toa"] = (self.proton_toa, flux_unit, "proton TOA intensity at the same energies")
        return table_with_meta(columns, self.settings())

    def write(self, path) -> None:
        """Write :meth:`to_table` atomically (``.ecsv`` or ``.csv``)."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv"))

    def plot(self, ax=None):
        """p̄/p with the band of the production models and the data
        (:func:`positrons.plotting.antiprotons.plot_pbar_p`), on ``ax`` if given; returns the Figure."""
        from ..plotting.antiprotons import plot_pbar_p

        return plot_pbar_p(self, ax=ax)

    def summary(self) -> str:
        lines = [f"antiprotons, model {self.model}, force field phi = {self.phi_GV:g} GV, production: "
                 f"{', '.join(self.xs)} (comparison with {self.xs[0]})"]
        for c in self.comparisons:
            lines.append(f"  {c.dataset} ({c.quantity}): chi2 = {c.chi2:.1f} for {c.n_points} points "
                         f"(chi2/n = {c.chi2 / max(c.n_points, 1):.2f})")
        return "\n".join(lines)


def pbar_solves(pbar: PbarSettings) -> int:
    """The number of transport solves of one production model (the tertiaries iterate the source)."""
    return TERTIARY_ITERATIONS if pbar.tertiaries and pbar.destruction else 1


def _propagate_pbar(model, grid, ism, q, settings, pbar: PbarSettings = PbarSettings(), solved=None):
    """Density [cm^-3 GeV^-1] on the grid of the p̄ for the source q, with tertiaries;
    ``solved()`` is called after each transport solve (:func:`pbar_solves` of them)."""
    from .. import losses
    from ..cross_sections.antiprotons import PBAR_HE_TARGET_FACTOR, tan_ng_inelastic_mb, tan_ng_non_annihilating_mb
    from ..propagation.diffusion2d import Propagator

    T = grid.T
    beta = kin.beta_from_kinetic(T, const.m_proton)
    sigma_in = tan_ng_inelastic_mb(T) * u.mb_to_cm2 * (1.0 if pbar.destruction else 0.0)

    def catastrophic(R, z, TT):
        Rk, zk = np.asarray(R)[:, :, 0], np.asarray(z)[:, :, 0]
        n_eff = ism.gas.n_H_total(Rk, zk) + PBAR_HE_TARGET_FACTOR * ism.gas.n_He(Rk, zk)
        return n_eff[:, :, None] * beta * const.c_light * sigma_in

    def loss_rate(R, z, TT):
        return losses.nucleus_loss_terms(np.ravel(TT), "antiproton", ism).evaluate(np.asarray(R)[:, :, 0],
                                                                                 np.asarray(z)[:, :, 0])

    prop = Propagator(model, grid, "antiproton", loss_rate=loss_rate if pbar.energy_losses else None,
                      catastrophic_rate=catastrophic if pbar.destruction else None, settings=settings)
    N = prop.solve(q).density
    if solved is not None:
        solved()
    if not (pbar.tertiaries and pbar.destruction):
        return N
    n_eff = ism.gas.n_H_total(grid.R_kpc[:, None], grid.z_kpc[None, :]) \
        + PBAR_HE_TARGET_FACTOR * ism.gas.n_He(grid.R_kpc[:, None], grid.z_kpc[None, :])
    # tertiary kernel: G[j, i] = sigma_na(T_i) / T_i x weight_i for T_i > T_j
    x = np.log(T)
    w = np.zeros_like(x)
    w[1:] += 0.5 * np.diff(x)
    w[:-1] += 0.5 * np.diff(x)
    rate = tan_ng_non_annihilating_mb(T) * u.mb_to_cm2 * beta * const.c_light / T * (w * T)
    G = np.triu(np.ones((T.size, T.size)), 1) * rate[None, :]
    for _ in range(TERTIARY_ITERATIONS - 1):
        q_ter = n_eff[:, :, None] * np.einsum("rzi,ji->rzj", N, G)
        N = prop.solve(q + q_ter).density
        if solved is not None:
            solved()
    return N


def antiproton_flux(model="MED", xs: tuple[str, ...] = PBAR_MODELS, transport: Transport | GridSpec | None = None,
                    ism=None, compare_data: bool = True, T=None, pbar: PbarSettings = PbarSettings(),
                    progress=None) -> AntiprotonResult:
    """Secondary (+ tertiary) antiprotons for ``model`` with each production model of ``xs``
    (``"aafrag"`` is skipped with a note when aafragpy is missing); see the module docstring.

    ``transport``: grid, solver and disk cache (:class:`~positrons.analysis.transport.Transport`;
    a GridSpec or None as :meth:`Transport.of`; the cache serves the proton and helium solves),
    recorded in the result.  ``progress``: ``progress(done, total)`` after each transport solve
    (protons, helium, then :func:`pbar_solves` per production model)."""
    from ..cross_sections.aafrag import aafrag_available
    from ..heliosphere.force_field import modulate
    from ..interstellar import InterstellarMedium
    from ..propagation.solution import observation_weights
    from .primaries import fit_primary

    model = get_propagation_model(model)
    transport = Transport.of(transport)
    spec = transport.grid_spec
    xs = tuple(x for x in xs if x != "aafrag" or aafrag_available())
    if not xs:
        raise ValueError("no antiproton production model available (aafrag needs the package aafragpy)")
    ism = InterstellarMedium.default(r_sun_kpc=model.r_sun_kpc) if ism is None else ism
    T_n = spec.energies(*PBAR_RANGE_GEV) if T is None else np.asarray(T, dtype=float)
    total = 2 + len(xs) * pbar_solves(pbar)
    done = [0]

    def solved():
        done[0] += 1
        if progress is not None:
            progress(done[0], total)

    fit_p = fit_primary(model, "proton", "ams02_proton_flux_physrep2021", T=T_n, transport=transport)
    solved()
    fit_he = fit_primary(model, "helium", "ams02_helium_flux_physrep2021", T=4.0 * T_n, transport=transport)
    solved()
    phi_p = fit_p.normalisation * kin.flux_from_density(fit_p.solution.density, T_n, kin.SPECIES["proton"].mass)
    phi_he = 4.0 * fit_he.normalisation * kin.flux_from_density(fit_he.solution.density, 4.0 * T_n,
                                                               kin.SPECIES["helium"].mass)
    grid = fit_p.solution.grid  # p̄ on the proton grid (same T)
    n_H = grid.cell_average(ism.gas.n_H_total)[:, :, None]
    y = ism.gas.he_to_h
    to_cm2 = 1e-4 * u.mb_to_cm2 * 4.0 * np.pi  # Phi per m^2 -> per cm^2, mb -> cm^2, 4 pi sr
    proton_toa = modulate(T_n, (T_n, fit_p.flux_lis), model.phi_GV, "proton")
    w = observation_weights(grid, model.r_sun_kpc, 0.0)
    flux_lis, flux_toa, ratio, sources = {}, {}, {}, {}
    for name in xs:
        K = production_kernels(name, T_n, grid.T)
        per_atom = phi_p @ (K[("p", "p")] + y * K[("p", "He")]).T + phi_he @ (K[("He", "p")] + y * K[("He", "He")]).T
        q = n_H * per_atom * to_cm2
        N = _propagate_pbar(model, grid, ism, q, transport.solver, pbar, solved)
        lis = kin.flux_from_density(np.tensordot(w, N, axes=([0, 1], [0, 1])), grid.T, const.m_proton)
        good = lis > 0
        toa = modulate(grid.T, (grid.T[good], lis[good]), model.phi_GV, "antiproton")
        flux_lis[name], flux_toa[name], ratio[name] = lis, toa, toa / proton_toa
        sources[name] = per_atom_local(per_atom, grid, model)
    result = AntiprotonResult(model.name, model.phi_GV, xs, grid.T, flux_lis, flux_toa, ratio, proton_toa,
                              (), transport.settings(), sources, fit_p.flux_lis)
    if compare_data:
        result = replace(result, comparisons=tuple(_compare(result, d, kind) for d, kind in PBAR_DATASETS))
    return result


def per_atom_local(per_atom, grid, model) -> np.ndarray:
    """The production per H atom at the observer, 4 pi sum ∫ Phi dsigma [m^-2 cm^2 s^-1 GeV^-1]
    (Phi per m^2, sigma in cm^2): the ``source_per_H`` of
    :func:`positrons.propagation.antiproton_box.leaky_box_secondary_intensity`."""
    from ..propagation.solution import observation_weights

    w = observation_weights(grid, model.r_sun_kpc, 0.0)
    return 4.0 * np.pi * u.mb_to_cm2 * np.tensordot(w, per_atom, axes=([0, 1], [0, 1]))


def _compare(result: AntiprotonResult, dataset_id: str, quantity: str) -> DataComparison:
    from ..data import load

    ds = load(dataset_id)
    x = np.asarray(ds.energy, dtype=float)
    lo, hi = ds.errors()
    err = 0.5 * (np.asarray(lo, dtype=float) + np.asarray(hi, dtype=float))
    sp = kin.SPECIES["antiproton"]
    T_at = kin.kinetic_from_rigidity(x, sp) if ds.energy_variable == "rigidity" else x
    name = result.xs[0]
    curve = result.pbar_p_toa[name] if quantity == "ratio" else result.flux_toa[name]
    good = curve > 0
    model = np.exp(np.interp(np.log(T_at), np.log(result.T[good]), np.log(curve[good]), left=np.nan, right=np.nan))
    if quantity == "flux" and ds.energy_variable == "rigidity":
        model = model * kin.dT_dR(T_at, sp)
    ok = np.isfinite(err) & (err > 0) & np.isfinite(model)
    chi2 = float(np.sum(((model[ok] - np.asarray(ds.value)[ok]) / err[ok]) ** 2))
    return DataComparison(dataset_id, quantity, x[ok], ds.energy_variable, np.asarray(ds.value)[ok], err[ok],
                          model[ok], chi2, int(ok.sum()))
