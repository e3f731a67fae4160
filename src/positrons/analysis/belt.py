"""Trapped e+- of the inner radiation belt at shell L (Martin et al. 1995): the pipeline.

Settings (:class:`BeltSettings`) choose the pion production (the published L = 1.2 table of
Martin, Gusev, Pugacheva & Silva Mello 1995, or computed from trapped protons), the density
(fixed or the MSIS 2.1 drift-shell average), the field and the decay treatment;
:func:`belt_spectra` builds the :class:`~positrons.magnetosphere.BeltModel`, solves it and
returns a :class:`BeltSpectra` record with the integral spectra I(>E) [m^-2 s^-1 sr^-1], the
e+/e- ratio above a threshold, ``to_table()``, ``write()`` and ``plot()``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .. import units as u
from ._output import result_table, write_table

#: the published pion table and the trapped-proton table are for this shell only
TABLE_SHELL = 1.2


@dataclass(frozen=True)
class BeltSettings:
    """Everything that determines a belt spectrum.

    ``L`` [Earth radii]; ``rho``: mean density along the drift path [g cm^-3] or ``"msis"``;
    ``mirror_altitude_km``: with MSIS, the mirror altitude of the particles (None: equator);
    ``f107``, ``f107a`` (None: = f107) [sfu], ``ap``, ``date``: MSIS inputs; ``B_gauss``:
    synchrotron field [G] (None: the dipole 0.312/L^3); ``pion_source``: ``"table"`` or
    ``"computed"``; ``protons``: for computed pions, ``"table"``, ``"ap8-min"``, ``"ap8-max"``
    or an :class:`~positrons.magnetosphere.IntegralProtonSpectrum`; ``composition``: ``"air"``
    or ``"msis"``; ``decay``, ``fraction_energy``, ``interpolation``, ``scale_height_km``: see
    :class:`~positrons.magnetosphere.BeltModel`; ``threshold`` [GeV]: where the e+/e- ratio
    is given.
    """

    L: float = 1.2
    rho: float | str = 1e-18
    mirror_altitude_km: float | None = None
    f107: float = 150.0
    f107a: float | None = None
    ap: float = 4.0
    date: str = "2000-03-20T12:00"
    B_gauss: float | None = None
    pion_source: str = "table"
    protons: object = "table"
    composition: str = "air"
    decay: str = "fixed-fractions"
    fraction_energy: str = "kinetic"
    interpolation: str = "bin-average"
    scale_height_km: float | None = None
    threshold: float = 0.02

    def __post_init__(self):
        if self.pion_source not in ("table", "computed"):
            raise ValueError(f"pion_source must be 'table' or 'computed', got {self.pion_source!r}")
        if self.composition not in ("air", "msis"):
            raise ValueError(f"composition must be 'air' or 'msis', got {self.composition!r}")
        if not (isinstance(self.rho, str) and self.rho == "msis") and not (
                not isinstance(self.rho, str) and self.rho > 0):
            raise ValueError(f"rho must be a density > 0 g/cm^3 or 'msis', got {self.rho!r}")
        if self.pion_source == "table" and abs(self.L - TABLE_SHELL) > 1e-9:
            raise ValueError(
                f"the published pion table is for L = 1.2 only (asked --L {self.L:g}); "
                "use --pion-source computed with --protons ap8-min or ap8-max"
            )
        if self.pion_source == "computed" and self.protons == "table" and abs(self.L - TABLE_SHELL) > 1e-9:
            raise ValueError(f"the trapped-proton table is for L = 1.2 only (asked --L {self.L:g}); "
                             "use --protons ap8-min or ap8-max, or --protons-file")

    @property
    def uses_msis(self) -> bool:
        """Whether the MSIS atmosphere is needed (density or target composition)."""
        return self.rho == "msis" or (self.pion_source == "computed" and self.composition == "msis")

    def as_dict(self) -> dict:
        """The settings as plain values (a proton spectrum by its description)."""
        values = asdict(self) if isinstance(self.protons, str) else {
            **{k: v for k, v in asdict(self).items() if k != "protons"},
            "protons": getattr(self.protons, "description", str(self.protons))}
        return {k: ("" if v is None else v) for k, v in values.items()}


def build_belt_model(settings: BeltSettings):
    """``(model, pions, notes)``: the :class:`~positrons.magnetosphere.BeltModel`, its
    pion production and one line of description per choice."""
    from ..magnetosphere import (
        BeltModel,
        MSISAtmosphere,
        computed_pion_production,
        drift_shell_density,
        proton_spectrum_for_shell,
        table_pion_production,
    )

    s = settings
    notes = []
    shell = None
    if s.uses_msis:
        atmosphere = MSISAtmosphere(f107=s.f107, f107a=s.f107a if s.f107a is not None else s.f107, ap=s.ap, date=s.date)
        shell = drift_shell_density(s.L, atmosphere, mirror_altitude_km=s.mirror_altitude_km)
    density = shell.density if s.rho == "msis" else s.rho
    notes.append(shell.description if s.rho == "msis" else f"rho = {density:g} g/cm^3 (fixed)")

    if s.pion_source == "table":
        pions = table_pion_production(s.interpolation)
    else:
        protons = proton_spectrum_for_shell(s.L, s.protons) if isinstance(s.protons, str) else s.protons
        fractions = shell.mass_fractions if s.composition == "msis" else None
        pions = computed_pion_production(protons, mass_fractions=fractions, interpolation=s.interpolation)
    notes.append(pions.description)
    model = BeltModel(pions=pions, L=s.L, density=density, B_gauss=s.B_gauss, decay=s.decay,
                      energy_variable=s.fraction_energy, scale_height_km=s.scale_height_km,
                      mirror_altitude_km=s.mirror_altitude_km)
    decay = (f"decay: Daniel & Stephens fixed fractions q1 = 0.8, q2 = 0.33 on {s.fraction_energy} energies"
             if s.decay == "fixed-fractions" else "decay: exact pi -> mu -> e convolution (positrons.decays)")
    if s.scale_height_km is not None and s.decay == "fixed-fractions":
        decay += f", scale height H0 = {s.scale_height_km:g} km"
    notes.append(decay)
    notes.append(f"B = {model.field:.4g} G ({'dipole 0.312/L^3' if s.B_gauss is None else 'given'}), L = {s.L:g}")
    if s.mirror_altitude_km is not None:
        notes.append(f"synchrotron with the bounce average <B^2 sin^2 alpha>^(1/2) = {model.synchrotron_field:.4g} G "
                     f"for particles mirroring at {s.mirror_altitude_km:g} km")
    return model, pions, notes


def pion_integral_curve(pions, T_start: float, n: int = 200):
    """``(T, P)``: the pi+ integral production P(>T) [per g cm^-2] on ``n`` log-spaced pion
    kinetic energies T [GeV] from ``max(T_start, 1 MeV)`` to the top of the pion bins."""
    T = np.geomspace(max(T_start, 1e-3), pions.T_max, n)
    return T, pions.integral_above(T, +1)


@dataclass(frozen=True)
class BeltSpectra:
    """Integral spectra of trapped e+- at the top of a shell, and their settings.

    ``solution``: the :class:`~positrons.magnetosphere.belt.BeltResult` (energies [GeV] and
    I(>E) [m^-2 s^-1 sr^-1] with and without synchrotron loss); ``summary``: the headline
    numbers above ``settings.threshold``; ``notes``: one line per modelling choice.
    """

    settings: BeltSettings
    model: object
    pions: object
    solution: object
    summary: dict
    notes: tuple

    def columns(self) -> dict:
        """E_GeV, I_pos_gt_E, I_ele_gt_E, I_pos_gt_E_synch, I_ele_gt_E_synch."""
        return self.solution.to_columns()

    def ratio_line(self) -> str:
        """The e+/e- ratio and I_e+ above the threshold, in one line."""
        s, t = self.summary, self.settings.threshold / u.MeV
        return (f"e+/e- ratio above {t:g} MeV: {s['ratio_pos_ele_synch']:.4g} "
                f"(with synchrotron loss), {s['ratio_pos_ele']:.4g} (without); "
                f"I_e+(>{t:g} MeV) = {s['I_pos_gt_threshold_synch']:.4g} (with), "
                f"{s['I_pos_gt_threshold']:.4g} (without) m^-2 s^-1 sr^-1")

    def header_lines(self) -> list[str]:
        """The ``#`` lines of the CSV output."""
        return [
            "trapped e+- integral spectra at the top of the shell (model of Martin, Gusev, Pugacheva & Silva Mello 1995)",
            *self.notes,
            "E_GeV: lepton kinetic energy; I_*: integral flux above E in m^-2 s^-1 sr^-1; *_synch with synchrotron loss",
            self.ratio_line(),
        ]

    def to_json_dict(self) -> dict:
        """The JSON output: model notes, units, summary and columns."""
        return {
            "model": list(self.notes),
            "units": {"E_GeV": "lepton kinetic energy [GeV]", "I": "m^-2 s^-1 sr^-1"},
            "summary": self.summary,
            "columns": {k: [float(x) for x in np.asarray(v)] for k, v in self.columns().items()},
        }

    def to_table(self):
        """astropy Table of the integral spectra (GeV; m^-2 s^-1 sr^-1), with the settings,
        the model notes and the summary in ``meta``."""
        flux = "1 / (m2 s sr)"
        table = result_table(self.columns(), {name: ("GeV" if name == "E_GeV" else flux) for name in self.columns()},
                             self.settings.as_dict(), self.header_lines()[0])
        table.meta["notes"] = list(self.notes)
        table.meta["summary"] = dict(self.summary)
        return table

    def write(self, path):
        """Write :meth:`to_table` to ``path`` (.ecsv, .csv or .fits), atomically."""
        return write_table(self.to_table(), path)

    def plot(self, ax=None, n: int = 200):
        """The usual figure (Martin et al. 1995, Fig. 3): P_pi(>T), I(>E) of e+ with and
        without synchrotron loss, e-, COSMOS-1669; on ``n`` energies up to the top of the
        lepton spectrum.  Returns the figure."""
        from ..plotting.belt import plot_belt

        start = float(np.asarray(self.solution.energies)[0])
        fine = self.model.solve(np.geomspace(start, self.model.E_max * (1 - 1e-9), n))
        return plot_belt(fine, pion_integral_curve(self.pions, start), ax=ax)


def belt_spectra(settings: BeltSettings, energies) -> BeltSpectra:
    """Solve the belt model of ``settings`` at lepton kinetic ``energies`` [GeV].

    Raises ValueError when the threshold is outside the lepton energies the pion bins make.
    """
    model, pions, notes = build_belt_model(settings)
    if not (model.E_floor <= settings.threshold < model.E_max):
        raise ValueError(
            f"--threshold {settings.threshold:g} GeV is outside the lepton energies the pion bins can make "
            f"({model.E_floor:g}-{model.E_max:.3g} GeV)"
        )
    solution = model.solve(energies)
    return BeltSpectra(settings, model, pions, solution, solution.summary(settings.threshold), tuple(notes))
