"""Secondary e+- production: one model's cross section, the local source term, and the
comparisons of every model drawn in ``docs/secondary.md``.

The pipelines of ``positrons secondary cross-section`` and ``positrons secondary source``:
a cross-section model (by name, :mod:`positrons.cross_sections`), the shipped proton and
helium local interstellar spectra (:mod:`positrons.lis`) and the production matrix of
:mod:`positrons.sources.secondary`; each returns a record with ``to_table()``, ``write()``
and ``plot()``.  The figures' curves are computed here and drawn by
:mod:`positrons.plotting.secondary`, which computes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._output import result_table, write_table

#: models drawn by the source-term figure
SOURCE_FIGURE_MODELS = ("kamae2006", "chain", "kelner2006", "hybrid")


@dataclass(frozen=True)
class CrossSectionSpectrum:
    """dsigma/dE [mb/GeV] per projectile nucleus of one model at one projectile energy.

    ``energies`` [GeV]: lepton kinetic energies (those below the projectile energy).
    """

    model: str
    reference: str
    reaction: str
    species: str
    projectile_energy: float
    energies: np.ndarray
    dsigma_dE: np.ndarray

    def settings(self) -> dict:
        return {"model": self.model, "reaction": self.reaction, "species": self.species,
                "projectile_energy_GeV_per_n": self.projectile_energy}

    def header_lines(self) -> list[str]:
        """The ``#`` lines of the CSV the command prints."""
        return [
            f"dsigma/dE for {self.reaction} -> {self.species} at projectile kinetic energy "
            f"{self.projectile_energy:g} GeV/n, model {self.model}",
            f"reference: {self.reference}",
            "E_kin_GeV: lepton kinetic energy; dsigma_dE per projectile nucleus in mb/GeV",
        ]

    def columns(self) -> dict:
        return {"E_kin_GeV": self.energies, "dsigma_dE_mb_per_GeV": self.dsigma_dE}

    def to_table(self):
        """astropy Table: E_kin_GeV [GeV], dsigma_dE_mb_per_GeV [mb/GeV]; settings in meta."""
        return result_table(self.columns(), {"E_kin_GeV": "GeV", "dsigma_dE_mb_per_GeV": "mbarn / GeV"},
                            self.settings(), self.header_lines()[0])

    def write(self, path):
        """Write :meth:`to_table` to ``path`` (.ecsv, .csv or .fits), atomically."""
        return write_table(self.to_table(), path)

    def plot(self, ax=None):
        """E dsigma/dE of this model; returns the figure."""
        from ..plotting.secondary import plot_cross_sections

        return plot_cross_sections(self.energies, {self.model: self.dsigma_dE}, self._title(), ax=ax)

    def _title(self):
        return f"{self.reaction} $\\rightarrow$ {self.species}, $T_p$ = {self.projectile_energy:g} GeV/n"


def cross_section_spectrum(model: str, projectile_energy: float, energies, species: str = "positron",
                           reaction: str = "pp") -> CrossSectionSpectrum:
    """dsigma/dE of ``model`` (a registered name) for ``reaction`` at ``projectile_energy``
    [GeV/n] on the lepton kinetic ``energies`` [GeV] below it.

    Raises ValueError when the projectile energy is outside the model's range or no energy
    lies below it.
    """
    from ..cross_sections import get_model

    production = get_model(model)
    if not production.projectile_min <= projectile_energy <= production.projectile_max:
        raise ValueError(f"--projectile-energy must be from {production.projectile_min:g} to "
                         f"{production.projectile_max:g} GeV/n for --model {production.name}, got "
                         f"{projectile_energy:g} (another --model may cover it)")
    energies = np.asarray(energies, dtype=float)
    T_e = energies[energies < projectile_energy]
    if T_e.size == 0:
        raise ValueError("no lepton energy below the projectile energy: widen --energies")
    sigma = production.dsigma_dT(projectile_energy, T_e, lepton=species, reaction=reaction)
    return CrossSectionSpectrum(production.name, production.reference, reaction, species, float(projectile_energy),
                                T_e, np.asarray(sigma, dtype=float))


