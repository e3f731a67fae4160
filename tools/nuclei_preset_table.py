"""Regenerate the preset table of docs/nuclei.md: chi2 of B/C, B/O, Be/B, 10Be/9Be (ACE-CRIS) and
p̄/p (AMS-02) for the six presets on the default grid, and the mean model/data of B/C and p̄/p.

    python tools/nuclei_preset_table.py
"""

from __future__ import annotations

import numpy as np

from positrons.analysis.antiprotons import antiproton_flux
from positrons.analysis.nuclei import nuclei_ratio
from positrons.propagation.models import PRESETS


def main() -> None:
    print("| preset | B/C chi2/n | B/C model/data (median) | B/O chi2/n | Be/B chi2/n | 10Be/9Be ACE chi2/n "
          "| pbar/p chi2/n | pbar/p model/data 10-100 GV | pbar/p band 10-100 GV (dimauro/aafrag) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in PRESETS:
        bc = nuclei_ratio("B/C", name)
        row = [name]
        c = bc.comparisons[0]
        row += [f"{c.chi2_per_point:.1f}", f"{np.median(c.model / c.value):.2f}"]
        for ratio in ("B/O", "Be/B", "10Be/9Be"):
            r = nuclei_ratio(ratio, name, network=bc.network).comparisons[0]
            row.append(f"{r.chi2_per_point:.1f}")
        pb = antiproton_flux(name)
        cmp = [x for x in pb.comparisons if x.quantity == "ratio"][0]
        sel = (cmp.x > 10) & (cmp.x < 100)
        lo, hi = pb.band
        Tsel = (pb.T > 10) & (pb.T < 100)
        row += [f"{cmp.chi2 / cmp.n_points:.0f}", f"{np.median(cmp.model[sel] / cmp.value[sel]):.2f}",
                f"{np.median(hi[Tsel] / lo[Tsel]):.2f}"]
        print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
