r"""Nuclear fragmentation of cosmic-ray nuclei: production, inelastic and decay data of the network.

One record, :class:`NuclearCrossSections` (built by :func:`nuclear_cross_sections`), holds
everything the network of :mod:`positrons.propagation.network` needs, as functions of the
kinetic energy per nucleon ``T_n`` [GeV/n] (straight-ahead approximation: a fragment keeps the
projectile's ``T_n``):

* **production** ``sigma(P -> D)`` [mb] on H, *cumulative*: the direct channel plus the
  short-lived ("ghost") nuclei that decay into D within ~1 s (``ghost_list.txt``, recursive,
  with the branching ratios).  Two models:

  - ``"webber2003"``: the tabulated cumulative cross sections of Webber, Soutoul, Kish &
    Rockstroh (2003, ApJS 144, 153), 10 MeV/n - 9 GeV/n, log-linear interpolation in energy,
    constant above 9 GeV/n (the cross sections are energy independent there), zero below
    10 MeV/n;
  - ``"evoli2019"`` (default): the 20 direct channels fitted by Evoli, Aloisio & Blasi (2019,
    PRD 99, 103023, Sec. II and their Table; parameters in ``Evoli2019_fragmentation_fitparams``)
    with the form, T the kinetic energy per nucleon in MeV,

        sigma(T) = sigma_1 (1 - E_th/T)^xi [1 + Delta / (1 + (T_h/T)^2)]
                   + sigma_0 Gamma^2 (T - E_th)^2 / ((T^2 - M^2)^2 + Gamma^2 M^2)   (T > E_th)

    (T_h = 2 GeV; the resonance term only where sigma_0 > 0), summed over the fitted ghosts
    (12C, 16O -> 11C -> 11B ...); every other channel from Webber 2003.  Where a daughter has
    a fit but one of its ghost parents has none (e.g. 10C -> 10B) the ghost is missing: the
    Webber tables are already cumulative and cannot be split.
* **He target**: ``sigma_He = sigma_H x ((A_P^(1/3) + 4^(1/3)) / (A_P^(1/3) + 1))^2``, the
  geometric-overlap scaling (our choice, documented in docs/nuclei.md: 1.39 for 12C, 1.36 for
  16O, close to the ~1.3-1.5 production ratios measured by Ferrando et al. 1988, PRC 37, 1490;
  the ratio of the *inelastic* cross sections, ~2.2, would overstate the production of a
  given fragment, He collisions removing more nucleons);
* **inelastic** cross sections on H and He [mb]: Tripathi et al. (1999, NIM B 155, 349), with
  Coste et al. (2012, A&A 539, A88) for Z <= 2, as tabulated for USINE v3.5 on
  0.05-6.29 GeV/n; constant outside (flat at high energy to ~5 %);
* **decays** of the long-lived isotopes (``isotope_decays.txt``, the naked-nucleus half-lives
  of fully stripped cosmic rays): 10Be -> 10B, 14C -> 14N (beta-), 26Al -> 26Mg (beta+).
  Pure electron-capture isotopes (7Be) are stable when fully stripped and kept stable.

Tables: ``positrons/cross_sections/tables/`` (MIT, see its README).  Units: mb, GeV/n, s.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from .. import constants as const
from .. import kinematics as kin

__all__ = ["ELEMENTS", "NuclearCrossSections", "isotope_name", "isotope_species", "nuclear_cross_sections",
           "parse_isotope", "he_production_scaling", "evoli2019_direct_mb", "PRODUCTION_MODELS", "measured_production"]

#: element symbols by charge number
ELEMENTS = {1: "H", 2: "He", 3: "Li", 4: "Be", 5: "B", 6: "C", 7: "N", 8: "O", 9: "F", 10: "Ne", 11: "Na",
            12: "Mg", 13: "Al", 14: "Si", 15: "P", 16: "S", 17: "Cl", 18: "Ar", 19: "K", 20: "Ca", 21: "Sc",
            22: "Ti", 23: "V", 24: "Cr", 25: "Mn", 26: "Fe", 27: "Co", 28: "Ni", 29: "Cu", 30: "Zn"}
_Z_OF = {v.lower(): k for k, v in ELEMENTS.items()}

#: the production models
PRODUCTION_MODELS = ("evoli2019", "webber2003")

#: T_h [MeV/n] of the Evoli et al. (2019) high-energy term
_EVOLI_T_H_MEV = 2000.0


def isotope_name(Z: int, A: int) -> str:
    """``"10Be"`` for (4, 10)."""
    return f"{A}{ELEMENTS[Z]}"


def parse_isotope(name: str) -> tuple[int, int]:
    """(Z, A) of ``"10Be"``, ``"Be10"`` or ``"be-10"``."""
    m = re.fullmatch(r"\s*(\d+)\s*-?\s*([A-Za-z]+)\s*|\s*([A-Za-z]+)\s*-?\s*(\d+)\s*", name)
    if not m:
        raise ValueError(f"not an isotope name: {name!r} (e.g. '10Be')")
    A, sym = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    if sym.lower() not in _Z_OF:
        raise ValueError(f"unknown element {sym!r} in {name!r}")
    return _Z_OF[sym.lower()], int(A)


def isotope_species(Z: int, A: int) -> kin.Species:
    """The fully stripped nucleus (Z, A) as a :class:`~positrons.kinematics.Species`; mass
    A u - Z m_e [GeV] (atomic mass excesses neglected: < 0.2 %)."""
    if not (1 <= Z <= A):
        raise ValueError(f"not a nucleus: Z = {Z}, A = {A}")
    return kin.Species(isotope_name(Z, A), A * const.m_atomic_unit - Z * const.m_electron, Z, A)


def he_production_scaling(A_parent: int) -> float:
    """sigma(P + He -> D) / sigma(P + p -> D) = ((A^(1/3) + 4^(1/3)) / (A^(1/3) + 1))^2 (geometric)."""
    a = float(A_parent) ** (1.0 / 3.0)
    return ((a + 4.0 ** (1.0 / 3.0)) / (a + 1.0)) ** 2


def _table_text(name: str) -> str:
    return resources.files("positrons.cross_sections").joinpath("tables", name).read_text()


def evoli2019_direct_mb(T_n, params) -> np.ndarray:
    """Direct production cross section [mb] of one fitted channel of Evoli et al. (2019) at
    ``T_n`` [GeV/n]; ``params = (E_th, sigma_0, M, Gamma, sigma_1, xi, Delta)`` in MeV and mb
    (the column order of the table; an eighth value, the fit's |dsigma/sigma| [%], is ignored).
    Zero at and below threshold."""
    E_th, s0, M, G, s1, xi, Delta = params[:7]
    T = np.asarray(T_n, dtype=float) * 1e3
    above = T > E_th
    Ts = np.where(above, T, 2.0 * E_th + 1.0)
    value = s1 * (1.0 - E_th / Ts) ** xi * (1.0 + Delta / (1.0 + (_EVOLI_T_H_MEV / Ts) ** 2))
    if s0 > 0:
        value = value + s0 * G**2 * (Ts - E_th) ** 2 / ((Ts**2 - M**2) ** 2 + G**2 * M**2)
    return np.where(above, np.maximum(value, 0.0), 0.0)


def _read_webber() -> tuple[np.ndarray, dict]:
    rows = [line.split() for line in _table_text("xsec_spallation_Webber2003.txt").splitlines() if line.strip()]
    energies = np.array([float(x) for x in rows[0][1:]]) * 1e-3  # GeV/n
    table = {}
    for row in rows[1:]:
        code = row[0]
        A_p, Z_p, A_d, Z_d = int(code[0:2]), int(code[2:4]), int(code[4:6]), int(code[6:8])
        table[(Z_p, A_p, Z_d, A_d)] = np.array([float(x) for x in row[1:]])
    return energies, table


def _read_evoli_fits() -> dict:
    fits = {}
    for line in _table_text("Evoli2019_fragmentation_fitparams.txt").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        x = line.split()
        key = (int(x[0]), int(x[1]), int(x[2]), int(x[3]))
        fits.setdefault(key, tuple(float(v) for v in x[4:12]))
    return fits


def _read_ghosts() -> dict:
    """{(Z_d, A_d): [((Z_g, A_g), branching), ...]}: the ghosts feeding each nucleus."""
    parents: dict = {}
    for line in _table_text("ghost_list.txt").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        x = line.split()
        g = (_Z_OF[x[0].lower()], int(x[1]))
        d = (_Z_OF[x[2].lower()], int(x[3]))
        parents.setdefault(d, []).append((g, float(x[4]) / 100.0))
    return parents


def _read_decays() -> dict:
    """{(Z, A): (daughter (Z, A), lifetime [s])} of the beta+- emitters (naked nuclei)."""
    decays = {}
    for line in _table_text("isotope_decays.txt").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        x = line.split()
        A, Z, half_naked, mode = int(x[0]), int(x[1]), float(x[3]), x[4]
        if mode == "B-":
            decays[(Z, A)] = ((Z + 1, A), half_naked / math.log(2.0))
        elif mode == "ECB+":
            decays[(Z, A)] = ((Z - 1, A), half_naked / math.log(2.0))
    return decays


def _read_tripathi() -> tuple[np.ndarray, dict]:
    lines = [ln for ln in _table_text("sigInelTripathi99+Coste12.dat").splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    # header lines: "sigma mb H,He" and "EknMIN EknMAX nEkn"
    e_min, e_max, n = float(lines[1].split()[0]), float(lines[1].split()[1]), int(lines[1].split()[2])
    energies = np.geomspace(e_min, e_max, n)
    table, i = {}, 2
    while i < len(lines):
        Z, A = parse_isotope(lines[i].strip())
        values = np.array([[float(v) for v in lines[i + 1 + k].split()] for k in range(n)])
        table[(Z, A)] = values  # (n, 2): H, He
        i += n + 1
    return energies, table


def _loglin(T_n, grid, values):
    """Linear in ln T_n, constant outside ``grid``."""
    x = np.log(np.clip(np.asarray(T_n, dtype=float), grid[0], grid[-1]))
    return np.interp(x, np.log(grid), values)


@dataclass(frozen=True, eq=False)
class NuclearCrossSections:
    """The cross sections of the nuclear network (see the module docstring); build with
    :func:`nuclear_cross_sections`.  Energies ``T_n`` in GeV/n, cross sections in mb."""

    model: str
    webber_energies: np.ndarray = field(repr=False)
    webber: dict = field(repr=False)
    fits: dict = field(repr=False)
    ghosts: dict = field(repr=False)
    decays: dict = field(repr=False)
    inelastic_energies: np.ndarray = field(repr=False)
    inelastic_table: dict = field(repr=False)

    # --- production --------------------------------------------------------------------
    def direct_mb(self, parent, daughter, T_n) -> np.ndarray:
        """Direct (fitted) production cross section on H [mb] of a channel with an Evoli et al.
        (2019) fit; zeros for the others."""
        key = (*parent, *daughter)
        if key not in self.fits:
            return np.zeros(np.shape(T_n))
        return evoli2019_direct_mb(T_n, self.fits[key])

    def _fitted_cumulative(self, parent, daughter, T_n, depth=0):
        """Sum of the fitted direct channel and, recursively, of its fitted ghost parents."""
        total = self.direct_mb(parent, daughter, T_n)
        if depth < 6:
            for ghost, branching in self.ghosts.get(tuple(daughter), ()):
                total = total + branching * self._fitted_cumulative(parent, ghost, T_n, depth + 1)
        return total

    def _has_fit(self, parent, daughter) -> bool:
        return (*parent, *daughter) in self.fits

    def production_mb(self, parent, daughter, T_n, target: str = "H") -> np.ndarray:
        """Cumulative production cross section ``parent -> daughter`` [mb] on ``target``
        (``"H"`` or ``"He"``) at ``T_n`` [GeV/n]; ``parent``, ``daughter`` as (Z, A)."""
        parent, daughter = tuple(parent), tuple(daughter)
        T_n = np.asarray(T_n, dtype=float)
        if self.model == "evoli2019" and self._has_fit(parent, daughter):
            sigma = self._fitted_cumulative(parent, daughter, T_n)
        else:
            row = self.webber.get((*parent, *daughter))
            if row is None:
                sigma = np.zeros(T_n.shape)
            else:
                sigma = np.where(T_n < self.webber_energies[0], 0.0, _loglin(T_n, self.webber_energies, row))
        if target == "H":
            return sigma
        if target == "He":
            return sigma * he_production_scaling(parent[1])
        raise ValueError(f"target must be 'H' or 'He' (got {target!r})")

    def daughters(self, parent) -> list[tuple[int, int]]:
        """The (Z, A) with a non-zero production channel from ``parent`` (tables and fits)."""
        parent = tuple(parent)
        out = {k[2:] for k in self.webber if k[:2] == parent}
        if self.model == "evoli2019":
            out |= {k[2:] for k in self.fits if k[:2] == parent}
        return sorted(out)

    # --- destruction and decay ---------------------------------------------------------
    def inelastic_mb(self, isotope, T_n, target: str = "H") -> np.ndarray:
        """Total inelastic cross section [mb] of ``isotope`` (Z, A) on H or He at ``T_n`` [GeV/n]."""
        isotope = tuple(isotope)
        if isotope not in self.inelastic_table:
            raise ValueError(f"no inelastic cross section for {isotope_name(*isotope)}")
        column = {"H": 0, "He": 1}.get(target)
        if column is None:
            raise ValueError(f"target must be 'H' or 'He' (got {target!r})")
        return _loglin(T_n, self.inelastic_energies, self.inelastic_table[isotope][:, column])

    def decay(self, isotope):
        """(daughter (Z, A), rest-frame lifetime [s]) of a radioactive ``isotope``, or None."""
        return self.decays.get(tuple(isotope))

    def has_inelastic(self, isotope) -> bool:
        return tuple(isotope) in self.inelastic_table


def nuclear_cross_sections(model: str = "evoli2019") -> NuclearCrossSections:
    """Read the shipped tables into a :class:`NuclearCrossSections` (``model``: one of
    :data:`PRODUCTION_MODELS`).  Reading takes ~50 ms: build it once per network."""
    if model not in PRODUCTION_MODELS:
        raise ValueError(f"unknown production model {model!r}; choose from {', '.join(PRODUCTION_MODELS)}")
    e_w, webber = _read_webber()
    e_i, inel = _read_tripathi()
    return NuclearCrossSections(model, e_w, webber, _read_evoli_fits(), _read_ghosts(), _read_decays(), e_i, inel)


def measured_production() -> np.ndarray:
    """The compilation of measured production cross sections (Evoli et al. 2019) as a
    structured array with fields Z_p, A_p, Z_d, A_d, T_n [GeV/n], sigma, sigma_err [mb], ref."""
    rows = []
    for line in _table_text("xsecs_data_full.txt").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        x = line.split()
        rows.append((int(x[0]), int(x[1]), int(x[2]), int(x[3]), float(x[4]), float(x[5]), float(x[6]),
                     x[7] if len(x) > 7 else ""))
    dtype = [("Z_p", int), ("A_p", int), ("Z_d", int), ("A_d", int), ("T_n", float), ("sigma", float),
             ("sigma_err", float), ("ref", "U24")]
    return np.array(rows, dtype=dtype)
