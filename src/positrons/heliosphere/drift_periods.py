"""Parameter sets of the drift model per data-taking period, read from strict TOML files.

A :class:`DriftPeriod` is a frozen record of every physical parameter of
:mod:`~positrons.heliosphere.drift_field` for one period, with its provenance.  The shipped
sets live in ``positrons/heliosphere/periods/*.toml`` (:func:`period_names`); a user file with
the same keys is read by :func:`load_period` (a path).  Unknown or missing keys are errors.

Polarity over a period that contains a solar-field reversal: ``a_positive_fraction`` is the
fraction of the period with A > 0; the modulated flux is the time average
``w Phi(A > 0) + (1 - w) Phi(A < 0)`` of the two steady states (each polarity lasted years, much
longer than the ~1-year transport time; the reversal months themselves are split evenly).

File keys (TOML, one table per file, all required)::

    name, description, start, end, reference         strings (dates YYYY-MM)
    tilt_deg                 current-sheet tilt [deg]
    B_earth_nT               field at Earth [nT]
    wind_speed_km_s          solar-wind speed [km/s]
    K0_cm2_s                 diffusion normalisation K_0 [cm^2/s]
    g_low                    low-rigidity term of K_par (dimensionless)
    rho_r, rho_theta         perpendicular / parallel diffusion ratios
    drift_scale              k_A (0: no drifts)
    drift_R_A_GV             rigidity below which drifts are reduced [GV]
    a_positive_fraction      fraction of the period with A > 0 (0 to 1)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from importlib import resources
from pathlib import Path

from .. import units as u
from .drift_field import DriftDiffusion, HeliosphericField

__all__ = ["DriftPeriod", "load_period", "period_names"]


@dataclass(frozen=True)
class DriftPeriod:
    """All parameters of the drift model for one period (keys of the module docstring)."""

    name: str
    description: str
    start: str
    end: str
    reference: str
    tilt_deg: float
    B_earth_nT: float
    wind_speed_km_s: float
    K0_cm2_s: float
    g_low: float
    rho_r: float
    rho_theta: float
    drift_scale: float
    drift_R_A_GV: float
    a_positive_fraction: float

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type == "str":
                if not isinstance(value, str):
                    raise ValueError(f"period key {f.name!r} must be a string (got {value!r})")
            else:
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                    raise ValueError(f"period key {f.name!r} must be a finite number (got {value!r})")
                object.__setattr__(self, f.name, float(value))
        if not 0.0 <= self.a_positive_fraction <= 1.0:
            raise ValueError(f"a_positive_fraction must be in [0, 1] (got {self.a_positive_fraction})")
        # the physics records check the rest
        self.field(1)
        self.diffusion()

    def field(self, polarity: int) -> HeliosphericField:
        """The :class:`HeliosphericField` of this period for ``polarity`` +1 or -1."""
        return HeliosphericField(B_earth_nT=self.B_earth_nT, tilt_deg=self.tilt_deg, polarity=polarity,
                                 wind_speed=self.wind_speed_km_s * u.km / u.s)

    def diffusion(self) -> DriftDiffusion:
        """The :class:`DriftDiffusion` of this period."""
        return DriftDiffusion(K0=self.K0_cm2_s, g_low=self.g_low, rho_r=self.rho_r, rho_theta=self.rho_theta,
                              drift_scale=self.drift_scale, drift_R_A_GV=self.drift_R_A_GV)

    def polarity_weights(self) -> dict[int, float]:
        """``{+1: w, -1: 1 - w}`` without zero weights."""
        w = self.a_positive_fraction
        return {k: v for k, v in ((1, w), (-1, 1.0 - w)) if v > 0.0}

    def with_values(self, **changes) -> DriftPeriod:
        """A copy with some parameters changed (e.g. in a fit)."""
        return replace(self, **changes)

    def as_dict(self) -> dict:
        """The keys and values (as written in a period file)."""
        return asdict(self)

    def to_toml(self) -> str:
        """The period as TOML text with the keys of the module docstring."""
        lines = []
        for key, value in self.as_dict().items():
            lines.append(f'{key} = "{value}"' if isinstance(value, str) else f"{key} = {value!r}")
        return "\n".join(lines) + "\n"


def _from_mapping(data: dict, where: str) -> DriftPeriod:
    keys = [f.name for f in fields(DriftPeriod)]
    unknown = sorted(set(data) - set(keys))
    missing = [k for k in keys if k not in data]
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown} (allowed: {', '.join(keys)})")
    if missing:
        raise ValueError(f"{where}: missing key(s) {missing}")
    return DriftPeriod(**data)


def _toml_loads(text: str) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads(text)


def period_names() -> list[str]:
    """Names of the shipped parameter sets."""
    return sorted(p.name[:-5] for p in resources.files(__package__).joinpath("periods").iterdir() if p.name.endswith(".toml"))


def load_period(name_or_path) -> DriftPeriod:
    """A shipped period by name (:func:`period_names`) or a TOML file with the documented keys."""
    text = str(name_or_path)
    if text in period_names():
        source = resources.files(__package__).joinpath("periods", f"{text}.toml")
        return _from_mapping(_toml_loads(source.read_text()), f"period {text}")
    path = Path(text)
    if path.suffix == ".toml" and path.is_file():
        return _from_mapping(_toml_loads(path.read_text()), str(path))
    raise ValueError(f"unknown drift period {text!r}: give one of {', '.join(period_names())} or a FILE.toml")
