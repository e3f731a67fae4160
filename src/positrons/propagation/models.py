"""Propagation models: frozen parameter records, presets and TOML files.

Diffusion (the GALPROP form, Strong, Moskalenko & Ptuskin 2007, Annu. Rev. Nucl. Part. Sci. 57, 285), with rigidity R [GV] and velocity beta::

    D_xx(R) = beta^eta D0 (R / R0)^delta1                        R >= R_break
    D_xx(R) = beta^eta D0 (R / R0)^delta1 (R / R_break)^(delta0 - delta1)   R < R_break

    D_pp = 4 V_a^2 p^2 / (3 D_xx delta (4 - delta^2)(4 - delta))   (delta = delta1)

    V_c(z) = sign(z) (V_c0 + dV_c/dz |z|)

The presets are Table 1 of Huang & Zhou, "Constraints on evaporating primordial black holes
from the AMS-02 positron data", Table 1, all with R0 = 4 GV:

====  =====  =====  ====  ======  ======  ==========  =====  ==========================
name  z_h    D0     eta   delta0  delta1  R_break     V_a    convection
====  =====  =====  ====  ======  ======  ==========  =====  ==========================
GH    4.0    4.3    0.7   0.415   0.415   --          30     dV/dz = 9.8 km/s/kpc
MIN   1.8    3.2    1     0.30    0.30    --          38     none
MED   3.2    5.8    1     0.29    0.29    --          38     none
MAX   6.0    9.8    1     0.29    0.29    --          36     none
MAX2  10.0   13.9   1     0.29    0.29    --          36     none
DB    4.0    5.05   1     -0.98   0.49    3.94 GV     0      V_c0 = 3.34 km/s
====  =====  =====  ====  ======  ======  ==========  =====  ==========================

(z_h in kpc, D0 in 1e28 cm^2/s, V_a in km/s.)  Solar modulation: force field with
phi = 0.55 GV (MIN-MAX2), 0.61 GV (DB); GH was run with HelMod in the paper, which is not
available here: we ship it with the force field and phi = 0.55 GV (our choice; a HelMod-like
transfer matrix can be supplied instead, see :mod:`positrons.heliosphere`).  Proton
injection (the same table): broken power laws in rigidity.  GH's index above its 7 GV break is
not given there: 2.48 minimises chi^2 against the AMS-02 proton flux (Physics Reports 2021)
after propagation on a 1 x 0.1 kpc grid and force-field modulation at 0.55 GV (scan of
2.30-2.60 in steps of 0.02-0.05; chi^2/n = 50.5, the AMS-02 errors being ~1 %).

A model from a TOML file: top-level keys are the field names of :class:`PropagationModel`;
an unknown key is an error (never a silent default).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from .. import kinematics as kin
from .. import units as u


class UnknownModelKeyError(ValueError):
    """A model file or mapping names a parameter that does not exist."""


@dataclass(frozen=True)
class Injection:
    """Broken power law in rigidity: index ``indices[i]`` between ``breaks[i-1]`` and ``breaks[i]`` [GV]."""

    indices: tuple[float, ...]
    breaks_GV: tuple[float, ...] = ()

    def __post_init__(self):
        if len(self.indices) != len(self.breaks_GV) + 1:
            raise ValueError("an injection spectrum needs one more index than breaks")
        if any(b <= 0 for b in self.breaks_GV) or list(self.breaks_GV) != sorted(self.breaks_GV):
            raise ValueError("injection breaks must be positive and increasing")

    def shape(self, R):
        """Unnormalised dN/dR at rigidity R [GV], continuous at the breaks, 1 at R = 1 GV
        below the first break."""
        R = np.asarray(R, dtype=float)
        out = R ** (-self.indices[0])
        for b, g_lo, g_hi in zip(self.breaks_GV, self.indices[:-1], self.indices[1:]):
            out = np.where(R > b, out * (R / b) ** (g_lo - g_hi), out)
        return out


@dataclass(frozen=True)
class PropagationModel:
    """One propagation model: diffusion, re-acceleration, convection, halo, modulation.

    Units are in the field names.  ``source_a``/``source_b`` are the exponents of the
    source distribution n(R) ∝ (R/r_sun)^a exp(-b (R - r_sun)/r_sun) exp(-|z|/z_s)
    (the form of Lorimer et al. 2006, MNRAS 372, 777, whose pulsar fit a = 1.9, b = 5.0 GH uses).
    """

    name: str
    z_h_kpc: float
    D0_1e28_cm2_s: float
    eta: float
    delta1: float
    v_alfven_km_s: float
    delta0: float | None = None
    rigidity_break_GV: float | None = None
    rigidity_ref_GV: float = 4.0
    v_conv0_km_s: float = 0.0
    dv_conv_dz_km_s_kpc: float = 0.0
    R_h_kpc: float = 20.0
    r_sun_kpc: float = 8.5
    phi_GV: float = 0.55
    source_a: float = 1.25
    source_b: float = 3.56
    source_z_scale_kpc: float = 0.2
    proton_injection: Injection = field(default_factory=lambda: Injection((2.4,)))
    description: str = ""

    def __post_init__(self):
        for name in ("z_h_kpc", "D0_1e28_cm2_s", "R_h_kpc", "rigidity_ref_GV", "r_sun_kpc"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0 (got {getattr(self, name)})")
        if self.v_alfven_km_s < 0 or self.v_conv0_km_s < 0 or self.phi_GV < 0:
            raise ValueError("V_a, V_c0 and phi must be >= 0")
        if (self.delta0 is None) != (self.rigidity_break_GV is None):
            raise ValueError("delta0 and rigidity_break_GV go together (a diffusion break)")
        if self.v_alfven_km_s > 0 and not 0 < self.delta1 < 2:
            raise ValueError("re-acceleration needs 0 < delta1 < 2 (D_pp formula)")
        if self.r_sun_kpc >= self.R_h_kpc:
            raise ValueError("the Sun must lie inside the halo (r_sun < R_h)")

    # --- transport coefficients ---------------------------------------------------------
    def diffusion(self, T, species):
        """D_xx [cm^2/s] at kinetic energy T [GeV] (whole particle) of ``species``."""
        sp = kin.get_species(species)
        return self.diffusion_at(kin.rigidity_from_kinetic(T, sp), kin.beta_from_kinetic(T, sp.mass))

    def diffusion_at(self, R, beta):
        """D_xx [cm^2/s] at rigidity ``R`` [GV] and velocity ``beta`` (arrays of one shape; for
        callers that tabulate R and beta once)."""
        D = self.D0_1e28_cm2_s * 1e28 * beta**self.eta * (R / self.rigidity_ref_GV) ** self.delta1
        if self.rigidity_break_GV is not None:
            D = np.where(R < self.rigidity_break_GV, D * (R / self.rigidity_break_GV) ** (self.delta0 - self.delta1), D)
        return D

    def momentum_diffusion(self, T, species):
        """D_pp [GeV^2/s] (momentum in GeV/c) at kinetic energy T [GeV]; 0 without re-acceleration."""
        if self.v_alfven_km_s == 0:
            return np.zeros_like(np.asarray(T, dtype=float))
        sp = kin.get_species(species)
        return self.momentum_diffusion_at(kin.momentum_from_kinetic(T, sp.mass), self.diffusion(T, species))

    def momentum_diffusion_at(self, p, D):
        """D_pp [GeV^2/s] at momentum ``p`` [GeV/c] where the spatial diffusion is ``D`` [cm^2/s]
        (Seo & Ptuskin 1994; see :meth:`momentum_diffusion`); 0 without re-acceleration."""
        if self.v_alfven_km_s == 0:
            return np.zeros_like(np.asarray(p, dtype=float))
        v_a = self.v_alfven_km_s * u.km  # cm/s
        d = self.delta1
        return 4.0 * v_a**2 * p**2 / (3.0 * D * d * (4.0 - d * d) * (4.0 - d))

    def convection_velocity(self, z_kpc):
        """V_c(z) [cm/s], along +z for z > 0 and -z for z < 0."""
        z = np.asarray(z_kpc, dtype=float)
        speed = (self.v_conv0_km_s + self.dv_conv_dz_km_s_kpc * np.abs(z)) * u.km
        return np.sign(z) * speed

    def source_distribution(self, R_kpc, z_kpc):
        """SNR-like source density, 1 at (r_sun, 0)."""
        R = np.asarray(R_kpc, dtype=float)
        z = np.asarray(z_kpc, dtype=float)
        x = R / self.r_sun_kpc
        with np.errstate(divide="ignore"):
            radial = np.where(R > 0, x**self.source_a, 0.0 if self.source_a > 0 else 1.0)
        return radial * np.exp(-self.source_b * (x - 1.0)) * np.exp(-np.abs(z) / self.source_z_scale_kpc)

    # --- construction -------------------------------------------------------------------
    def replace(self, **changes) -> "PropagationModel":
        """A copy with some parameters changed (unknown names are an error)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise UnknownModelKeyError(f"unknown propagation-model parameter(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_mapping(cls, mapping: dict, name: str | None = None) -> "PropagationModel":
        """A model from a mapping of the keys :meth:`to_toml` writes (e.g. parsed TOML): unknown
        or missing keys and values of the wrong type are an error naming the keys."""
        keys = {f.name for f in dataclasses.fields(cls)} - {"proton_injection"}
        keys |= {"proton_injection_indices", "proton_injection_breaks_GV"}
        data = dict(mapping)
        unknown = set(data) - keys
        if unknown:
            raise UnknownModelKeyError(
                f"unknown propagation-model key(s): {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(keys))}"
            )
        required = [f.name for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING and f.name != "name"]
        missing = [k for k in required if k not in data]
        if missing:
            raise UnknownModelKeyError(f"missing propagation-model key(s): {', '.join(missing)} (a complete file to "
                                       "start from: 'positrons models show MED')")
        def numbers(value) -> bool:
            items = value if isinstance(value, (list, tuple)) else [value]
            return all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in items)

        wrong = [k for k, v in data.items() if k not in ("name", "description") and v is not None and not numbers(v)]
        if wrong:
            raise ValueError(f"propagation-model key(s) {', '.join(sorted(wrong))} must be numbers "
                             "(proton_injection_*: lists of numbers)")
        indices = data.pop("proton_injection_indices", None)
        breaks = data.pop("proton_injection_breaks_GV", ())
        if indices is not None:
            data["proton_injection"] = Injection(tuple(float(x) for x in np.atleast_1d(indices)),
                                                 tuple(float(x) for x in np.atleast_1d(breaks)))
        if name is not None:
            data.setdefault("name", name)
        return cls(**data)

    def to_toml(self) -> str:
        """The model as a TOML document that :meth:`from_toml` reads back to the same parameters.

        Every key carries a comment with its meaning and unit; ``name`` is left out (a model
        read from ``my.toml`` is called ``my``) and unset optional keys are shown commented out.
        """
        from .. import __version__

        lines = [f"# Propagation model {self.name}, written by positrons {__version__}.",
                 "# Edit the values and pass the file with --model FILE.toml; unknown keys are refused.",
                 "# Diffusion D_xx = beta^eta D0 (R/R0)^delta1 (with a break below rigidity_break_GV);",
                 "# re-acceleration D_pp from v_alfven; convection V_c = v_conv0 + dV_c/dz |z|.", ""]
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        values.pop("name")
        injection = values.pop("proton_injection")
        values["proton_injection_indices"] = tuple(injection.indices)
        values["proton_injection_breaks_GV"] = tuple(injection.breaks_GV)
        description = values.pop("description")
        for key, value in values.items():
            lines.append(f"# {FIELD_DOCS[key]}")
            lines.append(f"# {key} =  (not set)" if value is None else f"{key} = {_toml_value(value)}")
        lines.append(f"# {FIELD_DOCS['description']}")
        lines.append(f"description = {_toml_value(description)}")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_toml(cls, path) -> "PropagationModel":
        """Read a model from a TOML file (see the module docstring)."""
        from pathlib import Path

        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10: tomllib is tomli, added to the standard library in 3.11
            import tomli as tomllib

        path = Path(path)
        try:
            data = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path.name}: not valid TOML ({exc})") from None
        try:
            return cls.from_mapping(data, name=path.stem)
        except (UnknownModelKeyError, ValueError) as exc:
            raise type(exc)(f"{path.name}: {exc}") from None


