"""Benchmark: build secondary production matrices on 100 x 100 energy grids, then q = M @ flux.

    python benchmarks/bench_production_matrix.py

Prints wall times.  The baseline is the same source term computed by direct adaptive
quadrature over the projectile energy (scipy.integrate.quad) at every lepton energy, so the
printed ratio says what precomputing the matrix buys.
"""

import time

import numpy as np
from scipy import integrate

from positrons.cross_sections import get_model
from positrons.lis import VOS_POTGIETER_2015
from positrons.sources.secondary import build_production_matrix


def timed(func, repeat=1):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main():
    T_e = np.geomspace(1e-3, 1e3, 100)
    print("production matrix, 100 lepton x 100 projectile energies, e+ (4 reactions p/He on H/He)")
    for name in ("kamae2006", "kelner2006", "chain", "hybrid"):
        model = get_model(name)
        T_p = np.geomspace(model.projectile_min, min(model.projectile_max, 1e6), 100)
        t_build, matrix = timed(lambda: build_production_matrix(model, "positron", T_e, projectile_energies=T_p))
        t_again, _ = timed(lambda: build_production_matrix(model, "positron", T_e, projectile_energies=T_p))
        t_source, q = timed(lambda: matrix.source(VOS_POTGIETER_2015, he_to_h=0.0), repeat=50)
        print(f"  {name:10s} build {t_build * 1e3:8.1f} ms (again, warm caches: {t_again * 1e3:7.1f} ms); "
              f"q = M @ flux {t_source * 1e6:7.1f} us")

    # baseline: direct quadrature of the same integral for kamae2006 (p + p only)
    model = get_model("kamae2006")
    sel = T_e[::10]

    def direct():
        out = []
        for e in sel:
            f = lambda lnT: np.exp(lnT) * VOS_POTGIETER_2015(np.exp(lnT)) * float(model.dsigma_dT(np.exp(lnT), e))  # noqa: E731
            out.append(integrate.quad(f, np.log(model.projectile_min), np.log(model.projectile_max), limit=200)[0])
        return np.array(out)

    t_direct, _ = timed(direct)
    matrix = build_production_matrix(model, "positron", T_e)
    t_mat, _ = timed(lambda: matrix.source(VOS_POTGIETER_2015, he_to_h=0.0), repeat=50)
    t_build, _ = timed(lambda: build_production_matrix(model, "positron", T_e))
    per_energy_direct = t_direct / sel.size
    per_energy_matrix = t_mat / T_e.size
    print(f"baseline (kamae2006, p+p): direct quadrature {per_energy_direct * 1e3:.2f} ms per lepton energy; "
          f"matrix product {per_energy_matrix * 1e6:.3f} us per lepton energy; "
          f"ratio {per_energy_direct / per_energy_matrix:.0f}x; including the matrix build, "
          f"100 energies cost {t_build + t_mat:.3f} s against {per_energy_direct * T_e.size:.1f} s "
          f"({per_energy_direct * T_e.size / (t_build + t_mat):.0f}x)")


if __name__ == "__main__":
    main()
