r"""Source terms of e+ and e- from dark-matter annihilation and decay.

.. math::

    q(R, z, T) = \frac{\langle\sigma v\rangle}{2 k}\left(\frac{\rho(R, z)}{m_\chi}\right)^2
                 \frac{dN}{dT} \quad\text{(annihilation)},\qquad
    q(R, z, T) = \frac{\rho(R, z)}{m_\chi \tau}\,\frac{dN}{dT} \quad\text{(decay)},

in cm^-3 s^-1 GeV^-1, with ``k = 1`` for a self-conjugate (Majorana) particle and ``k = 2``
for a Dirac particle whose particles and antiparticles each make half of the density
(``rho/2`` each, so the rate density ``<sigma v> (rho/2m)^2`` is half the Majorana one).
``dN/dT`` is the number of positrons per annihilation (or decay) per unit **kinetic**
energy T [GeV] -- the energy variable of the propagation grid.  The electron spectrum is the
same (CP), so one spectrum serves both species.  Units: masses and energies GeV, densities
GeV cm^-3, ``<sigma v>`` cm^3 s^-1, lifetimes s, coordinates kpc (like the solvers).

Channels (:data:`CHANNELS`, plus a user table), for one charge, with the energy of each
primary ``E_0 = m_chi`` (annihilation, DM at rest) or ``m_chi / 2`` (decay):

* ``"ee"`` -- chi chi -> e+ e-: a line at total energy E_0, i.e. ``T = E_0 - m_e``.  A delta
  function has no pointwise value; :func:`line_on_grid` puts it on an energy grid (nodes T and
  cell widths, e.g. ``Propagator.energy_bin_widths``) so that it counts exactly one
  particle.  **Final-state radiation is not included** (an optional refinement; it would move
  a fraction of order (2 alpha/pi) ln(m_chi/m_e), ~5 % at GeV-TeV masses, of the line's
  energy into a low-energy tail).
* ``"mumu"`` -- chi chi -> mu+ mu-, each muon of total energy E_0 decaying in flight,
  mu+ -> e+ nu nubar: :func:`positrons.decays.muon_to_electron_spectrum` (exact boost, electron
  mass kept) with **polarisation 0**.  Approximations: the muons are treated as unpolarised,
  i.e. the helicity correlation of the pair (which depends on the DM spin and coupling) and
  electroweak corrections (W/Z radiation, relevant for m_chi >~ TeV) are neglected, and so is
  FSR off the muons.  For E_0 >> m_mu: ``dN/dT -> f(T/E_0)/E_0`` with
  ``f(y) = 5/3 - 3y^2 + 4/3 y^3`` (mean ``<E_e> = 7/20 E_0``).
* a :class:`SpectrumTable` -- a user-supplied two-column table of ``x = T / E_0`` and
  ``dN/dx`` (PPPC 4 DM ID convention, Cirelli et al. 2011, arXiv:1012.4515, Sec. 3, x = K/m_DM
  for annihilation), so that ``dN/dT = (1/E_0) dN/dx(T/E_0)``: one table serves every mass
  (exact only where the spectrum scales with E_0, i.e. light final states and no
  electroweak/FSR logarithms -- for a mass-dependent spectrum use one table per mass).

:func:`lepton_spectrum` is the single entry point for the spectra per annihilation/decay.

Response-matrix reuse.  ``q`` factorises as ``profile(R, z) * spectrum(T)`` like
:class:`~positrons.sources.pbh.source.PBHSource`, with the split chosen so that the spatial
factor depends **only on the halo and the process**:

* :attr:`DarkMatterSource.profile` is a :class:`HaloDensityFactor`, the dimensionless
  ``(rho / RHO_UNIT)^2`` (annihilation) or ``rho / RHO_UNIT`` (decay), ``RHO_UNIT`` = 1 GeV
  cm^-3; it is a hashable value, equal for all sources with the same halo and process;
* :meth:`DarkMatterSource.spectrum` carries everything else, ``rate_normalisation *
  dN/dT`` [cm^-3 s^-1 GeV^-1] with ``rate_normalisation = <sigma v>/(2k) (RHO_UNIT/m)^2``
  or ``RHO_UNIT / (m tau)`` [cm^-3 s^-1].

So ``Propagator.energy_response(source.profile)`` (cached by the profile value) is computed
once per (halo, process) and every mass, channel and cross section is a matrix-vector
product: ``prop.local_flux(source.profile, source.spectrum(prop.grid.T, prop.energy_bin_widths))``
(the widths are needed only by the ``"ee"`` line and ignored otherwise).  To hand the line
source to ``Propagator.solve`` directly, bind the widths:
``functools.partial(source, widths=prop.energy_bin_widths)``.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field

import numpy as np

from .. import constants as const
from ..decays import muon_to_electron_spectrum
from .halo import NFW, HaloProfile

#: channels computed by the package (a :class:`SpectrumTable` is the user-supplied one)
CHANNELS = ("ee", "mumu")
#: processes: annihilation of two DM particles, or decay of one
PROCESSES = ("annihilation", "decay")
#: density unit of the spatial factor :class:`HaloDensityFactor` [GeV cm^-3]
RHO_UNIT = 1.0


def _check_process(process: str) -> str:
    if process not in PROCESSES:
        raise ValueError(f"unknown process {process!r}; choose one of {', '.join(PROCESSES)}")
    return process


def _check_mass(m_chi_GeV) -> float:
    try:
        m = float(m_chi_GeV)
    except (TypeError, ValueError):
        raise ValueError(f"the dark-matter mass must be a number in GeV, got {m_chi_GeV!r}") from None
    if not (math.isfinite(m) and m > 0):
        raise ValueError(f"the dark-matter mass must be finite and > 0 GeV, got {m_chi_GeV!r}")
    return m


def primary_energy(m_chi_GeV: float, process: str = "annihilation") -> float:
    """Total energy E_0 [GeV] of each of the two primaries: m_chi (annihilation at rest) or
    m_chi / 2 (two-body decay)."""
    m = _check_mass(m_chi_GeV)
    return m if _check_process(process) == "annihilation" else 0.5 * m


def _kinetic_energies(T) -> np.ndarray:
    T = np.asarray(T, dtype=float)
    if np.any(np.isnan(T)) or np.any(T < 0):
        raise ValueError("kinetic energies T must be >= 0 GeV (no NaN)")
    return T


# --- the e+e- line ------------------------------------------------------------------------


def line_on_grid(T_line: float, T, widths) -> np.ndarray:
    """A line of one particle at kinetic energy ``T_line`` [GeV] as a density on a grid.

    The particle is split between the two grid nodes around the line, linearly in ln T:
    with ``f = ln(T_line/T_i) / ln(T_{i+1}/T_i)`` the nodes receive ``1 - f`` and ``f``
    particles, i.e. ``Q_i = (1 - f)/w_i``, ``Q_{i+1} = f/w_{i+1}``.  Hence
    ``sum(Q * widths) = 1`` and ``sum(Q * widths * ln T) = ln T_line`` (to rounding).

    Parameters
    ----------
    T_line : float
        Kinetic energy of the line [GeV].
    T : array_like
        Grid nodes [GeV], strictly increasing and > 0 (any shape with one non-trivial axis,
        e.g. ``(1, 1, n)``; the result has that shape).
    widths : array_like
        Kinetic-energy width [GeV] of each cell, > 0, same number of elements as ``T``
        (``Propagator.energy_bin_widths``).

    Returns
    -------
    numpy.ndarray
        dN/dT [GeV^-1] on the nodes.

    Raises
    ------
    ValueError
        If the line lies outside ``[T[0], T[-1]]`` or the grid/widths are malformed.
    """
    T = np.asarray(T, dtype=float)
    nodes = T.ravel()
    w = np.asarray(widths, dtype=float).ravel()
    if nodes.size < 2:
        raise ValueError("a line needs an energy grid of at least 2 nodes")
    if w.size != nodes.size:
        raise ValueError(f"widths has {w.size} elements, the energy grid {nodes.size}")
    if not (np.all(np.isfinite(nodes)) and np.all(nodes > 0) and np.all(np.diff(nodes) > 0)):
        raise ValueError("the energy grid must be finite, > 0 and strictly increasing")
    if not (np.all(np.isfinite(w)) and np.all(w > 0)):
        raise ValueError("the cell widths must be finite and > 0")
    T_line = float(T_line)
    if not (nodes[0] <= T_line <= nodes[-1]):
        raise ValueError(f"the line at T = {T_line:.6g} GeV lies outside the energy grid "
                         f"[{nodes[0]:.6g}, {nodes[-1]:.6g}] GeV")
    i = min(int(np.searchsorted(nodes, T_line, side="right")) - 1, nodes.size - 2)
    f = math.log(T_line / nodes[i]) / math.log(nodes[i + 1] / nodes[i])
    Q = np.zeros(nodes.size)
    Q[i] = (1.0 - f) / w[i]
    Q[i + 1] = f / w[i + 1]
    return Q.reshape(T.shape)


# --- mu+ mu- ------------------------------------------------------------------------------


def muon_channel_spectrum(T, E_mu: float) -> np.ndarray:
    """dN/dT [GeV^-1] of e+ from one unpolarised mu+ of total energy ``E_mu`` [GeV] decaying
    in flight, at kinetic energies ``T`` [GeV] (any shape); zero outside the kinematic range.

    Polarisation 0: see the module docstring for what that neglects.
    """
    T = _kinetic_energies(T)
    if not E_mu > const.m_muon:
        raise ValueError(f"the muon energy {E_mu!r} GeV must exceed m_mu = {const.m_muon:.6g} GeV")
    return np.asarray(muon_to_electron_spectrum(T + const.m_electron, E_mu, 0.0, +1), dtype=float)


# --- user tables -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SpectrumTable:
    """A tabulated lepton spectrum ``dN/dx`` per annihilation/decay with ``x = T / E_0``.

    ``T`` is the lepton kinetic energy and ``E_0`` the primary energy (m_chi for annihilation,
    m_chi/2 for decay, :func:`primary_energy`), so ``0 <= x <= 1``.  ``dN/dx`` counts one
    charge (positrons; electrons are equal).  The table is interpolated linearly in
    (ln x, ln dN/dx) between two positive values and linearly in (x, dN/dx) on a segment with
    a zero value (or at x = 0); it is zero outside ``[x[0], x[-1]]``.  It is not renormalised:
    :meth:`number` is the number of positrons per annihilation/decay it describes.

    Build it from arrays or with :meth:`from_file`.
    """

    x: np.ndarray
    dNdx: np.ndarray
    name: str = "table"

    def __post_init__(self):
        x = np.array(self.x, dtype=float)
        y = np.array(self.dNdx, dtype=float)
        _validate_table(x, y, self.name)
        x.setflags(write=False)
        y.setflags(write=False)
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "dNdx", y)

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> SpectrumTable:
        """Read a two-column text or CSV file: ``x = T/E_0`` and ``dN/dx``.

        Columns separated by commas and/or white space; empty lines and lines starting with
        ``#`` are skipped (no other header).  Refuses, with a :class:`ValueError` naming the
        file and the problem: non-numeric or non-finite entries, a row without exactly two
        columns, fewer than 2 rows, negative x or dN/dx, x above 1, x not strictly increasing.
        """
        path = os.fspath(path)
        rows = []
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                text = line.strip()
                if not text or text.startswith("#"):
                    continue
                parts = [p for p in re.split(r"[,\s]+", text) if p]
                if len(parts) != 2:
                    raise ValueError(f"{path}: line {lineno} has {len(parts)} columns, expected 2 (x, dN/dx)")
                try:
                    values = [float(p) for p in parts]
                except ValueError:
                    raise ValueError(f"{path}: line {lineno} is not numeric: {text!r}") from None
                if not all(math.isfinite(v) for v in values):
                    raise ValueError(f"{path}: line {lineno} has a non-finite value: {text!r}")
                rows.append(values)
        data = np.array(rows, dtype=float).reshape(-1, 2)
        return cls(data[:, 0], data[:, 1], name=path)

    def __call__(self, x) -> np.ndarray:
        """dN/dx at ``x`` (any shape); zero outside the table."""
        x = np.asarray(x, dtype=float)
        xs, ys = self.x, self.dNdx
        flat = x.ravel()
        out = np.zeros(flat.shape)
        inside = (flat >= xs[0]) & (flat <= xs[-1])
        xi = flat[inside]
        i = np.clip(np.searchsorted(xs, xi, side="right") - 1, 0, xs.size - 2)
        x0, x1, y0, y1 = xs[i], xs[i + 1], ys[i], ys[i + 1]
        loglog = (y0 > 0) & (y1 > 0) & (x0 > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            t_log = np.log(xi / x0) / np.log(x1 / x0)
            val_log = y0 * (y1 / y0) ** t_log
        val_lin = y0 + (y1 - y0) * (xi - x0) / (x1 - x0)
        out[inside] = np.where(loglog, val_log, val_lin)
        return out.reshape(x.shape)

    def number(self) -> float:
        """Integral of the interpolant, ``Integral dN/dx dx``: positrons per annihilation/decay
        (exact for the interpolation rule: power law or trapezoid per segment)."""
        x0, x1 = self.x[:-1], self.x[1:]
        y0, y1 = self.dNdx[:-1], self.dNdx[1:]
        total = 0.0
        for a, b, ya, yb in zip(x0, x1, y0, y1):
            if ya > 0 and yb > 0 and a > 0:
                L = math.log(b / a)
                s1 = math.log(yb / ya) / L + 1.0  # power-law index + 1
                total += ya * a * (math.expm1(s1 * L) / s1 if abs(s1 * L) > 1e-12 else L)
            else:
                total += 0.5 * (ya + yb) * (b - a)
        return total

    def spectrum(self, T, E_0: float) -> np.ndarray:
        """dN/dT [GeV^-1] = dN/dx(T/E_0) / E_0 at kinetic energies ``T`` [GeV]."""
        T = _kinetic_energies(T)
        return self(T / E_0) / E_0


def _validate_table(x: np.ndarray, y: np.ndarray, name: str) -> None:
    if x.ndim != 1 or y.shape != x.shape:
        raise ValueError(f"{name}: x and dN/dx must be 1-D arrays of equal length")
    if x.size < 2:
        raise ValueError(f"{name}: a spectrum table needs at least 2 rows, got {x.size}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError(f"{name}: non-finite value in the table")
    if np.any(x < 0) or np.any(y < 0):
        raise ValueError(f"{name}: negative value in the table (x and dN/dx must be >= 0)")
    if np.any(np.diff(x) <= 0):
        raise ValueError(f"{name}: x must be strictly increasing")
    if x[-1] > 1.0:
        raise ValueError(f"{name}: x = T/E_0 must not exceed 1 (energy conservation), got {x[-1]:g}")


# --- the single entry point ---------------------------------------------------------------


def _check_channel(channel):
    if isinstance(channel, SpectrumTable):
        return channel
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; choose one of {', '.join(CHANNELS)} or a SpectrumTable")
    return channel


def _check_threshold(channel, E_0: float) -> None:
    if channel == "ee" and not E_0 > const.m_electron:
        raise ValueError(f"e+e- channel: the lepton energy {E_0:.6g} GeV is below m_e")
    if channel == "mumu" and not E_0 > const.m_muon:
        raise ValueError(f"mu+mu- channel: the muon energy {E_0:.6g} GeV must exceed m_mu = {const.m_muon:.6g} GeV "
                         "(m_chi > m_mu for annihilation, > 2 m_mu for decay)")


def lepton_spectrum(channel, m_chi_GeV: float, T, process: str = "annihilation", widths=None) -> np.ndarray:
    """Positrons per annihilation (or decay) per unit kinetic energy, dN/dT [GeV^-1].

    Parameters
    ----------
    channel : {"ee", "mumu"} or SpectrumTable
        Final state (:data:`CHANNELS`) or a user table.
    m_chi_GeV : float
        Dark-matter mass [GeV], finite and > 0 (and above the channel's threshold).
    T : array_like
        Positron kinetic energies [GeV], >= 0.  For ``"ee"`` the nodes of an energy grid.
    process : {"annihilation", "decay"}
        Sets the primary energy E_0 = m_chi or m_chi/2: decay of 2m equals annihilation of m.
    widths : array_like, optional
        Cell widths [GeV] of the grid ``T``; required by the ``"ee"`` line
        (:func:`line_on_grid`), ignored by the continuous spectra.

    Returns
    -------
    numpy.ndarray
        dN/dT with the shape of ``T``; e- spectra are identical (CP).
    """
    channel = _check_channel(channel)
    E_0 = primary_energy(m_chi_GeV, process)
    _check_threshold(channel, E_0)
    if isinstance(channel, SpectrumTable):
        return channel.spectrum(T, E_0)
    if channel == "mumu":
        return muon_channel_spectrum(T, E_0)
    if widths is None:
        raise ValueError("the 'ee' channel is a line: pass the grid's cell widths (widths=Propagator.energy_bin_widths)")
    return line_on_grid(E_0 - const.m_electron, _kinetic_energies(T), widths)


# --- the source term ----------------------------------------------------------------------


@dataclass(frozen=True)
class HaloDensityFactor:
    """The spatial factor ``(rho(R, z) / RHO_UNIT)^power`` (dimensionless) of a DM source.

    ``power`` is 2 for annihilation and 1 for decay.  A hashable value that depends only on
    the halo and the process, so ``Propagator.energy_response`` caches one response matrix
    for every mass, channel, cross section or lifetime.
    """

    halo: HaloProfile
    power: int

    def __call__(self, R_kpc, z_kpc):
        """(rho / 1 GeV cm^-3)^power at galactocentric cylindrical (R, z) [kpc]; broadcasts."""
        return (self.halo.density_cylindrical(R_kpc, z_kpc) / RHO_UNIT) ** self.power


@dataclass(frozen=True, kw_only=True)
class DarkMatterSource:
    """e+ (or e-) source of annihilating or decaying dark matter in the halo ``halo``.

    ``q(R, z, T) = profile(R, z) * spectrum(T)`` [cm^-3 s^-1 GeV^-1]:

    * annihilation, ``self_conjugate=True`` (Majorana): ``q = (<sigma v>/2) (rho/m)^2 dN/dT``;
    * annihilation, ``self_conjugate=False`` (Dirac, particles and antiparticles each of
      density rho/2, annihilating only with each other): ``q = (<sigma v>/4) (rho/m)^2 dN/dT``;
    * decay: ``q = rho / (m tau) dN/dT`` (``self_conjugate`` plays no role).

    ``dN/dT`` from :func:`lepton_spectrum`.  Give ``sigma_v_cm3_s`` (>= 0) for annihilation
    or ``lifetime_s`` (> 0, finite) for decay, not both.  ``channel`` is one of
    :data:`CHANNELS` or a :class:`SpectrumTable`.
    """

    mass_GeV: float
    channel: str | SpectrumTable
    process: str = "annihilation"
    sigma_v_cm3_s: float | None = None
    lifetime_s: float | None = None
    halo: HaloProfile = field(default_factory=NFW)
    self_conjugate: bool = True

    def __post_init__(self):
        object.__setattr__(self, "mass_GeV", _check_mass(self.mass_GeV))
        _check_channel(self.channel)
        _check_process(self.process)
        if not isinstance(self.halo, HaloProfile):
            raise ValueError(f"halo must be a HaloProfile (see positrons.sources.halo), got {self.halo!r}")
        if not isinstance(self.self_conjugate, bool):
            raise ValueError(f"self_conjugate must be True or False, got {self.self_conjugate!r}")
        if self.process == "annihilation":
            if self.lifetime_s is not None:
                raise ValueError("lifetime_s is for process='decay'; annihilation takes sigma_v_cm3_s")
            value = self._number("sigma_v_cm3_s", self.sigma_v_cm3_s)
            if value < 0:
                raise ValueError(f"sigma_v_cm3_s must be >= 0, got {self.sigma_v_cm3_s!r}")
            object.__setattr__(self, "sigma_v_cm3_s", value)
        else:
            if self.sigma_v_cm3_s is not None:
                raise ValueError("sigma_v_cm3_s is for process='annihilation'; decay takes lifetime_s")
            value = self._number("lifetime_s", self.lifetime_s)
            if value <= 0:
                raise ValueError(f"lifetime_s must be > 0, got {self.lifetime_s!r}")
            object.__setattr__(self, "lifetime_s", value)
        _check_threshold(self.channel, primary_energy(self.mass_GeV, self.process))

    @staticmethod
    def _number(name, value) -> float:
        if value is None:
            raise ValueError(f"{name} is required for this process")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a number, got {value!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
        return value

    @property
    def primary_energy_GeV(self) -> float:
        """E_0 [GeV]: m_chi (annihilation) or m_chi/2 (decay)."""
        return primary_energy(self.mass_GeV, self.process)

    @property
    def profile(self) -> HaloDensityFactor:
        """The spatial factor, callable as ``profile(R_kpc, z_kpc)``: (rho/RHO_UNIT)^2 for
        annihilation, rho/RHO_UNIT for decay (dimensionless); equal for every source with the
        same halo and process (one response matrix serves them all)."""
        return HaloDensityFactor(self.halo, 2 if self.process == "annihilation" else 1)

    @property
    def rate_normalisation(self) -> float:
        """Annihilations (decays) per cm^3 per s where rho = RHO_UNIT [cm^-3 s^-1]:
        ``<sigma v>/(2k) (RHO_UNIT/m)^2`` (k = 1 Majorana, 2 Dirac) or ``RHO_UNIT/(m tau)``."""
        if self.process == "annihilation":
            k = 1.0 if self.self_conjugate else 2.0
            return self.sigma_v_cm3_s / (2.0 * k) * (RHO_UNIT / self.mass_GeV) ** 2
        return RHO_UNIT / (self.mass_GeV * self.lifetime_s)

    def lepton_spectrum(self, T, widths=None) -> np.ndarray:
        """dN/dT [GeV^-1] per annihilation (decay): :func:`lepton_spectrum`."""
        return lepton_spectrum(self.channel, self.mass_GeV, T, self.process, widths)

    def spectrum(self, T, widths=None) -> np.ndarray:
        """``rate_normalisation * dN/dT`` [cm^-3 s^-1 GeV^-1] at kinetic energies ``T`` [GeV];
        ``widths`` [GeV] are required for the ``"ee"`` line (grid cells, see :func:`line_on_grid`)."""
        return self.rate_normalisation * self.lepton_spectrum(T, widths)

    def __call__(self, R_kpc, z_kpc, T, widths=None) -> np.ndarray:
        """q = profile(R, z) spectrum(T) [cm^-3 s^-1 GeV^-1]; (R, z) in kpc, T kinetic [GeV];
        broadcasts (the solver's call ``source(R[:, None, None], z[None, :, None], T[None, None, :])``)."""
        return self.profile(R_kpc, z_kpc) * self.spectrum(T, widths)

    def grid(self, R_kpc, z_kpc, T, widths=None) -> np.ndarray:
        """q [cm^-3 s^-1 GeV^-1] on the outer product of 1-D ``R_kpc``, ``z_kpc`` [kpc] and ``T``
        [GeV]: shape (len(R), len(z), len(T))."""
        R = np.atleast_1d(np.asarray(R_kpc, dtype=float))
        z = np.atleast_1d(np.asarray(z_kpc, dtype=float))
        T = np.atleast_1d(np.asarray(T, dtype=float))
        return self(R[:, None, None], z[None, :, None], T[None, None, :], widths)
