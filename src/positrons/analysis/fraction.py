"""The positron fraction e+/(e+ + e-) predicted by secondary production alone.

For a propagation model: secondary e+ and e- from the propagated, AMS-02-normalised protons
and helium (:func:`positrons.analysis.galactic.secondary_source_field`), primary electrons
from SNR-like sources normalised to the AMS-02 electron flux
(:func:`positrons.analysis.primaries.fit_primary`; the small secondary e- contribution is
not subtracted before that fit), all propagated on one grid (one
:class:`~positrons.analysis.transport.GalacticResponse`) and modulated (a
:class:`~positrons.heliosphere.modulation.Modulation`; default the force field at the model's
phi).  A primary e+- source (pulsars, dark matter) adds the same flux to both charges;
:mod:`positrons.analysis.fraction_fit` fits it to the data.

The result, :class:`FractionPrediction`, has ``to_table()``, ``write(path)`` and ``plot(ax=None)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..heliosphere.force_field import modulate
from ..heliosphere.modulation import Modulation
from ..propagation.grid import GridSpec
from ..propagation.models import get_propagation_model
from . import galactic
from .primaries import fit_primary
from .transport import GalacticResponse, Transport, choose_modulation, phi_of

#: transport energy range of the prediction [GeV]: extends well above the 1 TeV of the data so
#: the top-of-grid depletion does not reach it
TRANSPORT_RANGE_GEV = (0.1, 1e4)


@dataclass(frozen=True)
class FractionPrediction:
    """Modulated fluxes [m^-2 s^-1 sr^-1 GeV^-1] and the fraction at kinetic energies ``T`` [GeV].

    ``primary_pairs`` is the flux of each charge from a primary e+- source (pulsars, dark
    matter; zero for secondary production alone)."""

    model: str
    phi_GV: float
    T: np.ndarray
    secondary_positrons: np.ndarray
    secondary_electrons: np.ndarray
    primary_electrons: np.ndarray
    primary_pairs: np.ndarray | None = None
    #: the settings behind the numbers (modulation, cross sections, transport, source)
    settings: dict | None = None

    def to_table(self):
        """Fraction and fluxes at Earth [m^-2 s^-1 sr^-1 GeV^-1] on ``T`` [GeV]; settings in ``meta``."""
        from .records import table_with_meta

        unit = "1 / (GeV m2 s sr)"
        return table_with_meta(
            {"E_kin_GeV": (self.T, "GeV", "kinetic energy"),
             "fraction": (self.fraction, "", "e+ / (e+ + e-)"),
             "fraction_secondary": (self.fraction_secondary, "", "the fraction without the primary e+- source"),
             "flux_positron_per_GeV_m2_s_sr": (self.positrons, unit, "e+ flux at Earth"),
             "flux_electron_per_GeV_m2_s_sr": (self.electrons, unit, "e- flux at Earth"),
             "flux_primary_pair_per_GeV_m2_s_sr": (self._pairs, unit,
                                                   "flux of each charge from the primary e+- source")},
            {"model": self.model, "phi_GV": self.phi_GV, **dict(self.settings or {})})

    def write(self, path) -> None:
        """Write :meth:`to_table` atomically (``.ecsv`` or ``.csv``)."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv"))

    def plot(self, ax=None, label: str = "", fit=None):
        """The fraction over every shipped measurement (:func:`positrons.plotting.fraction.plot_fraction`)."""
        from ..plotting.fraction import plot_fraction

        return plot_fraction(self, label=label, fit=fit, ax=ax)

    @property
    def _pairs(self) -> np.ndarray:
        return np.zeros_like(self.T) if self.primary_pairs is None else self.primary_pairs

    @property
    def positrons(self) -> np.ndarray:
        return self.secondary_positrons + self._pairs

    @property
    def electrons(self) -> np.ndarray:
        return self.secondary_electrons + self.primary_electrons + self._pairs

    @property
    def fraction(self) -> np.ndarray:
        return self.positrons / (self.positrons + self.electrons)

    @property
    def fraction_secondary(self) -> np.ndarray:
        """The fraction without the primary e+- source."""
        sec = self.secondary_positrons
        return sec / (sec + self.secondary_electrons + self.primary_electrons)


@dataclass(frozen=True)
class SecondaryLIS:
    """Local interstellar fluxes [m^-2 s^-1 sr^-1 GeV^-1] of one model on the transport grid
    ``T`` [GeV]: secondary e+ and e-, and primary e- normalised to AMS-02 (unmodulated)."""

    model: str
    phi_GV: float
    xs_model: str
    T: np.ndarray
    positrons: np.ndarray
    secondary_electrons: np.ndarray
    primary_electrons: np.ndarray

    def modulation(self, phi_GV: float | None = None, modulation: Modulation | None = None) -> Modulation:
        """The modulation of a prediction: ``modulation``, or a force field at ``phi_GV`` (default
        the model's phi)."""
        return choose_modulation(modulation, phi_GV, self.phi_GV)

    def at_earth(self, T, phi_GV: float | None = None, species: str = "positron", which: str = "positrons",
                 modulation: Modulation | None = None):
        """Modulated flux ``which`` at kinetic energies ``T`` [GeV] (default: the force field at
        the model's phi)."""
        flux = getattr(self, which)
        positive = flux > 0
        mod = self.modulation(phi_GV, modulation)
        return mod.modulate(np.asarray(T, dtype=float), (self.T[positive], flux[positive]), species)

    def prediction(self, T, phi_GV: float | None = None, primary_pairs=None,
                   modulation: Modulation | None = None) -> FractionPrediction:
        """:class:`FractionPrediction` at ``T`` [GeV]; ``primary_pairs`` the modulated flux per
        charge of a primary source at ``T`` (or None)."""
        mod = self.modulation(phi_GV, modulation)
        return FractionPrediction(self.model, phi_of(mod), np.asarray(T, dtype=float),
                                  self.at_earth(T, species="positron", modulation=mod),
                                  self.at_earth(T, species="electron", which="secondary_electrons", modulation=mod),
                                  self.at_earth(T, species="electron", which="primary_electrons", modulation=mod),
                                  primary_pairs, {"cross_sections": self.xs_model, **mod.settings()})


