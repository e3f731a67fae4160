"""Hawking emission of one black hole or of a PBH population, and a hole's lifetime, as records
(``positrons pbh spectrum`` and ``positrons pbh lifetime``).

* :func:`pbh_spectrum` -- primary, secondary and total e+, e- or photon spectrum per black
  hole (monochromatic) [GeV^-1 s^-1] or per gram of PBHs (a mass function) [GeV^-1 s^-1 g^-1]
  (:mod:`positrons.sources.pbh.spectra`, :func:`positrons.sources.pbh.source.population_spectrum`),
  as a :class:`PBHSpectrum` with ``to_table()``, ``write(path)``, ``plot(ax=None)``,
  ``text(fmt)`` (the '#'-headed table of the command) and ``figure()`` (the usual figure);
* :func:`pbh_spectra_figure` -- the usual two-panel figure: monochromatic holes of
  :data:`FIGURE_MASSES` per hole, log-normal populations of widths :data:`FIGURE_SIGMAS` at
  :data:`FIGURE_M_C` per gram, and optionally a requested spectrum;
* :func:`pbh_lifetime` -- temperature, mass-loss rate, lifetime (MacGibbon 1991, PRD 44, 376;
  :mod:`positrons.sources.pbh.evaporation`) and the mass evaporating in the age of the
  Universe, as a :class:`PBHLifetime`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import units as u
from ..sources.pbh import emission, evaporation, spectra
from ..sources.pbh.mass_functions import M_MIN_DEFAULT, LogNormal
from ..sources.pbh.source import population_spectrum

#: the usual figure: masses [g] of the left panel, log-normal widths at M_c = 1e16 g on the right
FIGURE_MASSES = (5e14, 1e16, 5e16)
FIGURE_SIGMAS = (0.5, 1.0, 2.0)
FIGURE_M_C = 1e16
#: kinetic energies [GeV] of the usual figure
FIGURE_ENERGY_RANGE_GEV = (1e-5, 3.0, 300)

#: the columns of :meth:`PBHSpectrum.text` (and :meth:`PBHSpectrum.to_table`)
SPECTRUM_COLUMNS = ("E_kin_GeV", "primary_dN_dtdE_per_GeV_s", "secondary_dN_dtdE_per_GeV_s", "dN_dtdE_per_GeV_s")


def qcd_mass_g() -> float:
    """Mass [g] of a hole at T = emission.QCD_TEMPERATURE (0.2 GeV): lighter, hotter holes emit
    quark and gluon jets, which the package does not model."""
    return emission.hawking_temperature(1.0) / emission.QCD_TEMPERATURE


def _label(mass_g: float, mass_function) -> str:
    return f"monochromatic, M = {mass_g:.3g} g" if mass_function is None else mass_function.label()


@dataclass(frozen=True)
class PBHSpectrum:
    """The emission of one hole of ``mass_g`` [g] (``mass_function`` None) or of a population
    (``mass_function``, e.g. a :class:`~positrons.sources.pbh.mass_functions.LogNormal` of centre
    ``mass_g``): ``spectrum`` holds the kinetic energies [GeV] and the primary and secondary
    d2N/dt dE [GeV^-1 s^-1 per hole, or g^-1 more per gram of PBHs]."""

    particle: str
    content: str
    mass_g: float
    mass_function: object
    spectrum: spectra.Spectrum

    @property
    def per_hole(self) -> bool:
        return self.mass_function is None

    @property
    def temperature_GeV(self) -> float:
        """Hawking temperature [GeV] of a hole of ``mass_g``."""
        return emission.hawking_temperature(self.mass_g)

    @property
    def label(self) -> str:
        return _label(self.mass_g, self.mass_function)

    @property
    def normalisation(self) -> str:
        if self.per_hole:
            return "per black hole [GeV^-1 s^-1]"
        return ("per gram of PBHs [GeV^-1 s^-1 g^-1] = Integral dM psi(M)/M d2N/dtdE; "
                "multiply by rho_PBH [g cm^-3] for a source per cm^3")

    def header(self) -> list[str]:
        """What the numbers are: particle, population, temperature, normalisation, content."""
        secondary_from = {"photon": "pi0 -> gamma gamma"}.get(self.particle,
                                                              "mu -> e nu nu (unpolarised) and pi -> mu -> e")
        lines = [
            (f"positrons pbh spectrum: {self.particle} emission of Schwarzschild black holes, {self.label}"
             f" (T = {self.temperature_GeV / u.MeV:.4g} MeV at M = {self.mass_g:.4g} g)"),
            f"normalisation: {self.normalisation}",
            ("columns: kinetic energy [GeV]; primary (Hawking emission, greybody factors solved in "
             f"positrons.sources.pbh.greybody); secondary ({secondary_from}); total"),
            f"particle content: {self.content}; neglected: QCD jets (M < 1e14 g), kaons, final-state radiation",
        ]
        if self.per_hole and self.mass_g < M_MIN_DEFAULT:
            lines.append(f"note: holes lighter than {M_MIN_DEFAULT:g} g have evaporated by today (M_min; Page 1976)")
        return lines

    def _rows(self) -> np.ndarray:
        s = self.spectrum
        return np.column_stack([s.E_kin, s.primary, s.secondary, s.total])

    def text(self, fmt: str = "csv") -> str:
        """The '#' header lines and the rows: ``fmt`` "csv" (comma-separated, %.6e) or "table"
        (aligned columns)."""
        lines = [f"# {h}" for h in self.header()]
        if fmt == "csv":
            lines.append(",".join(SPECTRUM_COLUMNS))
            lines += [",".join(f"{v:.6e}" for v in row) for row in self._rows()]
        else:
            lines.append("  ".join(f"{c:>28s}" for c in SPECTRUM_COLUMNS))
            lines += ["  ".join(f"{v:28.6e}" for v in row) for row in self._rows()]
        return "\n".join(lines) + "\n"

    def settings(self) -> dict:
        mf = self.mass_function
        return {"particle": self.particle, "content": self.content, "mass_g": self.mass_g,
                "mass_function": "monochromatic" if mf is None else type(mf).__name__.lower(),
                "sigma": getattr(mf, "sigma", None), "normalisation": self.normalisation}

    def to_table(self):
        """Kinetic energy [GeV], primary, secondary and total d2N/dt dE (per hole [1 / (GeV s)],
        or per gram of PBHs [1 / (GeV s g)]); settings and package version in ``meta``."""
        from .records import table_with_meta

        unit = "1 / (GeV s)" if self.per_hole else "1 / (GeV s g)"
        s = self.spectrum
        return table_with_meta(
            {SPECTRUM_COLUMNS[0]: (s.E_kin, "GeV", "kinetic energy"),
             SPECTRUM_COLUMNS[1]: (s.primary, unit, "primary (Hawking) emission"),
             SPECTRUM_COLUMNS[2]: (s.secondary, unit, "secondary emission (decays)"),
             SPECTRUM_COLUMNS[3]: (s.total, unit, "total emission")},
            self.settings())

    def write(self, path) -> None:
        """Write :meth:`to_table` atomically (``.ecsv`` or ``.csv``)."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv"))

    def plot(self, ax=None):
        """Total (thick), primary (dashed) and secondary (dotted) on log-log axes (``ax``, or a new
        figure's) (:func:`positrons.plotting.pbh.plot_pbh_spectrum`); returns the figure."""
        from ..plotting.pbh import plot_pbh_spectrum

        return plot_pbh_spectrum(self.spectrum, self.label, self.normalisation, ax=ax)

    def figure(self):
        """The usual figure (:func:`pbh_spectra_figure`) with this spectrum added."""
        return pbh_spectra_figure(self.particle, self.content, self)