#: one-line meaning and unit of every TOML key (printed as comments by :meth:`PropagationModel.to_toml`)
FIELD_DOCS: dict[str, str] = {
    "z_h_kpc": "half-height of the diffusive halo [kpc]",
    "D0_1e28_cm2_s": "diffusion coefficient at the reference rigidity [1e28 cm^2/s]",
    "eta": "velocity exponent: D_xx ∝ beta^eta",
    "delta1": "rigidity exponent of D_xx (above the break, if any)",
    "v_alfven_km_s": "Alfvén speed of re-acceleration [km/s] (0 = none)",
    "delta0": "rigidity exponent of D_xx below the break (needs rigidity_break_GV)",
    "rigidity_break_GV": "rigidity of the diffusion break [GV] (needs delta0)",
    "rigidity_ref_GV": "reference rigidity R0 of D0 [GV]",
    "v_conv0_km_s": "convection speed at z = 0 [km/s]",
    "dv_conv_dz_km_s_kpc": "convection-speed gradient dV_c/d|z| [km/s/kpc]",
    "R_h_kpc": "radius of the Galactic disc and halo [kpc]",
    "r_sun_kpc": "Galactocentric radius of the Sun [kpc]",
    "phi_GV": "force-field potential of this model's solar modulation [GV]",
    "source_a": "source distribution n(R) ∝ (R/r_sun)^a exp(-b (R - r_sun)/r_sun): exponent a",
    "source_b": "source distribution: exponent b",
    "source_z_scale_kpc": "source distribution: exponential scale height [kpc]",
    "proton_injection_indices": "proton injection: spectral indices in rigidity, one more than breaks",
    "proton_injection_breaks_GV": "proton injection: break rigidities [GV]",
    "description": "where the values come from",
}


