"""A local interstellar spectrum (LIS) modulated to the top of the atmosphere, with its phi band.

The pipeline of ``positrons modulate``: read a LIS table (:func:`read_lis_csv`), take phi
[GV] from the user or from the published value for a dataset's data-taking period
(:func:`positrons.heliosphere.phi_table.explain_phi`), modulate it with a model of the
:class:`~positrons.heliosphere.modulation.Modulation` protocol -- the force field (Gleeson &
Axford 1968) or the 1D Parker equation with the diffusion whose force-field equivalent is
phi -- at phi and phi -/+ delta_phi, and return a :class:`ModulatedLIS` record (central
spectrum and the pointwise band) with ``to_table()``, ``write()`` and ``plot()``.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..heliosphere.modulation import ForceFieldModulation, ParkerModulation
from ._output import result_table, write_table

#: columns of a LIS table and of the output
LIS_COLUMNS = ("E_kin_GeV", "flux")
#: accepted names of the flux column, first match used: ``flux`` (any unit), or the column of
#: ``positrons propagate``'s output (so its CSV is a LIS file unchanged)
FLUX_COLUMNS = ("flux", "flux_per_GeV_m2_s_sr")
OUTPUT_COLUMNS = ("E_kin_GeV", "flux_TOA", "flux_TOA_low", "flux_TOA_high")
#: modulation methods by name: each maps phi [GV] to a Modulation
METHODS = {"force-field": ForceFieldModulation, "parker": ParkerModulation}
#: default half-width of the phi band [GV]
DEFAULT_DELTA_PHI = 0.1


def _number(text: str, path: str, line: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{path} line {line}: {text.strip()!r} in column {column} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{path} line {line}: {column} is {text.strip()}, not a finite number")
    return value


def _as_csv(text: str, name: str) -> str:
    """``text`` in any output format of the commands (csv, table, json, ecsv:
    :func:`positrons.analysis._output.format_table`) as csv; csv and table keep their line numbers."""
    start = text.lstrip()
    if start.startswith("{"):
        import json

        try:
            data = json.loads(text)["data"]
        except (ValueError, KeyError, TypeError):
            raise ValueError(f"{name}: not a table in the JSON layout of the commands ({{'data': {{column: values}}}})"
                             ) from None
        names = list(data)
        return "\n".join([",".join(names)] + [",".join("nan" if v is None else repr(v) for v in row)
                                              for row in zip(*(data[n] for n in names))]) + "\n"
    if start.startswith("# %ECSV"):
        from astropy.table import Table

        table = Table.read(text, format="ascii.ecsv")
        return "\n".join([",".join(table.colnames)] + [",".join(repr(float(v)) for v in row)
                                                       for row in zip(*(table[n] for n in table.colnames))]) + "\n"
    lines = text.splitlines()
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    if "," not in first and len(first.split()) > 1:  # the table format: columns aligned with spaces
        return "\n".join(line if line.lstrip().startswith("#") else ",".join(line.split()) for line in lines) + "\n"
    return text


def read_lis_csv(path, text: str | None = None) -> tuple[list[float], list[float]]:
    """Energies [GeV] and fluxes of a LIS table with columns ``E_kin_GeV`` and ``flux`` (or
    ``flux_per_GeV_m2_s_sr``, as ``positrons propagate`` writes it; other columns ignored,
    ``#`` lines are comments); a malformed file is refused with a ValueError that names the
    file and line.  ``text``: the table itself (e.g. read from standard input; ``path`` then
    only names it in messages).  The output of ``positrons propagate`` in any ``--format``
    (csv, table, json, ecsv) is read unchanged.  Rows of zero flux at the high-energy end (a
    spectrum that has ended, e.g. Hawking positrons far above the black hole's temperature) are
    left out, so the modulated table ends where the spectrum does; a zero below a positive flux
    is refused."""
    name = str(path)
    if text is None:
        try:
            text = Path(path).read_text()
        except OSError as exc:
            raise ValueError(f"cannot read {name}: {exc.strerror or exc}") from None
    text = _as_csv(text, name)
    numbered = [(i + 1, line) for i, line in enumerate(text.splitlines()) if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        raise ValueError(f"{name}: no header row (expected the columns {','.join(LIS_COLUMNS)})")
    rows = list(csv.reader(io.StringIO("\n".join(line for _, line in numbered))))
    header = [h.strip() for h in rows[0]]
    flux_column = next((c for c in FLUX_COLUMNS if c in header), None)
    missing = [c for c, present in (("E_kin_GeV", "E_kin_GeV" in header), ("flux", flux_column is not None)) if not present]
    if missing:
        raise ValueError(f"{name}: missing column(s) {','.join(missing)} (header must contain {','.join(LIS_COLUMNS)}, "
                         f"or E_kin_GeV,flux_per_GeV_m2_s_sr as positrons propagate writes; got {','.join(header)})")
    i_T, i_F = header.index("E_kin_GeV"), header.index(flux_column)
    energies, fluxes, zero_from = [], [], None
    for (line, _), row in zip(numbered[1:], rows[1:]):
        if len(row) < len(header):
            raise ValueError(f"{name} line {line}: {len(row)} field(s), the header has {len(header)}")
        T = _number(row[i_T], name, line, "E_kin_GeV")
        F = _number(row[i_F], name, line, "flux")
        if T <= 0:
            raise ValueError(f"{name} line {line}: E_kin_GeV = {T:g} must be > 0")
        if F < 0:
            raise ValueError(f"{name} line {line}: flux = {F:g} must be > 0 (the LIS is interpolated in log-log)")
        if F == 0:
            zero_from = line if zero_from is None else zero_from
        elif zero_from is not None:
            raise ValueError(f"{name} line {zero_from}: flux = 0 must be > 0 (the LIS is interpolated in log-log; "
                             "only rows at the high-energy end, where the spectrum has ended, may be 0)")
        if energies and T <= energies[-1]:
            raise ValueError(f"{name} line {line}: E_kin_GeV = {T:g} is not above the previous {energies[-1]:g} (energies must be sorted, strictly increasing)")
        energies.append(T)
        fluxes.append(F)
    while fluxes and fluxes[-1] == 0:  # the spectrum has ended: its TOA flux there is 0 too, left out
        energies.pop()
        fluxes.pop()
    if len(energies) < 2:
        raise ValueError(f"{name}: needs at least 2 data rows (got {len(energies)})")
    return energies, fluxes


def modulation_band(method, T, lis, phi: float, delta_phi: float, species: str):
    """``(central, low, high)``: the TOA flux at ``phi`` [GV] and the pointwise minimum and
    maximum over phi, max(phi - delta_phi, 0) and phi + delta_phi.

    ``method``: a name of :data:`METHODS` or a callable phi -> Modulation.
    """
    make = METHODS[method] if isinstance(method, str) else method
    if not delta_phi >= 0:
        raise ValueError(f"delta_phi must be >= 0 GV (got {delta_phi})")
    stack = np.stack([np.asarray(make(value).modulate(T, lis, species), dtype=float)
                      for value in (phi, max(phi - delta_phi, 0.0), phi + delta_phi)])
    return stack[0], stack.min(axis=0), stack.max(axis=0)


@dataclass(frozen=True)
class ModulatedLIS:
    """A LIS and its TOA spectrum with the phi band, on the LIS energies.

    ``energies`` [GeV] (kinetic, whole particle); ``lis``, ``central``, ``low``, ``high`` in
    the unit of the input flux; ``phi`` and ``delta_phi`` [GV]; ``phi_source`` and
    ``phi_note``: where phi came from.
    """

    energies: np.ndarray
    lis: np.ndarray
    central: np.ndarray
    low: np.ndarray
    high: np.ndarray
    species: str
    method: str
    phi: float | None
    delta_phi: float | None
    phi_source: str = "user"
    phi_note: str = "given by the user"
    #: the parameters of a model that is not a force-field potential (``--method drift``)
    model_settings: dict | None = None

    def settings(self) -> dict:
        if self.model_settings is not None:
            return {"species": self.species, "method": self.method, **self.model_settings}
        return {"species": self.species, "method": self.method, "phi_GV": self.phi, "delta_phi_GV": self.delta_phi,
                "phi_source": self.phi_source, "phi_note": self.phi_note}

    def rows(self) -> list:
        """``(E_kin_GeV, flux_TOA, flux_TOA_low, flux_TOA_high)`` per energy."""
        return list(zip(self.energies, self.central, self.low, self.high))

    def to_table(self):
        """astropy Table: E_kin_GeV [GeV], flux_LIS and the TOA columns (the input's flux
        unit, not known here); settings in meta."""
        columns = dict(zip(OUTPUT_COLUMNS, (self.energies, self.central, self.low, self.high)))
        columns = {"E_kin_GeV": columns.pop("E_kin_GeV"), "flux_LIS": self.lis, **columns}
        return result_table(columns, {"E_kin_GeV": "GeV"}, self.settings(),
                            f"{self.species} LIS modulated to the top of the atmosphere ({self.method})")

    def write(self, path):
        """Write :meth:`to_table` to ``path`` (.ecsv, .csv or .fits), atomically."""
        return write_table(self.to_table(), path)

    def plot(self, ax=None):
        """The LIS, the TOA spectrum and its band (log axes); returns the figure."""
        from ..plotting.heliosphere import plot_modulation

        if self.phi is None:
            label = f"TOA, {self.method} ({self.model_settings.get('period_name', '')})"
        else:
            label = f"TOA, {self.method}, $\\phi$ = {self.phi:g} $\\pm$ {self.delta_phi:g} GV"
        return plot_modulation(self.energies, self.lis, self.central, self.low, self.high, label, ax=ax)


def modulate_lis(energies, flux, species: str, phi: float, delta_phi: float = DEFAULT_DELTA_PHI,
                 method: str = "force-field", phi_source: str = "user", phi_note: str = "given by the user") -> ModulatedLIS:
    """The LIS tabulated as ``flux`` on kinetic ``energies`` [GeV] modulated with ``method``
    (a name of :data:`METHODS`) at ``phi`` [GV], with the band phi -/+ ``delta_phi``."""
    T = np.asarray(energies, dtype=float)
    F = np.asarray(flux, dtype=float)
    central, low, high = modulation_band(method, T, (T, F), phi, delta_phi, species)
    return ModulatedLIS(T, F, central, low, high, species, method, float(phi), float(delta_phi), phi_source, phi_note)


def modulate_lis_file(path, species: str, phi_choice, delta_phi: float = DEFAULT_DELTA_PHI,
                      method: str = "force-field", text: str | None = None) -> ModulatedLIS:
    """:func:`modulate_lis` of the LIS table in ``path`` (see :func:`read_lis_csv`) with the
    phi of ``phi_choice`` (a :class:`~positrons.heliosphere.phi_table.PhiChoice`, from
    :func:`~positrons.heliosphere.phi_table.explain_phi`)."""
    T, F = read_lis_csv(path, text)
    return modulate_lis(T, F, species, phi_choice.phi, delta_phi, method, phi_choice.source, phi_choice.note)


def modulate_lis_drift_file(path, species: str, period, text: str | None = None) -> ModulatedLIS:
    """The LIS table in ``path`` through the heliosphere with drifts
    (:class:`~positrons.heliosphere.drift_modulation.DriftModulation` of ``period``, a shipped
    name or a TOML file); there is no phi band (``low = high = central``)."""
    from ..heliosphere.drift_modulation import DriftModulation

    model = DriftModulation(period)
    T, F = (np.asarray(x, dtype=float) for x in read_lis_csv(path, text))
    central = model.modulate(T, (T, F), species)
    return ModulatedLIS(T, F, central, central, central, species, "drift", None, None,
                        model_settings=model.settings())
