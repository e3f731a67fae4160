"""The choices and defaults of a PBH limit, defined once (light: imports nothing of the package).

The command line (:mod:`positrons.commands.pbh`) builds its options from these; the pipelines
(:mod:`positrons.analysis.pbh_limits`) validate against them.
"""

#: dataset of a limit unless another is chosen: the AMS-02 positron flux (Aguilar et al. 2019,
#: PRL 122, 041102)
DEFAULT_DATASET = "ams02_positron_flux_prl2019"
#: datasets a limit is usually set with: AMS-02 e+, AMS-02 e+ + e- and Voyager 1 e+ + e-
#: (beyond the heliopause, compared unmodulated)
LIMIT_DATASETS = (DEFAULT_DATASET, "ams02_allelectron_flux_physrep2021_crdb", "voyager1_electron_lis_cummings2016")
#: default kinetic-energy ranges [GeV] of the data points per dataset (None: no cut)
DEFAULT_RANGES = {
    DEFAULT_DATASET: (0.5, 5.2),
    "ams02_allelectron_flux_physrep2021_crdb": (0.5, 5.2),
    "voyager1_electron_lis_cummings2016": (None, None),
}
#: PBH mass functions a limit accepts (:mod:`positrons.sources.pbh.mass_functions`)
MASS_FUNCTIONS = ("monochromatic", "lognormal")
#: backgrounds: none (the signal alone, 2 sigma) or a fitted secondary-positron background
BACKGROUNDS = ("none", "secondary")
#: default width (in ln M) of a log-normal mass function
DEFAULT_SIGMA = 1.0
#: force-field uncertainty of a phi band [GV]
DPHI_GV = 0.1


def check_choice(name: str, value, accepted) -> None:
    """ValueError naming the accepted values unless ``value`` is one of them."""
    if value not in accepted:
        raise ValueError(f"{name} must be one of {', '.join(map(str, accepted))} (got {value!r})")