def pbh_spectrum(particle: str, energies, mass_g: float, mass_function=None, content: str = "standard") -> PBHSpectrum:
    """The ``particle`` spectrum at kinetic energies ``energies`` [GeV] of one hole of ``mass_g``
    [g] (``mass_function`` None) or per gram of a population ``mass_function`` (centre ``mass_g``)."""
    if mass_function is None:
        spec = spectra.spectrum(particle, energies, mass_g, content=content)
    else:
        spec = population_spectrum(particle, energies, mass_function, content=content)
    return PBHSpectrum(particle, content, mass_g, mass_function, spec)


def is_figure_curve(mass_g: float, mass_function) -> bool:
    """True if the spectrum of ``mass_g`` / ``mass_function`` is one of the usual figure's curves."""
    if mass_function is None:
        return any(math.isclose(mass_g, m, rel_tol=1e-9) for m in FIGURE_MASSES)
    return math.isclose(mass_function.M_c, FIGURE_M_C, rel_tol=1e-9) and any(
        math.isclose(mass_function.sigma, s, rel_tol=1e-9) for s in FIGURE_SIGMAS)


def pbh_spectra_figure(particle: str, content: str, requested: PBHSpectrum | None = None):
    """The usual two-panel figure of PBH spectra (:func:`positrons.plotting.pbh.plot_pbh_spectra`):
    computes its curves; ``requested`` is added unless it is one of them."""
    from ..plotting.pbh import SpectrumCurve, mass_label, plot_pbh_spectra

    energies = np.geomspace(*FIGURE_ENERGY_RANGE_GEV)
    per_hole = [SpectrumCurve(mass_label(m, emission.hawking_temperature(m) / u.MeV),
                              spectra.spectrum(particle, energies, m, content=content)) for m in FIGURE_MASSES]
    per_gram = [SpectrumCurve(rf"log-normal, $\sigma$ = {sigma:g}",
                              population_spectrum(particle, energies, LogNormal(FIGURE_M_C, sigma), content=content))
                for sigma in FIGURE_SIGMAS]
    mono = spectra.spectrum(particle, energies, FIGURE_M_C, content=content)
    reference = (rf"monochromatic {mass_label(FIGURE_M_C)} ($\div M$)", energies, mono.total / FIGURE_M_C)
    extra = None
    if requested is not None and not is_figure_curve(requested.mass_g, requested.mass_function):
        extra = SpectrumCurve(f"requested: {requested.label}", requested.spectrum)
    per_hole_panel = requested is None or requested.per_hole
    return plot_pbh_spectra(particle, content, per_hole, per_gram, reference, extra,
                            requested_panel="left" if per_hole_panel else "right", lognormal_centre_g=FIGURE_M_C)


