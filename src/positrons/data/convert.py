"""Unit and energy-variable conversions of a measurement.

Energy conversions use :mod:`positrons.kinematics` with the dataset's species (helium is
taken as 4He and carbon as 12C; e+ + e- as a particle of the electron mass and |Z| = 1).
The flux conversions are

* per nucleon -> per particle: ``T = A T_n``, ``Phi_T = Phi_Tn / A``;
* total energy -> kinetic: ``T = E - m``, ``Phi_T = Phi_E`` (``dT = dE``);
* rigidity -> kinetic, for a bin with both edges: the bin-averaged flux keeps the number of
  particles in the bin, ``Phi_T = Phi_R (R_high - R_low) / (T_high - T_low)``; for a
  point-like row: ``Phi_T = Phi_R / (dT/dR)`` with ``dT/dR = |Z| beta`` at the point
  (:func:`positrons.kinematics.dT_dR`).

A fraction or a ratio converts its energy axis only.  Units (MeV, TeV, per cm^2, ...) are
converted with :mod:`astropy.units` from the column units of the file.

The functions here take a :class:`~positrons.data.Dataset` and return a new one (through
its ``derive``); the Dataset methods of the same names call them.
"""

from __future__ import annotations

import astropy.units as u
import numpy as np

from .. import constants as const
from .. import kinematics as kin
from .schema import MULTI_SPECIES

__all__ = ["FLUX_UNIT", "kinematic_species", "representative_energy", "to_kinetic_energy", "to_rigidity",
           "value_factor"]

#: the package's flux unit at its public edges (AMS convention)
FLUX_UNIT = u.Unit("1 / (m2 s sr GeV)")
_FLUX_PER_GV = u.Unit("1 / (m2 s sr GV)")
_GEV = u.Unit("GeV")
_GV = u.Unit("GV")

_M_CARBON12 = const.m_carbon12  # [GeV], nuclear mass of 12C (PDG via `particle`)


def kinematic_species(species: str) -> kin.Species:
    """The :class:`positrons.kinematics.Species` used to convert a dataset of ``species``.

    ``electron+positron`` (the sum e- + e+) converts as a particle of the electron mass with
    |Z| = 1; ``helium`` is 4He and ``carbon`` is 12C.  A ratio of two species (``boron/carbon``)
    has no single mass, so its energy axis cannot be converted: ``ValueError``.
    """
    if species == "electron+positron":
        return kin.Species("electron+positron", const.m_electron, -1)
    if species == "carbon":
        return kin.Species("carbon", _M_CARBON12, 6, 12)
    if species in kin.SPECIES:
        return kin.SPECIES[species]
    if "/" in species:
        why = "a ratio of two species has no single mass or charge"
    elif species in MULTI_SPECIES:
        why = "the rows are several elements (column Z), with no single mass or charge"
    else:
        why = "no isotopic composition is assumed for it yet"
    raise ValueError(
        f"energy conversions are undefined for species {species!r}: {why}; compare it in its own energy variable"
    )


def _apply_finite(func, x: np.ndarray) -> np.ndarray:
    """``func(x)`` on the finite entries of ``x``; NaN (not given) stays NaN."""
    out = np.full(x.shape, np.nan)
    ok = np.isfinite(x)
    if np.any(ok):
        out[ok] = func(x[ok])
    return out