def _toml_value(value) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(float(value))


_HUANG_ZHOU = ("Huang & Zhou, 'Constraints on evaporating primordial black holes from the AMS-02 positron data', "
               "Table 1")

PRESETS: dict[str, PropagationModel] = {
    "GH": PropagationModel(
        "GH", z_h_kpc=4.0, D0_1e28_cm2_s=4.3, eta=0.7, delta1=0.415, v_alfven_km_s=30.0,
        dv_conv_dz_km_s_kpc=9.8, phi_GV=0.55, source_a=1.9, source_b=5.0,
        proton_injection=Injection((2.24, 1.70, 2.48), (0.95, 7.0)),
        description=_HUANG_ZHOU + "; HelMod replaced by the force field with phi = 0.55 GV (our choice); "
        "proton index 2.48 above 7 GV fitted to AMS-02 protons (not in the table)",
    ),
    "MIN": PropagationModel(
        "MIN", z_h_kpc=1.8, D0_1e28_cm2_s=3.2, eta=1.0, delta1=0.30, v_alfven_km_s=38.0, phi_GV=0.55,
        proton_injection=Injection((1.75, 2.44), (4.0,)), description=_HUANG_ZHOU,
    ),
    "MED": PropagationModel(
        "MED", z_h_kpc=3.2, D0_1e28_cm2_s=5.8, eta=1.0, delta1=0.29, v_alfven_km_s=38.0, phi_GV=0.55,
        proton_injection=Injection((1.79, 2.45), (4.0,)), description=_HUANG_ZHOU,
    ),
    "MAX": PropagationModel(
        "MAX", z_h_kpc=6.0, D0_1e28_cm2_s=9.8, eta=1.0, delta1=0.29, v_alfven_km_s=36.0, phi_GV=0.55,
        proton_injection=Injection((1.81, 2.46), (4.0,)), description=_HUANG_ZHOU,
    ),
    "MAX2": PropagationModel(
        "MAX2", z_h_kpc=10.0, D0_1e28_cm2_s=13.9, eta=1.0, delta1=0.29, v_alfven_km_s=36.0, phi_GV=0.55,
        proton_injection=Injection((1.81, 2.46), (2.5,)), description=_HUANG_ZHOU,
    ),
    "DB": PropagationModel(
        "DB", z_h_kpc=4.0, D0_1e28_cm2_s=5.05, eta=1.0, delta0=-0.98, delta1=0.49, rigidity_break_GV=3.94,
        v_alfven_km_s=0.0, v_conv0_km_s=3.34, phi_GV=0.61,
        proton_injection=Injection((2.36,)), description=_HUANG_ZHOU,
    ),
}


def get_propagation_model(name_or_path) -> PropagationModel:
    """A preset by name (``MED``, ...), or a model from a ``.toml`` file path."""
    if isinstance(name_or_path, PropagationModel):
        return name_or_path
    text = str(name_or_path)
    if text.upper() in PRESETS:
        return PRESETS[text.upper()]
    if text.endswith(".toml"):
        return PropagationModel.from_toml(text)
    raise ValueError(f"unknown propagation model {text!r}; presets: {', '.join(PRESETS)}, or a .toml file")

