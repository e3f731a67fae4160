"""A smooth local interstellar spectrum fitted to a modulated and an unmodulated dataset.

:func:`fit_lis` fits the form of :class:`positrons.lis.SmoothLIS` to a top-of-atmosphere
dataset (e.g. AMS-02, force-field modulated with phi free; Gleeson & Axford 1968) and a local
interstellar one (Voyager 1 beyond the heliopause); ``tools/fit_lis.py`` made the shipped
:data:`positrons.lis.HELIUM_FIT` with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import kinematics as kin
from ..lis import VOS_POTGIETER_2015, SmoothLIS


@dataclass(frozen=True)
class LISFit:
    """Result of :func:`fit_lis`: the spectrum, the fitted phi [GV] and the chi^2."""

    lis: SmoothLIS
    phi: float
    chi2: float
    ndof: int


def fit_lis(species: str, toa_dataset, lis_dataset, rigidity_max: float = 200.0, start=None) -> LISFit:
    """Fit :class:`SmoothLIS` to one modulated and one local-interstellar dataset.

    The TOA dataset (e.g. AMS-02) is compared with the force-field-modulated LIS, phi free;
    the LIS dataset (Voyager 1 beyond the heliopause) with the LIS itself.  chi^2 in
    log(flux) with the relative total errors; points above ``rigidity_max`` [GV] are left
    out (the smooth form has no high-energy break).
    """
    from scipy import optimize

    from ..data import load
    from ..heliosphere.force_field import modulate

    sp = kin.get_species(species)
    A = max(sp.mass_number, 1)
    sets = []
    for ds, modulated in ((toa_dataset, True), (lis_dataset, False)):
        ds = load(ds) if isinstance(ds, str) else ds
        ds = ds.to_kinetic_energy()
        T = ds.energy
        lo, hi = ds.errors()
        err = 0.5 * (lo + hi)
        keep = np.isfinite(err) & (err > 0) & (kin.rigidity_from_kinetic(T, sp) <= rigidity_max)
        sets.append((T[keep], ds.value[keep], err[keep] / ds.value[keep], modulated))

    def residuals(p):
        lis = SmoothLIS(species, np.exp(p[0]), p[1], p[2], p[3])
        out = []
        for T, value, rel, modulated in sets:
            model = modulate(T, lis.per_particle, p[4], species) if modulated else lis.per_particle(T)
            out.append(np.log(model / value) / rel)
        return np.concatenate(out)

    p0 = start if start is not None else [np.log(VOS_POTGIETER_2015.norm / A), 1.1, 3.9, 0.7, 0.6]
    result = optimize.least_squares(
        residuals, p0, bounds=([-20, 0.0, 1.0, 0.01, 0.0], [20, 4.0, 8.0, 10.0, 2.0]), x_scale="jac"
    )
    chi2 = float(np.sum(result.fun**2))
    lis = SmoothLIS(
        species, float(np.exp(result.x[0])), *map(float, result.x[1:4]),
        description=f"{species} LIS fitted to {_name(toa_dataset)} and {_name(lis_dataset)}",
    )
    return LISFit(lis, float(result.x[4]), chi2, result.fun.size - 5)


def _name(dataset) -> str:
    return dataset if isinstance(dataset, str) else dataset.id