@dataclass(frozen=True)
class PBHLifetime:
    """Evaporation of a hole of ``mass_g`` [g] with the emitted ``content``: Hawking temperature
    [GeV], mass-loss rate -dM/dt [g/s] and MacGibbon's f(M), lifetime [s], and the mass [g]
    that evaporates in the age of the Universe (Planck 2018)."""

    mass_g: float
    content: str
    temperature_GeV: float
    mass_loss_rate_g_per_s: float
    macgibbon_f: float
    lifetime_s: float
    evaporating_mass_g: float

    def summary(self) -> str:
        """The lines ``positrons pbh lifetime`` prints (a note where quarks and gluons are missing)."""
        tau = self.lifetime_s
        lines = [
            f"black-hole mass          M = {self.mass_g:.4g} g",
            f"Hawking temperature      T = {self.temperature_GeV / u.MeV:.5g} MeV",
            (f"mass-loss rate      -dM/dt = {self.mass_loss_rate_g_per_s:.4g} g/s  (f(M) = {self.macgibbon_f:.4g}"
             " in MacGibbon's normalisation dM/dt = -5.34e25 f / M^2 g/s)"),
            f"lifetime               tau = {tau:.4g} s = {tau / u.Gyr:.4g} Gyr",
            (f"evaporating in the age of the Universe ({evaporation.AGE_OF_UNIVERSE / u.Gyr:.5g} Gyr, Planck 2018): "
             f"M = {self.evaporating_mass_g:.4g} g"),
            f"particle content: {self.content}",
        ]
        if self.mass_g < qcd_mass_g() and self.content != "blackhawk":
            lines.append(f"note: at T > 0.2 GeV (M < {qcd_mass_g():.3g} g) a hole also emits quarks and gluons, which "
                         f"the '{self.content}' content leaves out: -dM/dt is too small and tau too long "
                         "(see --content blackhawk)")
        return "\n".join(lines)

    def to_table(self):
        """One row: mass [g], temperature [GeV], -dM/dt [g/s], f(M), lifetime [s], evaporating mass [g]."""
        from .records import table_with_meta

        return table_with_meta(
            {"M_g": ([self.mass_g], "g", "black-hole mass"),
             "T_GeV": ([self.temperature_GeV], "GeV", "Hawking temperature"),
             "mass_loss_rate_g_per_s": ([self.mass_loss_rate_g_per_s], "g / s", "-dM/dt"),
             "macgibbon_f": ([self.macgibbon_f], "", "f(M) of dM/dt = -5.34e25 f / M^2 g/s (MacGibbon 1991)"),
             "lifetime_s": ([self.lifetime_s], "s", "lifetime"),
             "evaporating_mass_g": ([self.evaporating_mass_g], "g", "mass evaporating in the age of the Universe")},
            {"content": self.content})

    def write(self, path) -> None:
        """Write :meth:`to_table` atomically (``.ecsv`` or ``.csv``)."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv"))


def pbh_lifetime(mass_g: float, content: str = "standard") -> PBHLifetime:
    """Temperature, mass-loss rate, lifetime of a hole of ``mass_g`` [g] emitting ``content``
    (:mod:`positrons.sources.pbh.evaporation`), and the mass evaporating today."""
    return PBHLifetime(mass_g, content, emission.hawking_temperature(mass_g),
                       evaporation.mass_loss_rate(mass_g, content), evaporation.macgibbon_f(mass_g, content),
                       evaporation.lifetime(mass_g, content), evaporation.evaporating_mass(content=content))
