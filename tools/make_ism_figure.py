"""Make ``docs/figures/ism.png`` (the default interstellar medium) and
``docs/figures/loss_times.png`` (e+- energy-loss times at the Sun).

Usage::

    python tools/make_ism_figure.py [OUTPUT_DIR]     # default docs/figures

``ism.png``: gas densities vs R at z = 0 and vs z at the Sun, radiation energy densities
and the magnetic field (``positrons.interstellar.InterstellarMedium.default()``).

``loss_times.png``: T/b(T) from 0.1 MeV to 10 TeV at (R, z) = (8.5, 0) kpc for each process
and the total (``positrons.losses.lepton_loss_terms``), with two textbook references:
the Thomson-limit time for u = 1 eV cm^-3, ``3.1e5 yr (E/TeV)^-1`` (textbook
(4/3) sigma_T c gamma^2 u; E = gamma m c^2), and Longair's ultra-relativistic ionization loss
``7.64e-9 n (3 ln gamma + 19.8) eV/s`` for the local neutral H density.
Prints the local numbers quoted in docs/interstellar.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from positrons import constants as const
from positrons import units as u
from positrons.interstellar import InterstellarMedium
from positrons.losses import FOUR_THIRDS_SIGMA_T_C, lepton_loss_terms
from positrons.plotting.interstellar import plot_ism, plot_loss_times

ROOT = Path(__file__).resolve().parents[1]


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    ism = InterstellarMedium.default()
    r_sun = ism.r_sun_kpc

    fig = plot_ism(ism)
    fig.savefig(out_dir / "ism.png", dpi=120)

    T = np.geomspace(1e-4, 1e4, 321)
    terms = lepton_loss_terms(T, ism)
    total = terms.evaluate(r_sun, 0.0)
    by_process = terms.evaluate_by_process(r_sun, 0.0)
    gamma = 1.0 + T / const.m_electron
    thomson_1ev = T / (FOUR_THIRDS_SIGMA_T_C * gamma**2 * (1 - 1 / gamma**2) * 1.0 * u.eV) / u.yr
    n_H = float(ism.gas.n_neutral_H(r_sun, 0.0))
    longair_ion = T / (7.64e-9 * n_H * (3 * np.log(gamma) + 19.8) * u.eV) / u.yr
    refs = [
        ("Thomson, u = 1 eV cm$^{-3}$: 3.1e5 yr (E/TeV)$^{-1}$", T[T > 1], thomson_1ev[T > 1], {"color": "0.5", "ls": ":", "lw": 2}),
        (f"Longair ionization, H only, n$_H$ = {n_H:.2f}", T[T > 0.01], longair_ion[T > 0.01], {"color": "C0", "ls": ":", "lw": 2}),
    ]
    fig = plot_loss_times(T, total, by_process, refs, title=f"e$^\\pm$ loss times at R = {r_sun:g} kpc, z = 0")
    fig.savefig(out_dir / "loss_times.png", dpi=120)

    gas = ism.gas
    print(f"n_HI = {float(gas.n_HI(r_sun, 0)):.4f}  n_H2 = {float(gas.n_H2(r_sun, 0)):.4f}  "
          f"n_HII = {float(gas.n_HII(r_sun, 0)):.4f}  n_H_total = {float(gas.n_H_total(r_sun, 0)):.4f}  "
          f"n_He = {float(gas.n_He(r_sun, 0)):.4f} cm^-3")
    for c in ism.radiation.components:
        print(f"u_{c.name} = {float(c.energy_density(r_sun, 0)) / u.eV:.4f} eV cm^-3 (T = {c.temperature_K:g} K)")
    print(f"B = {float(ism.magnetic.strength(r_sun, 0)):.3f} muG, u_B = {float(ism.magnetic.energy_density(r_sun, 0)) / u.eV:.4f} eV cm^-3")
    check = np.array([1e-3, 1.0, 1e3])
    b = lepton_loss_terms(check, ism).evaluate(r_sun, 0.0)
    for Ti, bi in zip(check, b):
        print(f"T = {Ti:g} GeV: b = {bi:.4e} GeV/s, T/b = {Ti / bi / u.yr:.4e} yr")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "figures")
