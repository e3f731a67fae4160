"""Worked example (docs/architecture.md): a new e+ source, from its definition to a limit.

A population of sources distributed like the stellar disc (exponential in R and z) injecting
positrons with a power law and an exponential cut-off.  How strong can it be, given the
AMS-02 positron flux?  Every step uses one layer of the package.
"""

import numpy as np

from positrons.analysis.transport import GalacticResponse, Transport, flux_at_data
from positrons.data import load
from positrons.heliosphere.modulation import ForceFieldModulation
from positrons.propagation.grid import GridSpec
from positrons.stats.likelihood import Chi2
from positrons.stats.limits import limit_without_background


# 1. The source (layer "sources" for a reusable one; here a profile and a spectrum suffice).
def disc_profile(R_kpc, z_kpc):
    """Spatial shape, 1 at the Sun (R = 8.5 kpc, z = 0): scale length 3 kpc, height 0.3 kpc."""
    return np.exp(-(R_kpc - 8.5) / 3.0) * np.exp(-np.abs(z_kpc) / 0.3)


def spectrum(T_GeV, index=2.0, cutoff_GeV=50.0):
    """Injection per unit kinetic energy at the Sun [cm^-3 s^-1 GeV^-1] for unit strength."""
    return 1e-28 * T_GeV**-index * np.exp(-T_GeV / cutoff_GeV)


def main(grid_spec=None):
    # 2. Transport (layer "analysis": the one prediction chain).  A coarse grid for a quick look;
    #    Transport() alone is the converged default.
    transport = Transport(grid_spec or GridSpec(dR_kpc=2.0, dz_kpc=0.2, dz_max_kpc=0.5, energy_points_per_decade=8))
    galaxy = GalacticResponse("MED", "positron", (0.1, 100.0), transport)
    G = galaxy.response(disc_profile, name="stellar disc")        # any spectrum of this shape: G @ Q
    lis = galaxy.flux(G, spectrum(galaxy.T))                       # m^-2 s^-1 sr^-1 GeV^-1

    # 3. Modulation (layer "physics": any Modulation, here the force field of the model).
    modulation = ForceFieldModulation(0.55)

    # 4. Data and the limit rule (layer "stats").
    chi2 = Chi2(load("ams02_positron_flux_prl2019"), energy_min=1.0, energy_max=50.0)
    toa = flux_at_data(galaxy.T, lis, chi2.energies, modulation, "positron")
    limit = limit_without_background(toa, chi2)
    print(f"largest strength allowed: {limit.f:.3g} x the unit source (set by the AMS-02 point at "
          f"{limit.driving_energy_GeV:.3g} GeV): {limit.f * 1e-28:.3g} e+ cm^-3 s^-1 GeV^-1 at 1 GeV at the Sun")
    return limit


if __name__ == "__main__":
    main()
