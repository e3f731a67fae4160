"""Local interstellar spectra (LIS) of cosmic-ray protons and helium.

Fluxes are per unit kinetic energy per nucleon, m^-2 s^-1 sr^-1 (GeV/n)^-1, as functions of
the kinetic energy per nucleon T_n [GeV/n] (for protons T_n = T).  One smooth form serves
all of them (:class:`SmoothLIS`)::

    Phi(T_n) = N beta^-2 T_n^a ((T_n + c) / (1 + c))^-b          (T_n in GeV/n)

* :data:`VOS_POTGIETER_2015`: protons, the published fit of E. E. Vos & M. S. Potgieter,
  ApJ 815, 119 (2015), to Voyager 1 beyond the heliopause and PAMELA (2006-2009):
  N = 2.70e3 (2.70 per MeV), a = 1.12, b = 3.93, c = 0.67 GeV.
* :data:`HELIUM_FIT`: helium (taken as 4He), the same form fitted by :func:`fit_lis` to the
  shipped Voyager 1 helium (Cummings et al. 2016, Table 8, unmodulated) and AMS-02 helium
  (PRL 115, 211101 (2015), force-field modulated with phi free) below 200 GV.  The stored
  parameters are the output of ``tools/fit_lis.py``; a test refits and compares.

:func:`shipped_lis` returns the pair the package uses by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import kinematics as kin


@dataclass(frozen=True)
class SmoothLIS:
    """``Phi(T_n) = norm beta^-2 T_n^a ((T_n + c)/(1 + c))^-b`` [m^-2 s^-1 sr^-1 (GeV/n)^-1].

    ``species`` sets beta(T_n) (protons or 4He: same beta at equal T_n up to the binding
    energy).  Call with T_n [GeV/n]; :meth:`per_particle` takes the kinetic energy of the
    whole nucleus and returns the flux per GeV of it.
    """

    species: str
    norm: float
    a: float
    b: float
    c: float
    description: str = field(default="", compare=False)

    def __call__(self, T_n):
        T_n = np.asarray(T_n, dtype=float)
        sp = kin.get_species(self.species)
        nucleons = max(sp.mass_number, 1)
        beta = kin.beta_from_kinetic(T_n * nucleons, sp.mass)
        return self.norm * T_n**self.a / beta**2 * ((T_n + self.c) / (1.0 + self.c)) ** -self.b

    def per_particle(self, T):
        """Flux per GeV of whole-nucleus kinetic energy at T [GeV] (``Phi_n(T/A) / A``)."""
        A = max(kin.get_species(self.species).mass_number, 1)
        return self(np.asarray(T, dtype=float) / A) / A


VOS_POTGIETER_2015 = SmoothLIS(
    "proton", 2.70e3, 1.12, 3.93, 0.67,
    description="proton LIS of Vos & Potgieter 2015 (ApJ 815, 119)",
)

#: helium LIS fitted by tools/fit_lis.py (see fit_lis); phi of the AMS-02 2011-2013 period
#: came out as HELIUM_FIT_PHI [GV]
HELIUM_FIT = SmoothLIS(
    "helium", 167.72, 1.1047, 3.8676, 0.59852,
    description="helium (4He) LIS fitted to Voyager 1 (Cummings et al. 2016) and AMS-02 (PRL 115, 211101) He",
)
HELIUM_FIT_PHI = 0.6947


def proton_lis_vos_potgieter_2015(T):
    """Proton LIS [m^-2 s^-1 sr^-1 GeV^-1] of Vos & Potgieter (2015, ApJ 815, 119), T [GeV].

    Fitted for 1 MeV - 100 GeV (Voyager 1 and PAMELA); above that the power law
    T^(1.12 - 3.93) = T^-2.81 continues, softer than the AMS-02 proton spectrum (index ~2.7
    and a hardening at ~300 GV).
    """
    return VOS_POTGIETER_2015(T)


def shipped_lis() -> tuple[SmoothLIS, SmoothLIS]:
    """The default (proton, helium) LIS, both per nucleon."""
    return VOS_POTGIETER_2015, HELIUM_FIT


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

    from .data import load
    from .heliosphere.force_field import modulate

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
