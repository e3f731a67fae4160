"""The one internal unit system of the package.

Every float inside the package is in these units (the hepunits/Hazma convention: a
quantity is a float, its unit is fixed by the module that defines it):

=============  ==========================  =========================================
dimension      internal unit               multiply a value in that unit by ...
=============  ==========================  =========================================
energy         GeV                         ``GeV = 1``, ``MeV = 1e-3``, ``eV = 1e-9``
momentum       GeV/c (written GeV)         same as energy
rigidity       GV                          ``GV = 1``, ``MV = 1e-3``
length         cm                          ``cm = 1``, ``m = 100``, ``km``, ``AU``, ``pc``, ``kpc``
time           s                           ``s = 1``, ``yr`` (Julian year)
mass           g (for black holes, gas)    ``g = 1``, ``kg = 1e3``
cross section  mb                          ``mb = 1``, ``barn = 1e3``; ``mb_to_cm2`` converts
=============  ==========================  =========================================

To express ``x`` (a value in internal units) in another unit, divide by that unit:
``x / MeV`` is ``x`` in MeV. Fluxes follow the AMS convention (m^-2 s^-1 sr^-1 GeV^-1) at
the package's public edges; see ``docs/conventions.md``.

Astropy quantities are accepted at the public API edges through :func:`to_internal`.
"""

from __future__ import annotations

import numpy as np

# energy (GeV = 1)
GeV = 1.0
MeV = 1e-3
keV = 1e-6
eV = 1e-9
TeV = 1e3
erg = 1.0 / 1.602176634e-3  # 1 erg = 624.150907 GeV (exact via the SI value of e)

# rigidity (GV = 1)
GV = 1.0
MV = 1e-3

# length (cm = 1)
cm = 1.0
m = 100.0
km = 1e5
AU = 1.495978707e13  # IAU 2012 Resolution B2, exact
pc = 3.0856775814913673e18  # IAU 2015 Resolution B2 (AU * 648000/pi)
kpc = 1e3 * pc

# time (s = 1)
s = 1.0
yr = 365.25 * 86400.0  # Julian year
Myr = 1e6 * yr
Gyr = 1e9 * yr

# mass (g = 1)
g = 1.0
kg = 1e3

# cross sections (mb = 1)
mb = 1.0
barn = 1e3
mb_to_cm2 = 1e-27  # 1 mb = 1e-27 cm^2

# solid angle
sr = 1.0

_ASTROPY_INTERNAL = {
    "energy": "GeV",
    "length": "cm",
    "time": "s",
    "mass": "g",
    "area": "mbarn",
}


def to_internal(value, physical_type: str):
    """Strip an astropy Quantity to a float array in internal units.

    Plain numbers and arrays are returned unchanged (they are taken to be in internal units
    already). ``physical_type`` is one of ``energy``, ``length``, ``time``, ``mass``, ``area``
    (cross section).
    """
    if physical_type not in _ASTROPY_INTERNAL:
        raise ValueError(
            f"unknown physical type {physical_type!r}; expected one of {sorted(_ASTROPY_INTERNAL)}"
        )
    if hasattr(value, "unit") and hasattr(value, "to_value"):
        return np.asarray(value.to_value(_ASTROPY_INTERNAL[physical_type]), dtype=float)
    return value