#: dataset the primary electrons are normalised to (AMS-02, Physics Reports 2021)
ELECTRON_DATASET = "ams02_electron_flux_physrep2021_crdb"


def secondary_lis(model="MED", xs_model: str = "hybrid", transport: Transport | GridSpec | None = None,
                  progress=None) -> SecondaryLIS:
    """Secondary e+-, and primary e- fitted to AMS-02, propagated with ``model`` on
    :data:`TRANSPORT_RANGE_GEV` with the grid, solver and cache of ``transport``: one lepton
    operator (e+ and e- lose energy alike) solved for the three sources.  ``progress``:
    called as ``progress(done, 3)`` after each of them (e.g. a progress bar)."""
    model = get_propagation_model(model)
    transport = Transport.of(transport)
    galaxy = GalacticResponse(model, "electron", TRANSPORT_RANGE_GEV, transport)
    Tt = galaxy.T
    lis = {}
    for done, lepton in enumerate(("positron", "electron"), start=1):
        field, _, _ = galactic.secondary_source_field(model, lepton, Tt, xs_model=xs_model, transport=transport)
        lis[lepton] = galaxy.solve_flux(field)
        if progress is not None:
            progress(done, 3)
    primary = fit_primary(model, "electron", ELECTRON_DATASET, propagator=galaxy.propagator)
    if progress is not None:
        progress(3, 3)
    return SecondaryLIS(model.name, model.phi_GV, xs_model, Tt, lis["positron"], lis["electron"], primary.flux_lis)


def secondary_fraction(model="MED", T=None, xs_model: str = "hybrid", transport: Transport | GridSpec | None = None,
                       modulation: Modulation | None = None) -> FractionPrediction:
    """Secondary-only positron fraction of ``model`` at kinetic energies ``T`` [GeV] (default 0.5-1000)."""
    T = np.geomspace(0.5, 1000.0, 40) if T is None else np.asarray(T, dtype=float)
    lo, hi = TRANSPORT_RANGE_GEV
    if T.min() < lo or T.max() > hi:
        raise ValueError(f"energies must lie inside the transport grid {lo:g}-{hi:g} GeV")
    return secondary_lis(model, xs_model, transport).prediction(T, modulation=modulation)


def leaky_box_lis(T=None, xs_model: str = "hybrid", phi_GV: float = 0.55, box=None) -> SecondaryLIS:
    """The leaky-box counterpart of :func:`secondary_lis`.

    One homogeneous box with the Sun's gas and e+- losses and the Jones et al. (2001) escape
    time (:meth:`positrons.propagation.leaky_box.LeakyBox.from_ism`); secondaries from the
    shipped proton and helium LIS (:func:`positrons.lis.shipped_lis`) through the production
    matrix; primary electrons injected with
    :data:`positrons.propagation.injection.ELECTRON_INJECTION` and normalised to the AMS-02
    electron flux after force-field modulation at ``phi_GV`` (weighted least squares, the
    same rule as :func:`positrons.analysis.primaries.fit_primary`).
    """
    from .. import kinematics as kin
    from ..data import load
    from ..interstellar import InterstellarMedium
    from ..lis import shipped_lis
    from ..propagation.leaky_box import LeakyBox
    from ..propagation.injection import ELECTRON_INJECTION
    from ..sources.secondary import build_production_matrix

    T = np.geomspace(0.1, 1e4, 121) if T is None else np.asarray(T, dtype=float)
    box = LeakyBox.from_ism(InterstellarMedium.default()) if box is None else box
    protons, helium = shipped_lis()
    mass = kin.SPECIES["electron"].mass
    flux = {}
    for lepton in ("positron", "electron"):
        q = build_production_matrix(xs_model, lepton, T).source(protons, helium, n_H=box.n_H_cm3)
        flux[lepton] = kin.flux_from_density(box.solve_lepton(q, T, lepton), T, mass)
    sp = kin.get_species("electron")
    q_primary = ELECTRON_INJECTION.shape(kin.rigidity_from_kinetic(T, sp)) / kin.dT_dR(T, sp)
    unit = kin.flux_from_density(box.solve_lepton(q_primary, T, "electron"), T, mass)
    data = load(ELECTRON_DATASET).to_kinetic_energy()
    lo, hi = data.errors()
    s = 0.5 * (lo + hi)
    keep = (data.energy >= T[0]) & (data.energy <= T[-1]) & (s > 0)
    positive = unit > 0  # the box's solution vanishes at the top of the grid
    model = modulate(data.energy[keep], (T[positive], unit[positive]), phi_GV, "electron")
    A = float(np.sum(model * data.value[keep] / s[keep] ** 2) / np.sum(model**2 / s[keep] ** 2))
    return SecondaryLIS("leaky box", phi_GV, xs_model, T, flux["positron"], flux["electron"], A * unit)