@dataclass(frozen=True)
class CrossSectionComparison:
    """dsigma/dE [mb/GeV] of several models at one projectile energy [GeV/n] on ``energies``
    [GeV]; ``skipped``: models outside their range there or whose tables are missing."""

    reaction: str
    species: str
    projectile_energy: float
    energies: np.ndarray
    curves: dict = field(default_factory=dict)
    skipped: tuple = ()

    def to_table(self):
        """astropy Table: E_kin_GeV and one dsigma/dE column [mb/GeV] per model."""
        columns = {"E_kin_GeV": self.energies, **{f"dsigma_dE_{m}": v for m, v in self.curves.items()}}
        units = {name: ("GeV" if name == "E_kin_GeV" else "mbarn / GeV") for name in columns}
        return result_table(columns, units, {"reaction": self.reaction, "species": self.species,
                                             "projectile_energy_GeV_per_n": self.projectile_energy,
                                             "skipped": ", ".join(self.skipped)},
                            f"dsigma/dE of every model, {self.reaction} -> {self.species}")

    def write(self, path):
        return write_table(self.to_table(), path)

    def plot(self, ax=None):
        """E dsigma/dE of every model (the skipped ones named in the title)."""
        from ..plotting.secondary import plot_cross_sections

        title = f"{self.reaction} $\\rightarrow$ {self.species}, $T_p$ = {self.projectile_energy:g} GeV/n"
        if self.skipped:
            title += f"  (not shown: {', '.join(self.skipped)})"
        return plot_cross_sections(self.energies, self.curves, title, ax=ax)


def compare_cross_sections(models, projectile_energy: float, species: str = "positron",
                           reaction: str = "pp", n: int = 300, progress=None) -> CrossSectionComparison:
    """dsigma/dE of each model (name) at ``projectile_energy`` [GeV/n] on ``n`` log-spaced
    lepton energies from 1 MeV up to the projectile energy; ``progress(done, total)`` after
    each model."""
    from ..cross_sections import get_model
    from ..cross_sections.orusa2022 import OrusaTablesMissing

    T_e = np.geomspace(1e-3, projectile_energy, n)[:-1]
    curves, skipped = {}, []
    for done, name in enumerate(models, start=1):
        if progress is not None:
            progress(done - 1, len(models))
        try:
            model = get_model(name)
        except OrusaTablesMissing:
            skipped.append(name)
            continue
        if not model.projectile_min <= projectile_energy <= model.projectile_max:
            skipped.append(name)
            continue
        curves[name] = np.asarray(model.dsigma_dT(projectile_energy, T_e, lepton=species, reaction=reaction))
    if progress is not None:
        progress(len(models), len(models))
    return CrossSectionComparison(reaction, species, float(projectile_energy), T_e, curves, tuple(skipped))


@dataclass(frozen=True)
class SecondarySource:
    """Local secondary source term q(E) [GeV^-1 cm^-3 s^-1] of one model on ``energies`` [GeV]."""

    model: str
    species: str
    n_H: float
    he_to_h: float
    energies: np.ndarray
    q: np.ndarray
    projectiles: str
    projectile_range: tuple

    def settings(self) -> dict:
        return {"model": self.model, "species": self.species, "n_H_per_cm3": self.n_H, "he_to_h": self.he_to_h}

    def header_lines(self) -> list[str]:
        """The ``#`` lines of the CSV the command prints."""
        lo, hi = self.projectile_range
        return [
            f"secondary {self.species} source term, model {self.model}, n_H = {self.n_H:g} cm^-3, "
            f"He/H = {self.he_to_h:g} (gas)",
            f"projectiles: {self.projectiles}",
            f"projectile energies {lo:g}-{hi:g} GeV/n (production outside neglected)",
            "E_kin_GeV: lepton kinetic energy; q per GeV per cm^3 per s",
        ]

    def columns(self) -> dict:
        return {"E_kin_GeV": self.energies, "q_per_GeV_cm3_s": self.q}

    def to_table(self):
        """astropy Table: E_kin_GeV [GeV], q_per_GeV_cm3_s [GeV^-1 cm^-3 s^-1]; settings in meta."""
        return result_table(self.columns(), {"E_kin_GeV": "GeV", "q_per_GeV_cm3_s": "1 / (GeV cm3 s)"},
                            self.settings(), self.header_lines()[0])

    def write(self, path):
        return write_table(self.to_table(), path)

    def plot(self, ax=None):
        """E^2 q(E) of this model; returns the figure."""
        from ..plotting.secondary import plot_sources

        return plot_sources(self.energies, {self.model: self.q}, self.species, self.n_H, ax=ax)


