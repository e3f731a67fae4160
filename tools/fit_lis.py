"""Refit the shipped helium LIS (positrons.lis.HELIUM_FIT) and print the constants to paste.

    python tools/fit_lis.py

Fits positrons.lis.SmoothLIS to Voyager 1 helium (Cummings et al. 2016, Table 8) and the
AMS-02 helium flux of PRL 115, 211101 (2015) below 200 GV with the force-field phi free.
Also prints a proton fit (AMS-02 PRL 2015 + Voyager 1 2012) for comparison with the
published Vos & Potgieter (2015) LIS that the package ships for protons.
"""

from positrons.analysis.lis_fit import fit_lis

for species, toa, lis in [
    ("helium", "ams02_helium_flux_prl2015_crdb", "voyager1_helium_cummings2016_table8"),
    ("proton", "ams02_proton_flux_prl2015_crdb_rigidity", "voyager1_proton_lis_2012_crdb"),
]:
    fit = fit_lis(species, toa, lis)
    p = fit.lis
    print(f"{species}: SmoothLIS({species!r}, {p.norm:.5g}, {p.a:.5g}, {p.b:.5g}, {p.c:.5g}); "
          f"phi = {fit.phi:.4f} GV; chi2/ndof = {fit.chi2:.1f}/{fit.ndof}")