def representative_energy(low: np.ndarray, high: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """``ref`` where given, else the geometric mean of the bin edges ``sqrt(low * high)``."""
    with np.errstate(invalid="ignore"):
        geo = np.sqrt(low * high)
    return np.where(np.isfinite(ref), ref, geo)




def value_factor(ds, target_unit) -> float:
    """Factor converting ``value`` to ``target_unit`` (fluxes only); clear error if impossible."""
    try:
        return ds.value_unit.to(target_unit)
    except u.UnitConversionError:
        hint = " (this dataset is flagged units_unverified; read its notes)" if "units_unverified" in ds.flags else ""
        raise ValueError(
            f"{ds.id}: value unit {ds.value_unit!s} cannot be converted to {target_unit!s}{hint}"
        ) from None

def to_kinetic_energy(ds):
    """A new Dataset: ``ds`` in kinetic energy per particle [GeV], fluxes per GeV per m^2.

    For nuclei the kinetic energy is that of the whole nucleus (``T = A T_n``).  See the
    module docstring for the flux Jacobians; a rigidity bin with both edges converts
    exactly (same particle count per bin).  Fractions and ratios convert their energy
    axis only.  Raises ``ValueError`` for a ratio of two nuclei (no single mass) and for
    a flux whose unit is not a flux per energy (see ``units_unverified``).
    """
    var = ds.energy_variable
    is_flux = ds.quantity == "flux"
    sp = None if var == "kinetic_energy" else kinematic_species(ds.species)
    if var == "rigidity":
        e_factor = ds.energy_unit.to(_GV)
        v_factor = value_factor(ds, _FLUX_PER_GV) if is_flux else 1.0
    else:
        e_factor = ds.energy_unit.to(_GEV)
        v_factor = value_factor(ds, FLUX_UNIT) if is_flux else 1.0
    low, high, ref = (a * e_factor for a in (ds.energy_low, ds.energy_high, ds.energy_ref))
    factor = np.full(ds.n_points, v_factor)

    if var == "kinetic_energy":
        how = "units converted to GeV" + (" and m^-2 s^-1 sr^-1 GeV^-1" if is_flux else "")
    elif var == "total_energy":
        low, high, ref = (_apply_finite(lambda e: kin.kinetic_from_total(e, sp.mass), a) for a in (low, high, ref))
        how = f"T = E - m with m = {sp.mass!r} GeV; flux per unit E equals flux per unit T"
    elif var == "kinetic_energy_per_nucleon":
        if sp.mass_number < 1:
            raise ValueError(f"{ds.id}: kinetic energy per nucleon given for {ds.species}, which has no nucleons")
        A = sp.mass_number
        low, high, ref = (a * A for a in (low, high, ref))
        if is_flux:
            factor = factor / A
        how = f"T = A T_n, Phi_T = Phi_Tn / A with A = {A} ({sp.name})"
    elif var == "rigidity":
        T = [_apply_finite(lambda r: kin.kinetic_from_rigidity(r, sp), a) for a in (low, high, ref)]
        if is_flux:
            binned = np.isfinite(low) & np.isfinite(high) & (high > low)
            with np.errstate(invalid="ignore", divide="ignore"):
                exact = (high - low) / (T[1] - T[0])
            t_point = np.where(np.isfinite(T[2]), T[2], T[0])
            jac = 1.0 / _apply_finite(lambda t: kin.dT_dR(t, sp), t_point)
            factor = factor * np.where(binned, exact, jac)
        low, high, ref = T
        how = (
            f"T(R) for {sp.name} (m = {sp.mass!r} GeV, |Z| = {sp.abs_charge}); binned flux "
            "Phi_T = Phi_R (R_high - R_low) / (T_high - T_low), point rows Phi_T = Phi_R / (|Z| beta)"
        )
    else:  # pragma: no cover - the vocabulary is closed
        raise ValueError(f"unknown energy variable {var!r}")

    updates = {"energy_variable": "kinetic_energy", "energy_unit": _GEV.to_string()}
    if is_flux:
        updates["value_unit"] = FLUX_UNIT.to_string()
    if var != "kinetic_energy":
        updates["energy_ref_meaning"] = f"{ds.meta['energy_ref_meaning']} (converted from {var})"
    return ds.derive(
        energies=(low, high, ref),
        factor=factor,
        meta_updates=updates,
        transformation=f"to_kinetic_energy from {var} [{ds.meta['energy_unit']}]: {how}",
    )

def to_rigidity(ds):
    """A new Dataset: ``ds`` in rigidity [GV], fluxes per GV per m^2 (via kinetic energy).

    Binned fluxes convert exactly, ``Phi_R = Phi_T (T_high - T_low) / (R_high - R_low)``;
    point rows with the Jacobian ``Phi_R = Phi_T |Z| beta``.
    """
    if ds.energy_variable == "rigidity":
        kinetic = None
        sp = None
    else:
        kinetic = to_kinetic_energy(ds)
        sp = kinematic_species(ds.species)
    if kinetic is None:  # already rigidity: only units
        e_factor = ds.energy_unit.to(_GV)
        is_flux = ds.quantity == "flux"
        factor = value_factor(ds, _FLUX_PER_GV) if is_flux else 1.0
        updates = {"energy_unit": _GV.to_string()}
        if is_flux:
            updates["value_unit"] = _FLUX_PER_GV.to_string()
        return ds.derive(
            energies=tuple(a * e_factor for a in (ds.energy_low, ds.energy_high, ds.energy_ref)),
            factor=np.full(ds.n_points, factor),
            meta_updates=updates,
            transformation="to_rigidity: units converted to GV",
        )
    T = (kinetic.energy_low, kinetic.energy_high, kinetic.energy_ref)
    R = [_apply_finite(lambda t: kin.rigidity_from_kinetic(t, sp), a) for a in T]
    factor = np.ones(ds.n_points)
    updates = {"energy_variable": "rigidity", "energy_unit": _GV.to_string()}
    if kinetic.quantity == "flux":
        binned = np.isfinite(T[0]) & np.isfinite(T[1]) & (T[1] > T[0])
        with np.errstate(invalid="ignore", divide="ignore"):
            exact = (T[1] - T[0]) / (R[1] - R[0])
        t_point = np.where(np.isfinite(T[2]), T[2], T[0])
        jac = _apply_finite(lambda t: kin.dT_dR(t, sp), t_point)
        factor = np.where(binned, exact, jac)
        updates["value_unit"] = _FLUX_PER_GV.to_string()
    updates["energy_ref_meaning"] = f"{ds.meta['energy_ref_meaning']} (converted to rigidity)"
    return kinetic.derive(
        energies=tuple(R),
        factor=factor,
        meta_updates=updates,
        transformation=(
            f"to_rigidity: R(T) for {sp.name}; binned flux Phi_R = Phi_T (T_high - T_low) / "
            "(R_high - R_low), point rows Phi_R = Phi_T |Z| beta"
        ),
    )