def secondary_source(model: str, species: str, energies, n_H: float = 1.0,
                     he_to_h: float | None = None) -> SecondarySource:
    """q(E) of ``model`` for the shipped proton and helium LIS on gas of ``n_H`` [cm^-3]
    hydrogen with ``he_to_h`` helium per hydrogen atom (None: the production matrix's
    default), at lepton kinetic ``energies`` [GeV]."""
    from ..lis import shipped_lis
    from ..sources.secondary import build_production_matrix

    T_e = np.asarray(energies, dtype=float)
    protons, helium = shipped_lis()
    matrix = build_production_matrix(model, species, T_e)
    q = matrix.source(protons, helium, n_H=n_H, he_to_h=he_to_h)
    he_to_h = matrix.he_to_h if he_to_h is None else he_to_h
    return SecondarySource(model, species, float(n_H), float(he_to_h), T_e, np.asarray(q, dtype=float),
                           f"{protons.description}; {helium.description}",
                           (float(matrix.projectile_energies[0]), float(matrix.projectile_energies[-1])))


def compare_sources(models, species: str, energies, n_H: float = 1.0, n: int = 80, progress=None) -> dict:
    """``(T_e, {model: q})``: q(E) [GeV^-1 cm^-3 s^-1] of each model on ``n`` log-spaced
    energies spanning ``energies`` [GeV] (He/H = 0.1); ``progress(done, total)`` after each model."""
    T_e = np.geomspace(np.min(energies), np.max(energies), n)
    curves = {}
    for done, name in enumerate(models, start=1):
        curves[name] = secondary_source(name, species, T_e, n_H=n_H).q
        if progress is not None:
            progress(done, len(models))
    return T_e, curves


@dataclass(frozen=True)
class FeynmanXComparison:
    """A measured dn/dx_F against the chain's pion model (dsigma/dx_F over Kamae's
    inelastic cross section): the model on ``x`` and at the measured points."""

    measurement: object
    x: np.ndarray
    model: np.ndarray
    model_at_data: np.ndarray

    def plot(self):
        from ..plotting.secondary import plot_feynman_x

        return plot_feynman_x(self)


def feynman_x_comparison(measurement, charge: int = +1) -> FeynmanXComparison:
    """dn/dx_F of the chain's pion model at the beam momentum of ``measurement``
    (an :class:`~positrons.cross_sections.accelerator_data.FeynmanXDensity`)."""
    from .. import constants as const
    from ..cross_sections import kamae2006
    from ..cross_sections.pion_production import dsigma_dxF

    T_p = float(np.sqrt(measurement.p_lab_GeV**2 + const.m_proton**2) - const.m_proton)
    sigma_inel = float(sum(kamae2006.sigma_pp_components(T_p)))
    x = np.linspace(0.0, 0.95, 200)
    return FeynmanXComparison(measurement, x, dsigma_dxF(T_p, x, charge) / sigma_inel,
                              dsigma_dxF(T_p, measurement.x_F, charge) / sigma_inel)
